/**
 * Event-to-screen latency with many wallboards connected.
 *
 * A real server (`node bin/tandem.js serve`, demo off, fresh DuckDB file, 127.0.0.1) gets 1,000
 * `/ws/live` clients, held by child processes (bench/latency-client.ts) so that their work does not
 * delay this process's posts. Background load: the seeded Simulator (about 400 agents) run faster
 * than real time, its events re-timed to the wall clock and posted every 100 ms, 2,000 events/s.
 *
 * A probe is an `agent.state` event for one of 8 dedicated probe agents (in turn) whose `reason` is a
 * unique probe id. It is POSTed at t0; for every client the latency is the time its first websocket message carrying
 * that probe id arrives, minus t0. Probes are spaced 250-450 ms apart (random, so they fall at every
 * phase of the hub's 100 ms tick). Reported over all (client, probe) pairs: p50, p99, max.
 *
 *   npx tsx bench/latency.ts [--clients 1000] [--probes 80] [--rate 2000] [--processes 2] [--backfill N] [--quick]
 *                            [--nodes 3] [--nats nats://127.0.0.1:4222]   (scale-out: nodes on one stream)
 *                            [--cpu-prof DIR]   (write a V8 CPU profile of the server to DIR)
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TandemEvent } from '../server/contract/events.ts';
import type { IngestAck } from '../server/contract/ingest.ts';
import { Simulator } from '../server/simulator/simulator.ts';
import { EventStream } from './ingest.ts';
import type { ClientCommand, ClientReply, ClientStats } from './latency-client.ts';
import {
  isMain,
  machineBusySeconds,
  machineInfo,
  percentile,
  processCpuSeconds,
  round,
  sleep,
  startServer,
  table,
  track,
  wallNow,
  type BenchServer,
  type MachineInfo,
} from './lib.ts';
import { benchStream, converged } from './cluster.ts';

export const LATENCY_TARGET_P99_MS = 150;
const CLIENT_SCRIPT = fileURLToPath(new URL('./latency-client.ts', import.meta.url));
export const SIM_START = Date.UTC(2026, 10, 23, 9, 0); // a weekday morning near the arrival peak
/** Probes rotate over a few agents, so a slow commit never lets one probe overwrite the previous one. */
export const PROBE_AGENTS = Array.from({ length: 8 }, (_, i) => `bench-probe-${i}`);

/** The probe agents on shift, so that each probe is a change of state the wall shows. */
export function probeAgentsOnShift(tag: string, name: string): unknown[] {
  return PROBE_AGENTS.map((agentId) => ({
    id: `${tag}-init-${agentId}`,
    type: 'agent.state',
    at: Date.now(),
    agentId,
    state: 'available',
    name,
    team: 'bench',
  }));
}

/**
 * Probe `i`: a probe agent's change of state whose `reason` is the probe id the client processes look
 * for (`bprobe-...`, see latency-client.ts). Agents take turns, so a slow commit never lets one probe
 * overwrite the previous one; each agent alternates between break and available.
 */
export function probeEvent(tag: string, i: number, kind = 'probe'): { id: string; event: unknown } {
  const id = `bprobe-${tag}-${i}`;
  return {
    id,
    event: {
      id: `${tag}-${kind}-${i}`,
      type: 'agent.state',
      at: Date.now(),
      agentId: PROBE_AGENTS[i % PROBE_AGENTS.length],
      state: Math.floor(i / PROBE_AGENTS.length) % 2 === 0 ? 'break' : 'available',
      reason: id,
    },
  };
}

/** A populated wall before measuring: 30 simulated minutes (agents, queues, KPIs) in the last 30 s. */
export async function prefillWall(
  server: Pick<BenchServer, 'url' | 'key'>,
  background: Background,
  tag: string,
  name: string,
): Promise<number> {
  const now = Date.now();
  const prefill = background.take(25_000, now - 30_000, now);
  for (let i = 0; i < prefill.length; i += 5000) await post(server, prefill.slice(i, i + 5000));
  await post(server, probeAgentsOnShift(tag, name));
  return prefill.length + PROBE_AGENTS.length;
}

export type LatencyOptions = {
  clients?: number;
  clientProcesses?: number;
  probes?: number;
  /** Background events per second. */
  rate?: number;
  /** Background load runs this long before the first probe, s. */
  warmupSec?: number;
  /**
   * Events of history posted before anything else (a server late in the day, not a fresh one);
   * they come from the ingest workload, dated over the last 24 hours.
   */
  backfillEvents?: number;
  /** Extra node arguments for the server, e.g. ['--cpu-prof', '--cpu-prof-dir', DIR]. */
  serverNodeArgs?: string[];
  /**
   * Tandem nodes sharing one NATS JetStream stream (scale-out): clients, background batches and probes
   * are spread over them in turn, so a probe usually reaches most clients through another node.
   * 1 without `natsUrl` is the embedded server.
   */
  nodes?: number;
  natsUrl?: string;
  log?: (line: string) => void;
};

export type LatencyResult = {
  machine: MachineInfo;
  config: {
    clients: number;
    clientProcesses: number;
    nodes: number;
    nats: boolean;
    probes: number;
    rate: number;
    tickMs: number;
    backfillEvents: number;
  };
  connect: { open: number; failed: number; ms: number };
  load: { postedEvents: number; seconds: number; eventsPerSec: number; postP50Ms: number; postP99Ms: number };
  /** Over all (client, probe) pairs that arrived. */
  latencyMs: { p50: number; p90: number; p99: number; max: number; pairs: number; missing: number };
  /** POST round trip of the probe (validation + group commit), ms. */
  probeAckMs: { p50: number; p99: number; max: number };
  /** Per probe: the first client to see it, and how much later the last one did (fan-out spread). */
  firstClientMs: { p50: number; p99: number };
  spreadMs: { p50: number; p99: number };
  clientsConnectedAtEnd: number;
  serverLiveClientsAtEnd: number;
  serverCores: number | null;
  /** CPU of the client processes holding the websockets (measurement overhead on the same machine). */
  clientCores: number | null;
  machineCores: number | null;
  serverRssMiB: number | null;
  clientStats: ClientStats[];
  target: { p99Ms: number; met: boolean };
};

export type ClientProc = {
  child: ChildProcess;
  send(command: ClientCommand): void;
  next<T extends ClientReply['type']>(type: T): Promise<Extract<ClientReply, { type: T }>>;
};

/** Sockets per client process: well under `ulimit -n` (20,000 here) with room for the rest. */
export const MAX_CLIENTS_PER_PROCESS = 5000;

/** How many client processes carry `clients` wallboards: `requested` if given (and within the limit), else as few as can. */
export function clientProcessesFor(clients: number, requested?: number): number {
  const processes = requested ?? Math.max(1, Math.ceil(clients / MAX_CLIENTS_PER_PROCESS));
  if (clients / processes > MAX_CLIENTS_PER_PROCESS)
    throw new Error(`--processes: at most ${MAX_CLIENTS_PER_PROCESS} clients each`);
  return processes;
}

export function startClientProcess(): ClientProc {
  // fork() reuses this process's execArgv, so the child loads TypeScript the same way (tsx).
  const child = fork(CLIENT_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  track(child);
  const waiting = new Map<string, (reply: ClientReply) => void>();
  child.on('message', (reply: ClientReply) => {
    const resolve = waiting.get(reply.type);
    waiting.delete(reply.type);
    resolve?.(reply);
  });
  return {
    child,
    send: (command) => child.send(command),
    next: <T extends ClientReply['type']>(type: T) =>
      new Promise<Extract<ClientReply, { type: T }>>((resolve, reject) => {
        const exited = () => reject(new Error('client process exited'));
        const timer = setTimeout(() => reject(new Error(`client process: no ${type} within 120 s`)), 120_000);
        waiting.set(type, (reply) => {
          clearTimeout(timer);
          // A soak asks twice a minute for an hour: each answered question takes its listener along.
          child.off('exit', exited);
          resolve(reply as Extract<ClientReply, { type: T }>);
        });
        child.once('exit', exited);
      }),
  };
}

/** Asks each client process to close its sockets and exit; kills it after 5 s. */
export async function stopClientProcesses(procs: readonly ClientProc[]): Promise<void> {
  for (const p of procs) {
    if (p.child.connected) p.send({ type: 'stop' });
  }
  await Promise.all(
    procs.map((p) =>
      p.child.exitCode !== null
        ? undefined
        : Promise.race([new Promise((r) => p.child.once('exit', r)), sleep(5000).then(() => p.child.kill('SIGKILL'))]),
    ),
  );
}

export function clientCpu(procs: ClientProc[]): number | null {
  let total = 0;
  for (const p of procs) {
    const s = p.child.pid === undefined ? null : processCpuSeconds(p.child.pid);
    if (s === null) return null;
    total += s;
  }
  return total;
}

export async function post(server: Pick<BenchServer, 'url' | 'key'>, events: unknown[]): Promise<IngestAck> {
  const res = await fetch(`${server.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
    body: JSON.stringify(events),
  });
  const ack = (await res.json()) as IngestAck;
  if (res.status !== 202 || ack.rejected.length > 0 || ack.accepted !== events.length) {
    throw new Error(`POST /api/events answered ${res.status}: ${JSON.stringify(ack).slice(0, 500)}`);
  }
  return ack;
}

/**
 * Simulator traffic at a chosen events/s: the simulation runs ahead as far as needed, and each
 * batch is re-timed to spread evenly over the wall-clock interval it is posted for.
 */
export class Background {
  #sim: Simulator;
  #buffer: TandemEvent[] = [];
  #simNow = SIM_START;

  constructor(tag: string) {
    this.#sim = new Simulator({ seed: 7, ratePerMinute: 120, start: SIM_START, idPrefix: tag });
  }

  /** `n` events, timed evenly across [from, to). */
  take(n: number, from: number, to: number): TandemEvent[] {
    while (this.#buffer.length < n) {
      this.#simNow += 1000;
      for (const e of this.#sim.advance(this.#simNow)) this.#buffer.push(e);
    }
    const out = this.#buffer.splice(0, n);
    return out.map((e, i) => ({ ...e, at: Math.floor(from + ((to - from) * i) / n) }) as TandemEvent);
  }
}

export async function runLatency(options: LatencyOptions = {}): Promise<LatencyResult> {
  const clientCount = options.clients ?? 1000;
  const nodeCount = options.nodes ?? 1;
  // At least one client process per node, each holding one node's clients.
  const processes = Math.max(options.clientProcesses ?? 2, nodeCount);
  const natsUrl = options.natsUrl ?? (nodeCount > 1 ? 'nats://127.0.0.1:4222' : undefined);
  const probes = options.probes ?? 80;
  const rate = options.rate ?? 2000;
  const warmupSec = options.warmupSec ?? 3;
  const backfillEvents = options.backfillEvents ?? 0;
  const tickMs = 100;
  const log = options.log ?? ((line: string) => console.log(line));

  const stream = natsUrl ? await benchStream(natsUrl) : null;
  const servers: BenchServer[] = [];
  for (let i = 0; i < nodeCount; i++) servers.push(await startServer(stream?.env ?? {}, options.serverNodeArgs));
  const server = servers[0]!;
  const procs: ClientProc[] = [];
  let loadTimer: NodeJS.Timeout | null = null;
  try {
    const tag = `lat${Date.now().toString(36)}`;
    const background = new Background(tag);

    if (backfillEvents > 0) {
      const history = new EventStream(`${tag}-h`, Math.floor(Date.now() / 3_600_000) * 3_600_000 - 24 * 3_600_000);
      for (let n = 0; n < backfillEvents; n += 10_000) {
        await Promise.all([0, 5000].map((k) => (n + k < backfillEvents ? post(server, history.next(5000)) : null)));
      }
      log(`latency: backfilled ${backfillEvents} events of history`);
    }

    const prefilled = await prefillWall(server, background, tag, 'Latency probe');
    log(`latency: prefilled ${prefilled} events`);
    await converged(servers);

    const perProcess = Array.from(
      { length: processes },
      (_, i) => Math.floor(clientCount / processes) + (i < clientCount % processes ? 1 : 0),
    );
    const connectStats = { open: 0, failed: 0, ms: 0 };
    for (const [i, count] of perProcess.entries()) {
      const node = servers[i % nodeCount]!;
      const proc = startClientProcess();
      procs.push(proc);
      const connected = proc.next('connected');
      proc.send({
        type: 'connect',
        url: `${node.url.replace(/^http/, 'ws')}/ws/live`,
        count,
        concurrency: 25,
        headers: { cookie: node.cookie, origin: node.url },
      });
      // One process at a time, so the server is not flooded with initial snapshots.
      const c = await connected;
      connectStats.open += c.open;
      connectStats.failed += c.failed;
      connectStats.ms += c.ms;
    }
    const live0 = await liveClients(servers);
    log(`latency: ${live0} of ${clientCount} live clients connected to ${nodeCount} node(s)`);

    // Background load: `rate` events/s in one batch per 100 ms tick.
    const perTick = Math.round((rate * tickMs) / 1000);
    let posted = 0;
    const postTimes: number[] = [];
    let loadError: unknown = null;
    const loadStart = performance.now();
    let lastTick = Date.now();
    let tickNo = 0;
    loadTimer = setInterval(() => {
      const now = Date.now();
      const events = background.take(perTick, lastTick - tickMs, now - tickMs);
      lastTick = now;
      const t = performance.now();
      post(servers[tickNo++ % nodeCount]!, events)
        .then(() => {
          posted += events.length;
          postTimes.push(performance.now() - t);
        })
        .catch((err: unknown) => (loadError ??= err));
    }, tickMs);

    await sleep(warmupSec * 1000);
    const cpu0 = serversCpu(servers);
    const machine0 = machineBusySeconds();
    const clientCpu0 = clientCpu(procs);
    const probeT0 = new Map<string, number>();
    const ackMs: number[] = [];
    const windowStart = performance.now();
    for (let i = 0; i < probes; i++) {
      if (loadError) throw loadError;
      await sleep(250 + Math.random() * 200);
      const { id, event } = probeEvent(tag, i);
      const t0 = wallNow();
      probeT0.set(id, t0);
      // Not awaited: probes keep their spacing even if a commit is slow.
      void post(servers[i % nodeCount]!, [event]).then(
        () => ackMs.push(wallNow() - t0),
        (err: unknown) => (loadError ??= err),
      );
    }
    await sleep(2000); // let the last probes reach every client
    const windowSec = (performance.now() - windowStart) / 1000;
    const cpu1 = serversCpu(servers);
    const machine1 = machineBusySeconds();
    const clientCpu1 = clientCpu(procs);
    clearInterval(loadTimer);
    loadTimer = null;
    const loadSec = (performance.now() - loadStart) / 1000;
    if (loadError) throw loadError;

    const reports = await Promise.all(
      procs.map((p) => {
        const r = p.next('report');
        p.send({ type: 'report' });
        return r;
      }),
    );
    const liveAtEnd = await liveClients(servers);
    const rssEach = servers.map((s) => s.rssMiB());
    const rss = rssEach.some((r) => r === null) ? null : rssEach.reduce<number>((a, b) => a + b!, 0);

    const latencies: number[] = [];
    const firsts: number[] = [];
    const spreads: number[] = [];
    let missing = 0;
    for (const [id, t0] of probeT0) {
      const times: number[] = [];
      for (const report of reports) {
        const row = report.arrivals[id];
        for (let c = 0; c < report.stats.clients; c++) {
          const t = row?.[c];
          if (t === null || t === undefined) missing++;
          else times.push(t - t0);
        }
      }
      if (times.length === 0) continue;
      latencies.push(...times);
      firsts.push(Math.min(...times));
      spreads.push(Math.max(...times) - Math.min(...times));
    }
    const asc = (xs: number[]) => xs.sort((a, b) => a - b);
    asc(latencies);
    asc(firsts);
    asc(spreads);
    asc(ackMs);
    asc(postTimes);
    const p99 = percentile(latencies, 99);
    return {
      machine: machineInfo(),
      config: {
        clients: clientCount,
        clientProcesses: processes,
        nodes: nodeCount,
        nats: !!natsUrl,
        probes,
        rate,
        tickMs,
        backfillEvents,
      },
      connect: connectStats,
      load: {
        postedEvents: posted,
        seconds: round(loadSec, 1),
        eventsPerSec: Math.round(posted / loadSec),
        postP50Ms: round(percentile(postTimes, 50)),
        postP99Ms: round(percentile(postTimes, 99)),
      },
      latencyMs: {
        p50: round(percentile(latencies, 50)),
        p90: round(percentile(latencies, 90)),
        p99: round(p99),
        max: round(latencies[latencies.length - 1] ?? NaN),
        pairs: latencies.length,
        missing,
      },
      probeAckMs: {
        p50: round(percentile(ackMs, 50)),
        p99: round(percentile(ackMs, 99)),
        max: round(ackMs[ackMs.length - 1] ?? NaN),
      },
      firstClientMs: { p50: round(percentile(firsts, 50)), p99: round(percentile(firsts, 99)) },
      spreadMs: { p50: round(percentile(spreads, 50)), p99: round(percentile(spreads, 99)) },
      clientsConnectedAtEnd: reports.reduce((n, r) => n + r.stats.open, 0),
      serverLiveClientsAtEnd: liveAtEnd,
      serverCores: cpu0 !== null && cpu1 !== null ? round((cpu1 - cpu0) / windowSec, 2) : null,
      clientCores: clientCpu0 !== null && clientCpu1 !== null ? round((clientCpu1 - clientCpu0) / windowSec, 2) : null,
      machineCores: machine0 !== null && machine1 !== null ? round((machine1 - machine0) / windowSec, 2) : null,
      serverRssMiB: rss,
      clientStats: reports.map((r) => r.stats),
      target: {
        p99Ms: LATENCY_TARGET_P99_MS,
        met: latencies.length > 0 && missing === 0 && p99 <= LATENCY_TARGET_P99_MS,
      },
    };
  } finally {
    if (loadTimer) clearInterval(loadTimer);
    await stopClientProcesses(procs);
    await Promise.all(servers.map((s) => s.stop()));
    await stream?.remove();
  }
}

/** Live clients over all nodes, as each counts them. */
async function liveClients(servers: BenchServer[]): Promise<number> {
  return (await Promise.all(servers.map((s) => s.health()))).reduce((n, h) => n + h.liveClients, 0);
}

function serversCpu(servers: BenchServer[]): number | null {
  const each = servers.map((s) => s.cpuSeconds());
  return each.some((c) => c === null) ? null : each.reduce<number>((a, b) => a + b!, 0);
}

export function latencySummary(r: LatencyResult): string {
  const rows: (string | number)[][] = [
    ['measure', 'p50 ms', 'p99 ms', 'max ms'],
    ['event -> client (all client x probe pairs)', r.latencyMs.p50, r.latencyMs.p99, r.latencyMs.max],
    ['probe POST -> 202 (validated + committed)', r.probeAckMs.p50, r.probeAckMs.p99, r.probeAckMs.max],
    ['event -> first client', r.firstClientMs.p50, r.firstClientMs.p99, ''],
    ['first -> last client (fan-out spread)', r.spreadMs.p50, r.spreadMs.p99, ''],
  ];
  const verdict = r.target.met
    ? 'MET'
    : `MISSED by ${round(r.latencyMs.p99 - LATENCY_TARGET_P99_MS)} ms` +
      (r.latencyMs.missing ? ` (${r.latencyMs.missing} pairs never arrived)` : '');
  return (
    `${table(rows)}\n` +
    `${r.latencyMs.pairs} pairs (${r.config.probes} probes x clients), ${r.latencyMs.missing} missing; ` +
    `clients connected at end ${r.clientsConnectedAtEnd}/${r.config.clients} (server counts ${r.serverLiveClientsAtEnd}); ` +
    `background ${r.load.eventsPerSec} events/s\n` +
    `target p99 <= ${LATENCY_TARGET_P99_MS} ms: ${verdict}`
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      probes: { type: 'string' },
      rate: { type: 'string' },
      processes: { type: 'string' },
      backfill: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      nodes: { type: 'string' },
      nats: { type: 'string' },
    },
  });
  const result = await runLatency({
    ...(values['cpu-prof'] ? { serverNodeArgs: ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] } : {}),
    clients: values.clients ? Number(values.clients) : values.quick ? 200 : 1000,
    probes: values.probes ? Number(values.probes) : values.quick ? 20 : 80,
    ...(values.rate ? { rate: Number(values.rate) } : {}),
    ...(values.processes ? { clientProcesses: Number(values.processes) } : {}),
    ...(values.backfill ? { backfillEvents: Number(values.backfill) } : {}),
    ...(values.nodes ? { nodes: Number(values.nodes) } : {}),
    ...(values.nats ? { natsUrl: values.nats } : {}),
  });
  console.log(`\n${latencySummary(result)}`);
  const { serverCores, clientCores, machineCores, serverRssMiB, load, clientStats } = result;
  console.log(JSON.stringify({ serverCores, clientCores, machineCores, serverRssMiB, load, clientStats }, null, 2));
}
