/**
 * KPI rollups: each ended local day summed from the facts into 15-minute slots, per dimension (none,
 * queue, channel, handler, handler and segment, escalation reason) and per set of definitions, stored in DuckDB
 * (data/migrations/006_kpi_rollups.sql). A query over many days then sums a few thousand stored rows
 * per day instead of millions of facts, and the rows outlive a restart.
 *
 * A rollup is the very sum `sumFacts` gives for that day at 15 minutes, so summing slots into longer
 * intervals (or the range) gives the same counters to the last digit: every counter is a sum, every
 * interval boundary in a day falls on a quarter hour (as every time zone's offset does), and business
 * hours open and close on quarter hours, so a slot is either open or closed.
 *
 * A day is summed again when a refresh changed facts it depends on after the watermark it was summed
 * at (kpi_fact_changes, written by kpi-facts.ts in the refresh's transaction): the day itself, or,
 * for FCR, a customer's next start within the shape's horizon. Past days rarely change, so the
 * last few days are all a busy dashboard re-sums.
 */
import { createHash } from 'node:crypto';
import {
  addMoney,
  emptyCounters,
  fcrHorizonMs,
  settingsFor,
  type KpiSettings,
  type NumericCounter,
} from '../contract/kpis.ts';
import type { AppendRow, ColumnKind, Database, Param } from '../db/duckdb.ts';
import { startOfDay } from '../time.ts';
import { changedDays, factsWatermark } from './kpi-facts.ts';
import {
  bucketStarts,
  slotMap,
  sumFacts,
  wholeDays,
  type Day,
  type Dimension,
  type IntervalQuery,
  type IntervalRow,
} from './kpi-interval-sql.ts';

const SLOT_MS = 900_000;
const DAY_MS = 86_400_000;

/**
 * Splits with a handful of keys. Not agents: a day of a large center is a row per agent and slot
 * (168,000 rows a day at 1,750 agents), which costs more to write and read than to sum the facts;
 * splits by agent keep whole days in memory instead (kpi-intervals.ts).
 */
export const ROLLUP_DIMENSIONS = [
  'none',
  'queue',
  'channel',
  'handler',
  // The executive summary's splits (server/executive/): a segment alone is the sum of its handlers.
  'handler_segment',
  'escalation',
] as const satisfies readonly Dimension[];

/** The numeric counters, in kpi_rollup_slots' column order after (shape, day_ms, slot_ms, key). */
export const SUMMED = [
  'contacts',
  'contactsAi',
  'contactsHybrid',
  'contactsHuman',
  'offered',
  'answered',
  'answeredWithWait',
  'answeredWaitMs',
  'answeredWithinThreshold',
  'exitsWithinThreshold',
  'abandoned',
  'shortAbandoned',
  'transferred',
  'handled',
  'handleMs',
  'botSessions',
  'botContained',
  'botEscalated',
  'botAbandoned',
  'csatResponses',
  'csatTop2',
  'csatSum',
  'npsResponses',
  'npsPromoters',
  'npsDetractors',
  'resolvedResponses',
  'resolvedYes',
  'fcrContacts',
  'fcrRepeated',
  'conversions',
  'busyMs',
  'availableMs',
] as const satisfies readonly NumericCounter[];

export const columnOf = (counter: string): string => counter.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const COLUMNS = SUMMED.map(columnOf);

/** Money in whole 1/10,000 units, as sumFacts sums it. */
const E4 = 10_000;
/** Days summed per pass: more is faster, and holds more rows in memory. */
const CHUNK_DAYS = 14;

/**
 * What a rollup depends on besides the facts: the split, the zone that cuts days, and the settings
 * sumFacts reads (thresholds per queue, the FCR horizon). Variants and targets only shape the KPIs
 * computed from counters, so they share rollups.
 */
export function rollupShape(by: Dimension, timeZone: string, settings: KpiSettings): string {
  const queues = Object.keys(settings.queues ?? {})
    .sort()
    .map((q) => {
      const s = settingsFor(settings, q);
      return [q, s.slThresholdSeconds, s.shortAbandonSeconds];
    });
  const spec = [
    by,
    timeZone,
    settings.slThresholdSeconds,
    settings.shortAbandonSeconds,
    fcrHorizonMs(settings),
    queues,
  ];
  return createHash('sha256').update(JSON.stringify(spec)).digest('base64url').slice(0, 22);
}

/** Whether rollups can answer for these whole days of the query (wholeDays in kpi-interval-sql.ts). */
export function rollsUp(q: IntervalQuery, days: readonly Day[]): boolean {
  if (!(ROLLUP_DIMENSIONS as readonly Dimension[]).includes(q.by) || days.length === 0) return false;
  // A channel, or queues with another split, filter facts before they are summed: no rollup has that.
  if (q.channel !== undefined || (q.queues !== undefined && q.by !== 'queue')) return false;
  const lo = days[0]!.start;
  const hi = days.at(-1)!.end;
  // Open hours that start or end inside a slot would cut it: sum those ranges from the facts.
  return (q.open ?? [])
    .flat()
    .filter((t) => t > lo && t < hi)
    .every((t) => t % SLOT_MS === 0);
}

/** The whole ended days of the query's range that rollups can answer for (none when they cannot). */
export function rollupDays(q: IntervalQuery, now: number): Day[] {
  const days = wholeDays(q, now);
  return rollsUp(q, days) ? days : [];
}

type Value = number | string | null;
type Entry = { counter: 'sales' | 'escalationReasons'; name: string; value: number };

/**
 * The rows of `days` (whole ended days of the query's range, from rollupDays) in the query's
 * intervals, from rollups; days without a current rollup are summed and stored first.
 */
export async function rolledUp(
  db: Database,
  q: IntervalQuery,
  settings: KpiSettings,
  days: readonly Day[],
  now: number,
): Promise<IntervalRow[]> {
  const shape = rollupShape(q.by, q.timeZone, settings);
  await ensureRollups(db, shape, q.by, q.timeZone, settings, days, now);
  const lo = days[0]!.start;
  const hi = days.at(-1)!.end;
  // Each open slot of the days, and the interval it falls in (days begin and end on interval boundaries).
  const inside = q.interval === 'range' ? [lo] : bucketStarts(lo, hi, q.interval, q.timeZone);
  const map = slotMap(inside, hi, q.open, SLOT_MS);
  if (map.slots.length === 0) return [];
  const starts = q.interval === 'range' ? map.intervals.map(() => q.from) : map.intervals;
  const ends = new Map(inside.map((s, i) => [s, inside[i + 1] ?? hi]));
  if (q.interval === 'range') ends.set(q.from, q.to);
  const keep = q.queues !== undefined ? ' AND list_contains(?::VARCHAR[], r.key)' : '';
  const params: Param[] = [JSON.stringify(map.slots), JSON.stringify(starts)];
  const where: Param[] = [shape, lo, hi, ...(q.queues !== undefined ? [JSON.stringify(q.queues)] : [])];
  // One statement, so the counters and their maps come from one snapshot of the rollups; the maps
  // travel as one list per row (a row per entry would carry every counter column again, as NULLs).
  const result = await db.query<Record<string, Value | Entry[]>>(
    `WITH sm AS (SELECT unnest(?::BIGINT[]) AS slot, unnest(?::BIGINT[]) AS b),
     s AS (
       SELECT sm.b, r.key, ${SUMMED.map((k, i) => `sum(r.${COLUMNS[i]})::DOUBLE AS ${COLUMNS[i]}`).join(', ')}
       FROM kpi_rollup_slots r JOIN sm ON sm.slot = r.slot_ms // ${SLOT_MS}
       WHERE r.shape = ? AND r.day_ms >= ? AND r.day_ms < ?${keep}
       GROUP BY sm.b, r.key),
     e AS (
       SELECT b, key, list({'counter': counter, 'name': name, 'value': value}) AS entries FROM (
         SELECT sm.b, r.key, r.counter, r.name, sum(r.value)::DOUBLE AS value
         FROM kpi_rollup_entries r JOIN sm ON sm.slot = r.slot_ms // ${SLOT_MS}
         WHERE r.shape = ? AND r.day_ms >= ? AND r.day_ms < ?${keep}
         GROUP BY sm.b, r.key, r.counter, r.name)
       GROUP BY b, key)
     SELECT s.*, e.entries FROM s LEFT JOIN e ON e.b = s.b AND e.key IS NOT DISTINCT FROM s.key`,
    [...params, ...where, ...where],
  );
  const rows: IntervalRow[] = [];
  for (const r of result) {
    const start = Number(r.b);
    const c = emptyCounters();
    rows.push({ start, end: ends.get(start)!, key: (r.key as string | null) ?? null, counters: c });
    SUMMED.forEach((k, i) => (c[k] = Number(r[COLUMNS[i]!] ?? 0)));
    for (const e of (r.entries as Entry[] | null) ?? []) {
      if (e.counter === 'sales') c.sales[e.name] = addMoney(c.sales[e.name] ?? 0, e.value / E4);
      else c.escalationReasons[e.name] = (c.escalationReasons[e.name] ?? 0) + e.value;
    }
  }
  return [...rows.values()];
}

/**
 * Sums and stores the days of a shape that are missing or stale, a chunk of consecutive days per
 * pass; `newest` limits it to that many of the most recent. Returns how many days it summed.
 */
async function ensureRollups(
  db: Database,
  shape: string,
  by: Dimension,
  timeZone: string,
  settings: KpiSettings,
  days: readonly Day[],
  now: number,
  newest = Infinity,
): Promise<number> {
  const watermark = await factsWatermark(db);
  const stored = await db.query<{ day_ms: number; w: number }>(
    'SELECT day_ms, max(watermark) AS w FROM kpi_rollup_days WHERE shape = ? AND day_ms >= ? AND day_ms < ? GROUP BY day_ms',
    [shape, days[0]!.start, days.at(-1)!.end],
  );
  const summedAt = new Map(stored.map((r) => [r.day_ms, r.w]));
  const stale = (await changedDays(db, days, (d) => summedAt.get(d.start), fcrHorizonMs(settings))).slice(-newest);
  const runs: Day[][] = [];
  for (const d of stale) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.end === d.start && run.length < CHUNK_DAYS) run.push(d);
    else runs.push([d]);
  }
  for (const run of runs) {
    const from = run[0]!.start;
    const to = run.at(-1)!.end;
    const rows = await sumFacts(db, { from, to, interval: '15m', by, timeZone }, settings, now);
    const dayOf = (t: number) => run.findLast((d) => d.start <= t)!.start;
    const slots: AppendRow[] = [];
    const entries: AppendRow[] = [];
    for (const r of rows) {
      const day = dayOf(r.start);
      slots.push([shape, day, r.start, r.key, ...SUMMED.map((k) => r.counters[k])]);
      for (const [name, v] of Object.entries(r.counters.escalationReasons)) {
        entries.push([shape, day, r.start, r.key, 'escalationReasons', name, v]);
      }
      for (const [name, v] of Object.entries(r.counters.sales)) {
        entries.push([shape, day, r.start, r.key, 'sales', name, Math.round(v * E4)]);
      }
    }
    const starts = JSON.stringify(run.map((d) => d.start));
    await db.write(async (tx) => {
      for (const table of ['kpi_rollup_slots', 'kpi_rollup_entries', 'kpi_rollup_days']) {
        await tx.query(`DELETE FROM ${table} WHERE shape = ? AND day_ms IN (SELECT unnest(?::BIGINT[]))`, [
          shape,
          starts,
        ]);
      }
      await tx.append('kpi_rollup_slots', SLOT_TYPES, slots);
      await tx.append('kpi_rollup_entries', ENTRY_TYPES, entries);
      await tx.query('INSERT INTO kpi_rollup_days SELECT ?, unnest(?::BIGINT[]), ?', [shape, starts, watermark]);
    });
  }
  return stale.length;
}

const SLOT_TYPES: ColumnKind[] = ['varchar', 'bigint', 'bigint', 'varchar', ...SUMMED.map((): ColumnKind => 'bigint')];
const ENTRY_TYPES: ColumnKind[] = ['varchar', 'bigint', 'bigint', 'varchar', 'varchar', 'varchar', 'bigint'];

/** The shapes each database was last purged for. */
const purged = new WeakMap<Database, string>();

/** How far back the server keeps rollups summed ahead of any query: a quarter and a bit. */
export const WARM_DAYS = 92;

/**
 * One step of keeping the last WARM_DAYS days summed for every split under the current settings, so
 * that the first dashboard to ask after a restart or a change finds them. Rollups of other settings
 * are dropped. Returns how many days it summed (0: nothing was left to do).
 */
export async function warmRollups(
  db: Database,
  settings: KpiSettings,
  timeZone: string,
  now: number,
  daysBack = WARM_DAYS,
): Promise<number> {
  const shapes = JSON.stringify(ROLLUP_DIMENSIONS.map((by) => rollupShape(by, timeZone, settings)));
  if (purged.get(db) !== shapes) {
    await db.write(async (tx) => {
      for (const table of ['kpi_rollup_slots', 'kpi_rollup_entries', 'kpi_rollup_days']) {
        await tx.query(`DELETE FROM ${table} WHERE NOT list_contains(?::VARCHAR[], shape)`, [shapes]);
      }
    });
    purged.set(db, shapes);
  }
  const today = startOfDay(now, timeZone);
  const q = { from: startOfDay(today - daysBack * DAY_MS, timeZone), to: today, interval: '1d', timeZone } as const;
  for (const by of ROLLUP_DIMENSIONS) {
    const days = rollupDays({ ...q, by }, now);
    if (days.length === 0) continue;
    // The most recent days first: they are the ones asked for most.
    const summed = await ensureRollups(
      db,
      rollupShape(by, timeZone, settings),
      by,
      timeZone,
      settings,
      days,
      now,
      CHUNK_DAYS,
    );
    if (summed > 0) return summed;
  }
  return 0;
}
