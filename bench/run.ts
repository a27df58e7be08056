/**
 * `npm run bench`: ingest throughput and event-to-screen latency against real servers, a summary
 * table on the console, and machine-readable results in bench/results/latest.json.
 *
 *   npm run bench                       full run (several minutes)
 *   npm run bench -- --quick            smoke run (short windows, fewer clients)
 *   npm run bench -- --only ingest      one part only (ingest | latency)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestSummary, runIngest, type IngestResult } from './ingest.ts';
import { latencySummary, runLatency, type LatencyResult, LATENCY_TARGET_P99_MS } from './latency.ts';
import { machineInfo, median, round, ROOT, table } from './lib.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'latency-runs': { type: 'string' },
  },
});
const quick = values.quick;
const only = values.only;
if (only !== undefined && only !== 'ingest' && only !== 'latency') throw new Error('--only takes ingest or latency');

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const started = new Date();
const machine = machineInfo();
log(`machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}`);

let ingest: IngestResult | null = null;
if (only !== 'latency') {
  ingest = await runIngest({
    durationSec: quick ? 5 : 20,
    warmupSec: 2,
    producers: 4,
    batches: [500, 2000],
    runs: quick ? 1 : 3,
    localEvents: quick ? 100_000 : 400_000,
    log,
  });
}

type LatencySummary = {
  runs: LatencyResult[];
  median: { p50: number; p99: number; max: number };
  met: boolean;
  /** The same measurement with 100 clients: the share of latency that is fan-out to 1,000. */
  reference100: LatencyResult | null;
  /** 1,000 clients on a server that already holds 500,000 events of the last day (not a fresh one). */
  lateInDay: LatencyResult | null;
};

let latency: LatencySummary | null = null;
if (only !== 'ingest') {
  const runs: LatencyResult[] = [];
  const count = values['latency-runs'] ? Number(values['latency-runs']) : quick ? 1 : 3;
  for (let i = 0; i < count; i++) {
    log(`latency: run ${i + 1}/${count} with ${quick ? 200 : 1000} clients`);
    const r = await runLatency({ clients: quick ? 200 : 1000, probes: quick ? 20 : 80, rate: 2000, log });
    log(
      `latency: p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms, ` +
        `${r.clientsConnectedAtEnd}/${r.config.clients} connected, ${r.latencyMs.missing} missing`,
    );
    runs.push(r);
  }
  let reference100: LatencyResult | null = null;
  let lateInDay: LatencyResult | null = null;
  if (!quick) {
    log('latency: reference run with 100 clients');
    reference100 = await runLatency({ clients: 100, probes: 40, rate: 2000, log });
    log('latency: 1000 clients on a server holding 500,000 events of history');
    lateInDay = await runLatency({ clients: 1000, probes: 80, rate: 2000, backfillEvents: 500_000, log });
  }
  const med = {
    p50: round(median(runs.map((r) => r.latencyMs.p50))),
    p99: round(median(runs.map((r) => r.latencyMs.p99))),
    max: round(median(runs.map((r) => r.latencyMs.max))),
  };
  latency = {
    runs,
    median: med,
    met: med.p99 <= LATENCY_TARGET_P99_MS && runs.every((r) => r.latencyMs.missing === 0),
    reference100,
    lateInDay,
  };
}

/** What was measured: the commit (and whether the tree had local changes) and key package versions. */
function subject(): { commit: string | null; dirty: boolean | null; packages: Record<string, string> } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  let commit: string | null = null;
  let dirty: boolean | null = null;
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    dirty = git('status', '--porcelain', '--', '.', ':!bench', ':!BENCHMARKS.md') !== '';
  } catch {
    // not a git checkout
  }
  const packages: Record<string, string> = {};
  for (const name of ['@duckdb/node-api', '@hono/node-server', 'hono', 'ws', 'zod', 'tsx']) {
    try {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      };
      packages[name] = pkg.version;
    } catch {
      // not installed
    }
  }
  return { commit, dirty, packages };
}

const finished = new Date();
const results = {
  startedAt: started.toISOString(),
  finishedAt: finished.toISOString(),
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine,
  subject: subject(),
  ingest,
  latency,
};
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);

console.log('\n=== Ingest ===');
if (ingest) console.log(ingestSummary(ingest));
if (latency) {
  console.log('\n=== Event-to-screen latency ===');
  for (const [i, r] of latency.runs.entries()) console.log(`\nrun ${i + 1}:\n${latencySummary(r)}`);
  if (latency.reference100) console.log(`\nreference, 100 clients:\n${latencySummary(latency.reference100)}`);
  if (latency.lateInDay) {
    console.log(`\n1000 clients, server holding 500,000 events of history:\n${latencySummary(latency.lateInDay)}`);
  }
}

console.log('\n=== Summary ===');
const rows: (string | number)[][] = [['measurement', 'result', 'target', 'met']];
if (ingest) {
  rows.push([
    `ingest, POST /api/events (median of ${ingest.config.runs}, batch ${ingest.best.batch})`,
    `${ingest.best.medianEventsPerSec} events/s (${round(ingest.ratioToAppender * 100)}% of raw appender ${ingest.local.appender.medianEventsPerSec})`,
    `>= ${ingest.target.eventsPerSec} events/s`,
    ingest.target.met ? 'yes' : 'NO',
  ]);
  rows.push([
    'stored == acknowledged',
    ingest.http.every((h) => h.verified) ? 'yes, every run' : 'NO',
    'equal',
    ingest.http.every((h) => h.verified) ? 'yes' : 'NO',
  ]);
}
if (latency) {
  const first = latency.runs[0]!;
  rows.push([
    `event -> screen, ${first.config.clients} clients, ${first.config.rate} events/s (median of ${latency.runs.length})`,
    `p50 ${latency.median.p50} ms, p99 ${latency.median.p99} ms, max ${latency.median.max} ms`,
    `p99 <= ${LATENCY_TARGET_P99_MS} ms`,
    latency.met ? 'yes' : 'NO',
  ]);
  for (const [label, r] of [
    ['same, 100 clients (reference)', latency.reference100],
    ['same, 1000 clients, 500k events of history', latency.lateInDay],
  ] as const) {
    if (!r) continue;
    rows.push([
      label,
      `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
      '(information)',
      r.latencyMs.p99 <= LATENCY_TARGET_P99_MS ? 'yes' : 'no',
    ]);
  }
  rows.push([
    'clients connected at end',
    latency.runs.map((r) => `${r.clientsConnectedAtEnd}/${r.config.clients}`).join(', '),
    'all',
    latency.runs.every((r) => r.clientsConnectedAtEnd === r.config.clients) ? 'yes' : 'NO',
  ]);
}
console.log(table(rows));
console.log(`\nresults: bench/results/latest.json (${round((finished.getTime() - started.getTime()) / 60_000)} min)`);
