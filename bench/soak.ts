/**
 * Soak: does a node stay flat under steady load? Steady ingest at `--rate` events/s (HTTP batches
 * every 100 ms from a child process, bench/soak-ingest.ts) and `--clients` live wallboards (child
 * processes, bench/latency-client.ts) for `--minutes`. A marker event (an `agent.state` with a unique
 * `reason`) is posted every second; its delta latency is from its 202 to each client's message that
 * carries it.
 *
 * Every `--sample` seconds (30): server RSS (from /proc), V8 heap and event-loop delay p99 (one
 * /metrics scrape per sample, which resets the delay window: the p99 covers that sample), ingest
 * acknowledgement p50/p99 and delta latency p50/p99 over that sample. Writes all samples to
 * bench/results/soak-<time>.json.
 *
 * Verdict on flatness: the samples are split into the first third and the last two thirds. RSS is
 * flat when the least-squares slope over the last two thirds, times their duration, is at most 10%
 * of the first third's mean RSS (and at least 20 MiB is allowed, for allocator noise). Each latency
 * (delta p99, ingest ack p99, event-loop delay p99) is flat when the median of the last two thirds is
 * at most 1.5 times the first third's median plus 20 ms.
 *
 *   npm run bench:soak -- [--minutes 30] [--rate 2000] [--clients 1000] [--sample 30] [--processes N]
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  clientProcessesFor,
  post,
  probeAgentsOnShift,
  probeEvent,
  startClientProcess,
  stopClientProcesses,
  type ClientProc,
} from './latency.ts';
import type { IngestCommand, IngestReport } from './soak-ingest.ts';
import {
  isMain,
  machineInfo,
  median,
  percentile,
  ROOT,
  round,
  scrapeMetrics,
  sleep,
  startServer,
  table,
  track,
  wallNow,
  type MachineInfo,
} from './lib.ts';

const INGEST_SCRIPT = fileURLToPath(new URL('./soak-ingest.ts', import.meta.url));
/** A marker is counted once it is this old: every client has had time to receive it. */
const MARKER_SETTLE_MS = 5000;

export type SoakOptions = {
  minutes?: number;
  rate?: number;
  clients?: number;
  sampleSec?: number;
  clientProcesses?: number;
  log?: (line: string) => void;
};

export type SoakSample = {
  /** Minutes since the load started. */
  minute: number;
  rssMiB: number | null;
  heapUsedMiB: number;
  /** RSS minus the V8 heap reserved: native memory, mostly DuckDB's buffers and socket buffers. */
  nativeMiB: number | null;
  loopDelayP99Ms: number;
  ingestAckMs: { p50: number; p99: number; batches: number };
  ingestEventsPerSec: number;
  ingestErrors: number;
  ingestSkippedTicks: number;
  deltaMs: { p50: number; p99: number; pairs: number; missing: number };
  liveClients: number;
  updatesSkipped: number;
  slowDisconnects: number;
  /**
   * Per background job (KPI facts, rollups, transcript index): the share of the sample it held the
   * writer (commits arriving meanwhile wait) and its mean step, from /metrics.
   */
  writerHeld: Record<string, { share: number; meanStepMs: number }>;
};

const JOBS = ['kpi_facts', 'kpi_rollups', 'transcript_index'] as const;

/** The job whose steps were longest on average in a sample, e.g. `transcript_index 850 ms`. */
function longestStep(held: SoakSample['writerHeld']): string {
  const [job, j] = Object.entries(held).sort((a, b) => b[1].meanStepMs - a[1].meanStepMs)[0] ?? ['-', null];
  return j && j.meanStepMs > 0 ? `${job} ${j.meanStepMs} ms` : '-';
}

export type FlatnessCheck = { measure: string; first: number; last: number; limit: number; flat: boolean };

/** How much of the growth the ingested events explain: heap growth per 1,000 events over the last two thirds. */
export function heapPerThousandEvents(samples: readonly SoakSample[], sampleSec: number): number {
  const cut = Math.max(1, Math.floor(samples.length / 3));
  const rest = samples.slice(cut);
  if (rest.length < 2) return NaN;
  const events = rest.slice(1).reduce((n, s) => n + s.ingestEventsPerSec * sampleSec, 0);
  const growthKiB = (rest[rest.length - 1]!.heapUsedMiB - rest[0]!.heapUsedMiB) * 1024;
  return events > 0 ? round(growthKiB / (events / 1000), 1) : NaN;
}

export type SoakResult = {
  machine: MachineInfo;
  date: string;
  config: { minutes: number; rate: number; clients: number; sampleSec: number; clientProcesses: number };
  connect: { open: number; failed: number; ms: number };
  samples: SoakSample[];
  verdict: { flat: boolean; checks: FlatnessCheck[]; rule: string };
  /** Heap growth per 1,000 events ingested, last two thirds, KiB (see the note in soakSummary). */
  heapKiBPerThousandEvents: number;
};

export const FLATNESS_RULE =
  'samples split into the first third and the last two thirds; RSS flat when the least-squares slope over the last ' +
  "two thirds times their duration is <= max(10% of the first third's mean, 20 MiB); each latency p99 flat when the " +
  "last two thirds' median is <= 1.5 x the first third's median + 20 ms";

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export function flatness(samples: readonly SoakSample[]): SoakResult['verdict'] {
  const cut = Math.max(1, Math.floor(samples.length / 3));
  const first = samples.slice(0, cut);
  const rest = samples.slice(cut);
  const checks: FlatnessCheck[] = [];
  const rss = (s: SoakSample) => s.rssMiB ?? NaN;
  if (rest.length >= 2) {
    const firstMean = first.reduce((n, s) => n + rss(s), 0) / first.length;
    const span = rest[rest.length - 1]!.minute - rest[0]!.minute;
    const growth = slope(rest.map((s) => [s.minute, rss(s)])) * span;
    const limit = Math.max(0.1 * firstMean, 20);
    checks.push({
      measure: 'RSS growth over the last 2/3, MiB',
      first: round(firstMean),
      last: round(growth),
      limit: round(limit),
      flat: growth <= limit,
    });
  }
  const latencies: [string, (s: SoakSample) => number][] = [
    ['delta p99, ms', (s) => s.deltaMs.p99],
    ['ingest ack p99, ms', (s) => s.ingestAckMs.p99],
    ['event-loop delay p99, ms', (s) => s.loopDelayP99Ms],
  ];
  for (const [measure, of] of latencies) {
    if (rest.length === 0) break;
    const a = median(first.map(of));
    const b = median(rest.map(of));
    const limit = 1.5 * a + 20;
    checks.push({
      measure: `${measure} (median)`,
      first: round(a),
      last: round(b),
      limit: round(limit),
      flat: b <= limit,
    });
  }
  return { flat: checks.length > 0 && checks.every((c) => c.flat), checks, rule: FLATNESS_RULE };
}

type IngestProc = { send(c: IngestCommand): void; report(): Promise<IngestReport>; stop(): Promise<void> };

function startIngestProcess(): IngestProc {
  const child = fork(INGEST_SCRIPT, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  track(child);
  return {
    send: (c) => child.send(c),
    report: () =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('ingest process: no report within 30 s')), 30_000);
        child.once('message', (r: IngestReport) => {
          clearTimeout(timer);
          resolve(r);
        });
        child.send({ type: 'report' } satisfies IngestCommand);
      }),
    async stop() {
      if (child.exitCode !== null) return;
      if (child.connected) child.send({ type: 'stop' } satisfies IngestCommand);
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(5000).then(() => child.kill('SIGKILL'))]);
    },
  };
}

export async function runSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const minutes = options.minutes ?? 30;
  const rate = options.rate ?? 2000;
  const clientCount = options.clients ?? 1000;
  const sampleSec = options.sampleSec ?? 30;
  const processes = clientProcessesFor(clientCount, options.clientProcesses);
  const log = options.log ?? ((line: string) => console.log(line));
  const date = new Date().toISOString();

  // startServer raises the websocket limits: every client comes from one address and one session.
  const server = await startServer();
  const procs: ClientProc[] = [];
  const ingest = startIngestProcess();
  let markerTimer: NodeJS.Timeout | null = null;
  try {
    const tag = `soak${Date.now().toString(36)}`;
    await post(server, probeAgentsOnShift(tag, 'Soak marker'));
    ingest.send({ type: 'start', url: server.url, key: server.key, rate, tag });

    const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws/live`;
    const t0 = performance.now();
    const connected = await Promise.all(
      Array.from({ length: processes }, (_, i) => {
        const proc = startClientProcess();
        procs.push(proc);
        const reply = proc.next('connected');
        proc.send({
          type: 'connect',
          url: wsUrl,
          count: Math.floor(clientCount / processes) + (i < clientCount % processes ? 1 : 0),
          concurrency: 50,
          headers: { cookie: server.cookie, origin: server.url },
        });
        return reply;
      }),
    );
    const connect = {
      open: connected.reduce((n, c) => n + c.open, 0),
      failed: connected.reduce((n, c) => n + c.failed, 0),
      ms: Math.round(performance.now() - t0),
    };
    log(
      `soak: ${connect.open}/${clientCount} clients in ${round(connect.ms / 1000, 1)} s; ${rate} events/s for ${minutes} min`,
    );

    // One marker a second, on rotating agents, each acknowledged before its arrivals are counted.
    const markers = new Map<string, { ackAt: number | null; arrivals: (number | null)[][] }>();
    let markerError: unknown = null;
    let markerSeq = 0;
    markerTimer = setInterval(() => {
      const i = markerSeq++;
      const { id, event } = probeEvent(tag, i, 'marker');
      const entry = { ackAt: null as number | null, arrivals: procs.map(() => [] as (number | null)[]) };
      markers.set(id, entry);
      void post(server, [event]).then(
        () => (entry.ackAt = wallNow()),
        (err: unknown) => (markerError ??= err),
      );
    }, 1000);

    let previous = await scrapeMetrics(server); // starts the first event-loop delay window
    const loadStart = performance.now();
    const samples: SoakSample[] = [];
    const header = [
      'min',
      'RSS MiB',
      'heap MiB',
      'native MiB',
      'loop p99 ms',
      'ack p50',
      'ack p99',
      'delta p50',
      'delta p99',
      'ev/s',
      'missing',
      'skipped',
      'writer held %',
      'longest mean step',
    ];
    const end = loadStart + minutes * 60_000;
    while (performance.now() < end) {
      await sleep(Math.min(sampleSec * 1000, end - performance.now()));
      if (markerError) throw markerError;
      const [metrics, ingestReport, ...reports] = await Promise.all([
        scrapeMetrics(server),
        ingest.report(),
        ...procs.map((p) => {
          const r = p.next('report');
          p.send({ type: 'report', clear: true });
          return r;
        }),
      ]);
      // Arrivals first come in the report after the marker's send; a marker is counted once settled.
      for (const [id, m] of markers) {
        reports.forEach((r, p) => {
          const row = r.arrivals[id];
          if (!row) return;
          const into = m.arrivals[p]!;
          row.forEach((t, c) => {
            if (t !== null && (into[c] === undefined || into[c] === null)) into[c] = t;
          });
        });
      }
      const deltas: number[] = [];
      let missing = 0;
      const settled = wallNow() - MARKER_SETTLE_MS;
      for (const [id, m] of markers) {
        if (m.ackAt === null || m.ackAt > settled) continue;
        reports.forEach((r, p) => {
          for (let c = 0; c < r.stats.clients; c++) {
            const t = m.arrivals[p]![c];
            if (t === undefined || t === null) missing++;
            else deltas.push(t - m.ackAt!);
          }
        });
        markers.delete(id);
      }
      deltas.sort((a, b) => a - b);
      const acks = [...ingestReport.ackMs].sort((a, b) => a - b);
      const rss = server.rssMiB();
      const sample: SoakSample = {
        minute: round((performance.now() - loadStart) / 60_000, 2),
        rssMiB: rss,
        heapUsedMiB: round((metrics.get('tandem_process_heap_used_bytes') ?? NaN) / 2 ** 20),
        nativeMiB: rss === null ? null : round(rss - (metrics.get('tandem_process_heap_total_bytes') ?? NaN) / 2 ** 20),
        loopDelayP99Ms: round((metrics.get('tandem_event_loop_delay_seconds{quantile="0.99"}') ?? NaN) * 1000),
        ingestAckMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)), batches: acks.length },
        ingestEventsPerSec: Math.round(ingestReport.events / sampleSec),
        ingestErrors: ingestReport.errors,
        ingestSkippedTicks: ingestReport.skippedTicks,
        deltaMs: {
          p50: round(percentile(deltas, 50)),
          p99: round(percentile(deltas, 99)),
          pairs: deltas.length,
          missing,
        },
        liveClients: metrics.get('tandem_live_clients') ?? NaN,
        updatesSkipped: metrics.get('tandem_live_updates_skipped_total') ?? NaN,
        slowDisconnects: metrics.get('tandem_live_clients_disconnected_slow_total') ?? NaN,
        writerHeld: Object.fromEntries(
          JOBS.map((job) => {
            const key = (m: string) => `tandem_background_step_duration_seconds_${m}{job="${job}"}`;
            const held = (metrics.get(key('sum')) ?? 0) - (previous.get(key('sum')) ?? 0);
            const steps = (metrics.get(key('count')) ?? 0) - (previous.get(key('count')) ?? 0);
            return [job, { share: round(held / sampleSec, 3), meanStepMs: steps ? round((held / steps) * 1000) : 0 }];
          }),
        ),
      };
      previous = metrics;
      if (ingestReport.lastError) log(`soak: ingest error: ${ingestReport.lastError}`);
      samples.push(sample);
      const s = sample;
      const row = [
        s.minute,
        s.rssMiB ?? '-',
        s.heapUsedMiB,
        s.nativeMiB ?? '-',
        s.loopDelayP99Ms,
        s.ingestAckMs.p50,
        s.ingestAckMs.p99,
        s.deltaMs.p50,
        s.deltaMs.p99,
        s.ingestEventsPerSec,
        s.deltaMs.missing,
        s.updatesSkipped,
        round(Object.values(s.writerHeld).reduce((n, j) => n + j.share, 0) * 100, 1),
        longestStep(s.writerHeld),
      ];
      // Fixed column widths, so rows printed one at a time line up; the header again every 20 rows.
      const line = (cells: (string | number)[]) =>
        cells
          .map((c, i) => String(c).padEnd(header[i]!.length + 2))
          .join('')
          .trimEnd();
      if (samples.length % 20 === 1) log(line(header));
      log(line(row));
    }
    return {
      machine: machineInfo(),
      date,
      config: { minutes, rate, clients: clientCount, sampleSec, clientProcesses: processes },
      connect,
      samples,
      verdict: flatness(samples),
      heapKiBPerThousandEvents: heapPerThousandEvents(samples, sampleSec),
    };
  } finally {
    if (markerTimer) clearInterval(markerTimer);
    await ingest.stop();
    await stopClientProcesses(procs);
    await server.stop();
  }
}

export function soakSummary(r: SoakResult): string {
  const rows: (string | number)[][] = [['check', 'first third', 'last two thirds', 'limit', 'flat']];
  for (const c of r.verdict.checks) rows.push([c.measure, c.first, c.last, c.limit, c.flat ? 'yes' : 'NO']);
  return (
    `${table(rows)}\nverdict: ${r.verdict.flat ? 'FLAT' : 'NOT FLAT'} (${r.verdict.rule})\n` +
    // The live engine keeps contacts for up to 26 h (4 h once ended), so under steady ingest its heap
    // grows with the traffic until that window is full: a steady figure here is retention, a rising one a leak.
    `heap growth per 1,000 events ingested (last two thirds): ${r.heapKiBPerThousandEvents} KiB; the live state ` +
    'keeps contacts up to 26 h (4 h once ended), so a run shorter than that grows by design'
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      rate: { type: 'string' },
      clients: { type: 'string' },
      sample: { type: 'string' },
      processes: { type: 'string' },
    },
  });
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name}: expected a positive number, got "${v}"`);
    return n;
  };
  const result = await runSoak({
    minutes: num('minutes', values.minutes),
    rate: num('rate', values.rate),
    clients: num('clients', values.clients),
    sampleSec: num('sample', values.sample),
    clientProcesses: num('processes', values.processes),
  });
  console.log(`\n${soakSummary(result)}`);
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `soak-${result.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(`samples written to bench/results/${file.slice(dir.length + 1)}`);
}
