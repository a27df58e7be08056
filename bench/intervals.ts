/**
 * Interval tables over a large history: builds (once, then reuses) a DuckDB file holding N simulated
 * contacts, then times GET /api/kpis/intervals' queries (kpiIntervals) directly, median of runs.
 *
 *   npx tsx bench/intervals.ts [--contacts 1000000] [--runs 3] [--db PATH]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_KPI_SETTINGS } from '../server/contract/kpis.ts';
import { openDatabase } from '../server/db/duckdb.ts';
import { migrate } from '../server/db/migrate.ts';
import { refreshFacts } from '../server/kpi/kpi-facts.ts';
import { kpiIntervals, type Dimension, type IntervalName } from '../server/kpi/kpi-intervals.ts';
import { warmRollups } from '../server/kpi/kpi-rollups.ts';
import { buildHistory, machineInfo, median, round, ROOT, table } from './lib.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    db: { type: 'string' },
    /** Simulate one day and copy it (shifted, with renamed ids) instead of simulating every day. */
    replicate: { type: 'boolean', default: false },
  },
});
const contacts = Number(values.contacts);
const runs = Number(values.runs);
const dir = join(ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const path = values.db ?? join(dir, `intervals-${contacts}.duckdb`);
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

// A fixed calendar so that reruns reuse the file: 30 days ending at a fixed time.
const end = Date.UTC(2026, 10, 1);
const days = 30;
const start = end - days * 86_400_000;

const db = await openDatabase(path);
await migrate(db);
const stored = (await db.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE type = 'contact.started'"))[0]!.n;
if (stored < contacts) {
  if (stored > 0) throw new Error(`${path} holds ${stored} contacts, fewer than asked: delete it to rebuild`);
  const seconds = await buildHistory(db, { contacts, days, end, replicate: values.replicate, log });
  log(`built ${path} in ${round(seconds)} s`);
}
const [facts] = await db.query<{ contacts: number; events: number }>(
  "SELECT count(*) FILTER (WHERE type = 'contact.started') AS contacts, count(*) AS events FROM events",
);
log(`history: ${facts!.contacts} contacts, ${facts!.events} events`);

// The KPI facts: built once from all events (a full rebuild), then kept up to date a refresh at a time.
{
  const t0 = performance.now();
  const r = await refreshFacts(db);
  if (r.events > 0) log(`facts built from ${r.events} events in ${round((performance.now() - t0) / 1000)} s`);
}

const cases: { label: string; from: number; interval: IntervalName | 'range'; by: Dimension }[] = [
  { label: 'last day, 15m', from: end - 86_400_000, interval: '15m', by: 'none' },
  { label: 'last day, 1h by queue', from: end - 86_400_000, interval: '1h', by: 'queue' },
  { label: 'last 7 days, 1d by agent', from: end - 7 * 86_400_000, interval: '1d', by: 'agent' },
  { label: '30 days, 1d', from: start, interval: '1d', by: 'none' },
  { label: '30 days, 1h by queue', from: start, interval: '1h', by: 'queue' },
  { label: '30 days, the range (GET /api/kpis)', from: start, interval: 'range', by: 'none' },
  { label: 'last day + 5 h of today, 15m', from: end - 86_400_000, interval: '15m', by: 'none' },
];
const ask = (c: (typeof cases)[number]) =>
  kpiIntervals(
    db,
    {
      from: c.from,
      to: c.label.includes('today') ? end + 5 * 3_600_000 : end,
      interval: c.interval,
      by: c.by,
      timeZone: 'UTC',
    },
    DEFAULT_KPI_SETTINGS,
    end + 5 * 3_600_000,
  );
const dropRollups = () =>
  db.write(async (tx) => {
    for (const t of ['kpi_rollup_slots', 'kpi_rollup_entries', 'kpi_rollup_days']) await tx.query(`DELETE FROM ${t}`);
  });
// First: the days are summed from the facts and stored. Then: read back from the rollups.
const rows: (string | number)[][] = [
  ['query', 'first (sums the days) ms', 'rolled up: median ms', 'runs (ms)', 'rows'],
];
for (const c of cases) {
  await dropRollups();
  const t0 = performance.now();
  await ask(c);
  const first = performance.now() - t0;
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const t1 = performance.now();
    count = (await ask(c)).length;
    times.push(performance.now() - t1);
  }
  rows.push([c.label, round(first, 0), round(median(times), 0), times.map((t) => round(t, 0)).join(' / '), count]);
  log(`${c.label}: first ${round(first, 0)} ms, then median ${round(median(times), 0)} ms`);
}
// What the server does in the background: every split of every past day summed ahead.
{
  await dropRollups();
  const t0 = performance.now();
  let days = 0;
  for (let n; (n = await warmRollups(db, DEFAULT_KPI_SETTINGS, 'UTC', end + 5 * 3_600_000, 30)) > 0;) days += n;
  const ms = performance.now() - t0;
  rows.push([
    `roll up ${days} split-days ahead (server, background)`,
    round(ms, 0),
    round(ms / days, 0),
    'per split-day',
    days,
  ]);
  log(`rolled up ${days} split-days in ${round(ms / 1000)} s`);
}
// Steady state: the server refreshes about once a second; time refreshes after a second's and a
// minute's worth of new events (copies of the last ones, a day after the range, so that reruns
// measure the same history; the log is append-only, so they stay).
for (const [label, ms] of [
  ['refresh after 1 s of new events', 1_000],
  ['refresh after 60 s of new events', 60_000],
] as const) {
  const times: number[] = [];
  let added = 0;
  for (let i = 0; i < runs; i++) {
    const suffix = `~r${Date.now()}`;
    await db.write((tx) =>
      tx.query(
        `INSERT INTO events SELECT id || ?, type, at_ms + ?, received_ms, contact_id || ?, agent_id, queue, body,
           outcome, reason, channel, customer_id, state, team FROM events WHERE at_ms >= ? AND at_ms < ? AND id NOT LIKE '%~r%'`,
        [suffix, 86_400_000, suffix, end - ms, end],
      ),
    );
    const t0 = performance.now();
    added = (await refreshFacts(db)).events;
    times.push(performance.now() - t0);
  }
  rows.push([`${label} (${added})`, round(median(times), 0), times.map((t) => round(t, 0)).join(' / '), added]);
  log(`${label}: ${added} events, median ${round(median(times), 0)} ms`);
}
const m = machineInfo();
console.log(
  `\n${facts!.contacts} contacts, ${facts!.events} events; ${m.cpus} CPUs, ${m.memoryGiB} GiB, Node ${m.node}\n`,
);
console.log(table(rows));
await db.close();
