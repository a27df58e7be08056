/**
 * One node against three on a shared NATS JetStream stream (docs/scaling.md), on this one machine.
 *
 * Ingest: producers post batches of the realistic workload (bench/ingest.ts's EventStream) for a fixed
 * time, spread over the nodes in turn. Reported per layout: events/s acknowledged during the window
 * (for NATS layouts: stored by JetStream), request p50/p99, and "stored everywhere" events/s: the
 * acknowledged events over the time until every node has them in its own database (the window plus
 * the catch-up after it). Layouts: embedded (no NATS), one node on NATS, three nodes on NATS.
 *
 * Fan-out: bench/latency.ts with the wallboards split over the nodes, probes and background load
 * posted to the nodes in turn, so most clients see a probe through a node that did not take it.
 *
 * Three nodes on one 2-core machine do three times the storing work on the same cores, so this
 * measures the cost of the shared log and what a node adds, not the gain of more machines.
 *
 *   npx tsx bench/scale-out.ts [--duration 15] [--runs 3] [--batch 1000] [--producers 4]
 *                              [--clients 1500] [--probes 60] [--rate 2000] [--nats nats://127.0.0.1:4222]
 *                              [--skip-ingest] [--skip-fanout]
 */
import { parseArgs } from 'node:util';
import type { IngestAck } from '../server/contract/ingest.ts';
import { benchStream, converged } from './cluster.ts';
import { EventStream } from './ingest.ts';
import { latencySummary, runLatency, type LatencyResult } from './latency.ts';
import { isMain, machineInfo, median, percentile, round, startServer, table, type BenchServer } from './lib.ts';

const HOUR = 3_600_000;

type Layout = { name: string; nodes: number; nats: boolean };
const LAYOUTS: Layout[] = [
  { name: 'embedded, 1 node', nodes: 1, nats: false },
  { name: 'NATS, 1 node', nodes: 1, nats: true },
  { name: 'NATS, 3 nodes', nodes: 3, nats: true },
];

export type IngestRun = {
  acknowledged: number;
  windowSec: number;
  ackedPerSec: number;
  /** Until every node stored every acknowledged event. */
  storedEverywhereSec: number;
  storedEverywherePerSec: number;
  requestP50Ms: number;
  requestP99Ms: number;
};

async function ingestRun(layout: Layout, natsUrl: string, seconds: number, batch: number, producers: number) {
  const stream = layout.nats ? await benchStream(natsUrl) : null;
  const servers: BenchServer[] = [];
  try {
    for (let i = 0; i < layout.nodes; i++) servers.push(await startServer(stream?.env ?? {}));
    const events = new EventStream(`so${Date.now().toString(36)}-`, Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR);
    let acknowledged = 0;
    let turn = 0;
    const latencies: number[] = [];
    const until = performance.now() + seconds * 1000;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: producers }, async () => {
        while (performance.now() < until) {
          const node = servers[turn++ % servers.length]!;
          const body = JSON.stringify(events.next(batch));
          const t = performance.now();
          const res = await fetch(`${node.url}/api/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${node.key}` },
            body,
          });
          const ack = (await res.json()) as IngestAck;
          if (res.status !== 202 || ack.accepted !== batch) throw new Error(`ingest answered ${res.status}`);
          acknowledged += ack.accepted;
          latencies.push(performance.now() - t);
        }
      }),
    );
    const windowSec = (performance.now() - t0) / 1000;
    await converged(servers, acknowledged);
    const everywhereSec = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      acknowledged,
      windowSec: round(windowSec, 2),
      ackedPerSec: Math.round(acknowledged / windowSec),
      storedEverywhereSec: round(everywhereSec, 2),
      storedEverywherePerSec: Math.round(acknowledged / everywhereSec),
      requestP50Ms: round(percentile(latencies, 50)),
      requestP99Ms: round(percentile(latencies, 99)),
    } satisfies IngestRun;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await stream?.remove();
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '15' },
      runs: { type: 'string', default: '3' },
      batch: { type: 'string', default: '1000' },
      producers: { type: 'string', default: '4' },
      clients: { type: 'string', default: '1500' },
      probes: { type: 'string', default: '60' },
      rate: { type: 'string', default: '2000' },
      nats: { type: 'string', default: 'nats://127.0.0.1:4222' },
      'skip-ingest': { type: 'boolean', default: false },
      'skip-fanout': { type: 'boolean', default: false },
    },
  });
  const runs = Number(values.runs);
  console.log(JSON.stringify(machineInfo()));
  if (!values['skip-ingest']) {
    const rows: (string | number)[][] = [
      ['layout', 'acked ev/s', 'stored everywhere ev/s', 'request p50 ms', 'request p99 ms', 'runs'],
    ];
    for (const layout of LAYOUTS) {
      const results: IngestRun[] = [];
      for (let r = 0; r < runs; r++) {
        const run = await ingestRun(
          layout,
          values.nats,
          Number(values.duration),
          Number(values.batch),
          Number(values.producers),
        );
        console.log(`ingest ${layout.name} run ${r + 1}: ${JSON.stringify(run)}`);
        results.push(run);
      }
      rows.push([
        layout.name,
        median(results.map((x) => x.ackedPerSec)),
        median(results.map((x) => x.storedEverywherePerSec)),
        median(results.map((x) => x.requestP50Ms)),
        median(results.map((x) => x.requestP99Ms)),
        results.map((x) => x.ackedPerSec).join(' / '),
      ]);
    }
    console.log(`\nIngest (median of ${runs}):\n${table(rows)}`);
  }
  if (!values['skip-fanout']) {
    const fanout: [string, LatencyResult][] = [];
    for (const layout of LAYOUTS.filter((l) => l.name !== 'NATS, 1 node')) {
      const result = await runLatency({
        clients: Number(values.clients),
        probes: Number(values.probes),
        rate: Number(values.rate),
        nodes: layout.nodes,
        ...(layout.nats ? { natsUrl: values.nats } : {}),
      });
      console.log(`\nFan-out, ${layout.name}:\n${latencySummary(result)}`);
      console.log(JSON.stringify({ serverCores: result.serverCores, serverRssMiB: result.serverRssMiB }));
      fanout.push([layout.name, result]);
    }
    const rows: (string | number)[][] = [
      ['layout', 'clients', 'p50 ms', 'p99 ms', 'max ms', 'probe ack p50 ms', 'server cores', 'server RSS MiB'],
    ];
    for (const [name, r] of fanout) {
      rows.push([
        name,
        r.clientsConnectedAtEnd,
        r.latencyMs.p50,
        r.latencyMs.p99,
        r.latencyMs.max,
        r.probeAckMs.p50,
        r.serverCores ?? '',
        r.serverRssMiB ?? '',
      ]);
    }
    console.log(`\nFan-out (event -> wallboard, all client x probe pairs):\n${table(rows)}`);
  }
}
