/**
 * KPI counters per interval and dimension for any range: the facts summed (kpi-interval-sql.ts),
 * brought up to date first, with whole ended days taken from rollups (kpi-rollups.ts) where the query
 * is one they hold, and otherwise kept in memory per query shape.
 */
import { addCounters, emptyCounters, type KpiSettings } from '../contract/kpis.ts';
import type { Database } from '../db/duckdb.ts';
import { factsChangedSince, factsGeneration, LOOKBACK_MS, refreshFacts } from './kpi-facts.ts';
import { bucketStarts, sumFacts, type IntervalQuery, type IntervalRow } from './kpi-interval-sql.ts';
import { rolledUp, rollupDays } from './kpi-rollups.ts';

export {
  bucketStarts,
  DIMENSIONS,
  INTERVALS,
  MAX_BUCKETS,
  type Dimension,
  type IntervalName,
  type IntervalQuery,
  type IntervalRow,
} from './kpi-interval-sql.ts';

/**
 * Interval rows for a range. Whole local days that have ended are kept (per query shape, up to a
 * budget of rows) and reused until a refresh rewrites facts they depend on, so a dashboard asking
 * for the last 30 days again only computes today.
 */
export async function kpiIntervals(
  db: Database,
  q: IntervalQuery,
  settings: KpiSettings,
  now = Date.now(),
): Promise<IntervalRow[]> {
  // Everything committed before the question is in the answer.
  await refreshFacts(db);
  // A team is the agent's latest within a day of the whole range, so a day alone could differ.
  if (q.by === 'team') return sumFacts(db, q, settings, now);
  const whole = rollupDays(q, now);
  if (whole.length > 0) {
    const first = whole[0]!.start;
    const last = whole.at(-1)!.end;
    const [head, middle, tail] = await Promise.all([
      first > q.from ? sumFacts(db, { ...q, to: first }, settings, now) : [],
      rolledUp(db, q, settings, whole, now),
      last < q.to ? sumFacts(db, { ...q, from: last }, settings, now) : [],
    ]);
    return combine(q, [head, middle, tail]);
  }
  if (q.interval === 'range') return sumFacts(db, q, settings, now);
  const days = bucketStarts(q.from, q.to, '1d', q.timeZone)
    .map((start, i, all) => ({ start, end: all[i + 1] ?? q.to }))
    .filter((d) => d.start >= q.from && d.end <= Math.min(q.to, now) && d.end > d.start);
  if (days.length < 2) return sumFacts(db, q, settings, now);
  const generation = factsGeneration(db);
  const cache = cacheOf(db);
  const shape = JSON.stringify([q.interval, q.by, q.timeZone, q.queues ?? null, q.channel ?? null, settings]);
  const keyOf = (d: { start: number; end: number }) =>
    `${shape}|${d.start}|${JSON.stringify((q.open ?? []).filter(([a, b]) => a < d.end && b > d.start))}`;
  const fresh = (d: { start: number; end: number }) => {
    const hit = cache.get(keyOf(d));
    return hit && !factsChangedSince(db, hit.generation, d.start - LOOKBACK_MS, d.end) ? hit : null;
  };
  // Each day's rows: kept ones, or computed now (kept too, unless over the budget).
  const byDay = new Map(days.map((d) => [d.start, fresh(d)?.rows ?? null]));
  const missing = days.filter((d) => byDay.get(d.start) === null);
  if (missing.length > 0) {
    // One query over the days missing (and those between them), split into days.
    const lo = missing[0]!.start;
    const hi = missing.at(-1)!.end;
    const rows = await sumFacts(db, { ...q, from: lo, to: hi }, settings, now);
    for (const d of days.filter((x) => x.start >= lo && x.end <= hi)) {
      const own = rows.filter((r) => r.start >= d.start && r.start < d.end);
      byDay.set(d.start, own);
      remember(cache, keyOf(d), { generation, rows: own });
    }
  }
  const first = days[0]!.start;
  const last = days.at(-1)!.end;
  const head = first > q.from ? await sumFacts(db, { ...q, to: first }, settings, now) : [];
  const tail = last < q.to ? await sumFacts(db, { ...q, from: last }, settings, now) : [];
  const middle = days.flatMap((d) => byDay.get(d.start) ?? []);
  return [...head, ...middle, ...tail];
}

type Kept = { generation: number; rows: IntervalRow[] };
const caches = new WeakMap<Database, Map<string, Kept>>();
/** Rows kept across all days and shapes; the oldest kept go first. */
const KEPT_ROWS = 500_000;

function cacheOf(db: Database): Map<string, Kept> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

function remember(cache: Map<string, Kept>, key: string, kept: Kept): void {
  cache.delete(key);
  if (kept.rows.length > KEPT_ROWS / 10) return;
  cache.set(key, kept);
  let total = 0;
  for (const k of cache.values()) total += k.rows.length;
  for (const [k, v] of cache) {
    if (total <= KEPT_ROWS) break;
    cache.delete(k);
    total -= v.rows.length;
  }
}

/** Parts of a range as one answer: a range's parts add up into one row per key. */
function combine(q: IntervalQuery, parts: IntervalRow[][]): IntervalRow[] {
  const rows = parts.flat();
  if (q.interval !== 'range') return rows.sort(byStartAndKey);
  const byKey = new Map<string | null, IntervalRow>();
  for (const r of rows) {
    let into = byKey.get(r.key);
    if (!into) byKey.set(r.key, (into = { start: q.from, end: q.to, key: r.key, counters: emptyCounters() }));
    addCounters(into.counters, r.counters);
  }
  return [...byKey.values()].sort(byStartAndKey);
}

const byStartAndKey = (a: IntervalRow, b: IntervalRow) => a.start - b.start || (a.key ?? '').localeCompare(b.key ?? '');
