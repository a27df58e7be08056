/**
 * KPI counters per interval and dimension for any range: the facts summed (kpi-interval-sql.ts),
 * brought up to date first, with whole ended days taken from rollups (kpi-rollups.ts) where the query
 * is one they hold, and otherwise kept in memory per query shape.
 */
import { addCounters, emptyCounters, fcrHorizonMs, type KpiSettings } from '../contract/kpis.ts';
import type { Database } from '../db/duckdb.ts';
import { changedDays, factsWatermark, refreshFacts } from './kpi-facts.ts';
import { sumFacts, wholeDays, type Day, type IntervalQuery, type IntervalRow } from './kpi-interval-sql.ts';
import { rolledUp, rollsUp } from './kpi-rollups.ts';
import { isStorageFailure } from '../ingest/storage-reason.ts';

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
 * Interval rows for a range: the partial days at its ends summed from the facts, and its whole
 * ended days from rollups where the query is one they hold, else from days kept in memory per query
 * shape. Either is reused until a refresh changes facts it depends on, so a dashboard asking for
 * the last 30 days again only sums today.
 */
export async function kpiIntervals(
  db: Database,
  q: IntervalQuery,
  settings: KpiSettings,
  now = Date.now(),
): Promise<IntervalRow[]> {
  // Everything committed before the question is in the answer, while the database takes writes. When
  // it does not (disk full, read-only file) the facts as they stand answer: no event is committed
  // meanwhile either, the background refresh logs the failure, and the health check reports it.
  await refreshFacts(db).catch((err: unknown) => {
    if (!isStorageFailure(err)) throw err;
  });
  // A team is the agent's latest within a day of the whole range, so a day alone could differ.
  const days = q.by === 'team' ? [] : wholeDays(q, now);
  if (days.length === 0) return sumFacts(db, q, settings, now);
  const first = days[0]!.start;
  const last = days.at(-1)!.end;
  const [head, middle, tail] = await Promise.all([
    first > q.from ? sumFacts(db, { ...q, to: first }, settings, now) : [],
    rollsUp(q, days) ? rolledUp(db, q, settings, days, now) : kept(db, q, settings, days, now),
    last < q.to ? sumFacts(db, { ...q, from: last }, settings, now) : [],
  ]);
  return combine(q, [head, middle, tail]);
}

/**
 * The rows of whole ended days, each day kept in memory (per query shape, up to a budget of rows)
 * until a refresh changes its facts; days missing or stale are summed in one query over their span.
 * A range is kept as days, which `combine` adds up.
 */
async function kept(
  db: Database,
  q: IntervalQuery,
  settings: KpiSettings,
  days: readonly Day[],
  now: number,
): Promise<IntervalRow[]> {
  const perDay: IntervalQuery = q.interval === 'range' ? { ...q, interval: '1d' } : q;
  const cache = cacheOf(db);
  const shape = JSON.stringify([perDay.interval, q.by, q.timeZone, q.queues ?? null, q.channel ?? null, settings]);
  const keyOf = (d: Day) =>
    `${shape}|${d.start}|${JSON.stringify((q.open ?? []).filter(([a, b]) => a < d.end && b > d.start))}`;
  // Taken before any await: another query may evict entries meanwhile.
  const hits = new Map(days.map((d) => [d.start, cache.get(keyOf(d))]));
  const watermark = await factsWatermark(db);
  const stale = await changedDays(db, days, (d) => hits.get(d.start)?.watermark, fcrHorizonMs(settings));
  const byDay = new Map(days.map((d) => [d.start, hits.get(d.start)?.rows ?? []]));
  if (stale.length > 0) {
    const lo = stale[0]!.start;
    const hi = stale.at(-1)!.end;
    const rows = await sumFacts(db, { ...perDay, from: lo, to: hi }, settings, now);
    for (const d of days.filter((x) => x.start >= lo && x.end <= hi)) {
      const own = rows.filter((r) => r.start >= d.start && r.start < d.end);
      byDay.set(d.start, own);
      remember(cache, keyOf(d), { watermark, rows: own });
    }
  }
  return days.flatMap((d) => byDay.get(d.start)!);
}

type Kept = { watermark: number; rows: IntervalRow[] };
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
