/**
 * Scale-out helpers for the benchmarks: a JetStream stream of the run's own (its nodes' environment,
 * removed afterwards so benches leave nothing on the NATS server) and waiting for nodes to agree.
 */
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { sleep, type BenchServer } from './lib.ts';

export type BenchStream = { env: Record<string, string>; remove(): Promise<void> };

export async function benchStream(natsUrl: string): Promise<BenchStream> {
  const name = `BENCH_${Date.now().toString(36)}_${process.pid}`;
  return {
    env: { TANDEM_NATS_URL: natsUrl, TANDEM_NATS_STREAM: name },
    async remove() {
      const nc = await connect({ servers: natsUrl });
      try {
        await (await jetstreamManager(nc)).streams.delete(name);
      } catch {
        // never created (no node started)
      } finally {
        await nc.close();
      }
    },
  };
}

/** Waits until every node stores `expected` events (or, without it, as many as the first node). */
export async function converged(servers: BenchServer[], expected?: number, timeoutMs = 600_000): Promise<void> {
  const target = expected ?? (await servers[0]!.health()).database.events;
  const deadline = Date.now() + timeoutMs;
  for (const s of servers) {
    while ((await s.health()).database.events < target) {
      if (Date.now() > deadline) throw new Error(`${s.url} did not store ${target} events in time`);
      await sleep(50);
    }
  }
}
