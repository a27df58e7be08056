/**
 * The executive summary over a large history: builds (once, then reuses) a DuckDB file holding N
 * simulated contacts over D days (bench/lib.ts buildHistory, one simulated day copied to every day and
 * "site") plus some hours of "today", builds the KPI facts, warms the rollups as the server does, then
 * times executiveSummary (GET /api/summary) for several periods, median of runs.
 *
 *   npx tsx bench/summary.ts [--contacts 10000000] [--days 90] [--runs 5] [--db PATH]
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DEFAULT_COSTS, type Comparison, type Period } from '../server/contract/executive.ts';
import { DEFAULT_KPI_SETTINGS } from '../server/contract/kpis.ts';
import { openDatabase, type Database } from '../server/db/duckdb.ts';
import { migrate } from '../server/db/migrate.ts';
import { executiveSummary, type SummaryContext } from '../server/executive/executive-summary.ts';
import { resolvePeriod } from '../server/executive/periods.ts';
import { refreshFacts } from '../server/kpi/kpi-facts.ts';
import { kpiIntervals, type Dimension } from '../server/kpi/kpi-intervals.ts';
import { rollupShape, warmRollups, WARM_DAYS } from '../server/kpi/kpi-rollups.ts';
import { buildHistory, machineInfo, median, round, ROOT, table } from './lib.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '10000000' },
    days: { type: 'string', default: '90' },
    runs: { type: 'string', default: '5' },
    db: { type: 'string' },
    /** Skip the cold cases (rollups dropped, summed again): only the warm timings. */
    'warm-only': { type: 'boolean', default: false },
  },
});
const contacts = Number(values.contacts);
const days = Number(values.days);
const runs = Number(values.runs);
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const path = values.db ?? join(dir, `summary-${contacts}-${days}d.duckdb`);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const HOUR_MS = 3_600_000;

// A fixed calendar so that reruns reuse the file: the history's last day is "yesterday", and now is
// noon of the day after it, with the morning's traffic (a copy of day one's first 12 hours) as "today".
// The 20th of a month, so that "this month" holds 19 whole days and a running one.
const end = Date.UTC(2026, 10, 20);
const todayMs = 12 * HOUR_MS;
const now = end + todayMs;
const timeZone = 'UTC';
const settings = DEFAULT_KPI_SETTINGS;

let db: Database = await openDatabase(path);
await migrate(db);
const stored = (await db.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'contact.started'"))[0]!.n;
if (stored === 0) {
  log(`building ${path}`);
  const seconds = await buildHistory(db, { contacts, days, end, replicate: true, afterEndMs: todayMs, log });
  log(`built in ${round(seconds)} s`);
} else if (stored < contacts * 0.9) {
  throw new Error(`${path} holds ${stored} contacts, fewer than asked: delete it to rebuild`);
}
const [size] = await db.query<{ contacts: number; events: number; today: number; first: number; last: number }>(
  `SELECT count(*) FILTER (WHERE type = 'contact.started') AS contacts, count(*) AS events,
     count(*) FILTER (WHERE type = 'contact.started' AND at_ms >= ?) AS today, min(at_ms) AS first, max(at_ms) AS last
   FROM events`,
  [end],
);
log(
  `history: ${size!.contacts} contacts (${size!.today} today), ${size!.events} events, ` +
    `${new Date(Number(size!.first)).toISOString()} .. ${new Date(Number(size!.last)).toISOString()}`,
);

{
  const t0 = performance.now();
  const r = await refreshFacts(db);
  if (r.events > 0) log(`facts built from ${r.events} events in ${round((performance.now() - t0) / 1000)} s`);
}
await db.query('CHECKPOINT');
const fileGiB = () => round(statSync(path).size / 2 ** 30, 2);
log(`file ${fileGiB()} GiB`);

const ctx = (): SummaryContext => ({ db, timeZone, settings, costs: DEFAULT_COSTS, queues: null, now });
type Case = { label: string; period: Period; compare: Comparison };
const cases: Case[] = [
  { label: 'last 90 days vs previous 90', period: 'last90', compare: 'previous' },
  { label: 'last 90 days, no comparison', period: 'last90', compare: 'none' },
  { label: 'last 30 days vs previous 30', period: 'last30', compare: 'previous' },
  { label: 'last 7 days vs previous 7', period: 'last7', compare: 'previous' },
  { label: 'today (12 h) vs yesterday', period: 'today', compare: 'previous' },
  { label: 'this month (19 d 12 h) vs last', period: 'thisMonth', compare: 'previous' },
];
const summary = (c: Pick<Case, 'period' | 'compare'>) =>
  executiveSummary(ctx(), { period: c.period, compare: c.compare });
const timed = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
};
const dropRollups = () =>
  db.write(async (tx) => {
    for (const t of ['kpi_rollup_slots', 'kpi_rollup_entries', 'kpi_rollup_days']) await tx.query(`DELETE FROM ${t}`);
  });
const rolledUpDays = async () =>
  (
    await db.query<{ n: number }>('SELECT count(*) AS n FROM kpi_rollup_days WHERE shape = ?', [
      rollupShape('none', timeZone, settings),
    ])
  )[0]!.n;
const ms = (t: number) => round(t, 0);
const rows: (string | number)[][] = [];
const last90 = { period: 'last90', compare: 'previous' } as const;
{
  const r = resolvePeriod(last90, now, timeZone);
  const cur = r.current;
  const cmp = r.comparison!;
  log(
    `last90: ${new Date(cur.from).toISOString()} .. ${new Date(cur.to).toISOString()}; previous: ` +
      `${new Date(cmp.from).toISOString()} .. ${new Date(cmp.to).toISOString()} ` +
      `(${Number(size!.first) >= cmp.to ? 'before the history: empty' : 'overlaps the history'})`,
  );
}

if (!values['warm-only']) {
  // Cold: every rollup dropped (a change of definitions): the first summary sums its days from the facts.
  await dropRollups();
  const [cold] = await timed(() => summary(last90));
  rows.push(['first after dropping every rollup (last 90 vs previous)', ms(cold), '', '', '']);
  log(`cold last90+previous: ${ms(cold)} ms`);

  // What the server does in the background after such a change: the last WARM_DAYS days of every split.
  await dropRollups();
  const t0 = performance.now();
  let splitDays = 0;
  for (let n; (n = await warmRollups(db, settings, timeZone, now)) > 0;) splitDays += n;
  const warm = performance.now() - t0;
  rows.push([
    `warm-up: ${splitDays} split-days (${WARM_DAYS} days back, background)`,
    `${round(warm / 1000)} s`,
    `${ms(warm / splitDays)} ms per split-day`,
    '',
    '',
  ]);
  log(`warmed ${splitDays} split-days in ${round(warm / 1000)} s (${ms(warm / splitDays)} ms each)`);

  // The comparison of last90 reaches 180 days back, beyond the warm-up: the first query sums those days.
  const before = await rolledUpDays();
  const [first] = await timed(() => summary(last90));
  const added = (await rolledUpDays()) - before;
  rows.push([`first after the warm-up (sums ${added} days past ${WARM_DAYS} per split)`, ms(first), '', '', '']);
  log(`first last90+previous after the warm-up: ${ms(first)} ms, ${added} more days of split none`);

  // A restart: the rollups are stored, DuckDB's buffers are empty.
  await db.close();
  db = await openDatabase(path);
  const [restart] = await timed(() => summary(last90));
  rows.push(['first after reopening the database (a restart)', ms(restart), '', '', '']);
  log(`first last90+previous after reopening: ${ms(restart)} ms`);
} else {
  for (let n; (n = await warmRollups(db, settings, timeZone, now)) > 0;) log(`  warmed ${n} split-days`);
}

rows.unshift(['summary', 'median', 'runs (ms)', 'first (ms)', 'JSON']);
const table1: (string | number)[][] = [rows[0]!];
for (const c of cases) {
  const [first, result] = await timed(() => summary(c));
  const json = JSON.stringify(result);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(() => summary(c)))[0]);
  const bytes = Buffer.byteLength(json);
  const gz = gzipSync(json).length;
  table1.push([
    c.label,
    `${ms(median(times))} ms`,
    times.map(ms).join(' / '),
    ms(first),
    `${round(bytes / 1024)} KiB (${round(gz / 1024)} gzip)`,
  ]);
  log(`${c.label}: median ${ms(median(times))} ms (first ${ms(first)}), ${bytes} bytes`);
}

// Where the time goes: the 5 kpiIntervals calls of each period, one at a time (sequential, so they
// add up to more than the summary, which runs them in parallel).
const breakdown: (string | number)[][] = [['one query at a time', 'median ms', 'runs (ms)']];
for (const c of [cases[0]!, cases[4]!, cases[5]!]) {
  const r = resolvePeriod(c, now, timeZone);
  const calls: [string, Dimension, boolean][] = [
    ['range', 'none', false],
    [`trend (${r.interval})`, 'none', true],
    ['by handler and segment', 'handler_segment', false],
    ['by channel', 'channel', false],
    ['by escalation', 'escalation', false],
  ];
  for (const [name, span] of [
    ['current', r.current],
    ['previous', r.comparison!],
  ] as const) {
    for (const [label, by, every] of calls) {
      const ask = () =>
        kpiIntervals(
          db,
          { from: span.from, to: span.to, interval: every ? r.interval : 'range', by, timeZone },
          settings,
          now,
        );
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await timed(ask))[0]);
      breakdown.push([`${c.period} ${name}: ${label}`, ms(median(times)), times.map(ms).join(' / ')]);
    }
  }
  const all: number[] = [];
  for (let i = 0; i < runs; i++) all.push((await timed(() => summary(c)))[0]);
  breakdown.push([`${c.period}: the whole summary (in parallel)`, ms(median(all)), all.map(ms).join(' / ')]);
}

const m = machineInfo();
console.log(
  `\n${size!.contacts} contacts (${size!.today} today), ${size!.events} events, ${fileGiB()} GiB; ` +
    `${m.cpus} x ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}\n`,
);
console.log(table(table1));
console.log('');
console.log(table(rows.slice(1)));
console.log('');
console.log(table(breakdown));
await db.close();
