/**
 * KPI counters for any past range, computed in DuckDB from the stored events: the interval engine
 * (kpi-intervals.ts) over a single interval, the range itself, so a range and its intervals can
 * never be counted by two different sets of rules. Each query there mirrors a rule of the live engine
 * (see docs/architecture.md, "Two engines, one answer").
 */
import { emptyCounters, type KpiCounters, type KpiSettings } from '../contract/kpis.ts';
import type { Database } from '../db/duckdb.ts';
import { kpiIntervals } from './kpi-intervals.ts';

export type KpiFilter = {
  from: number;
  to: number;
  /** Any of these queues; an empty list matches nothing (a scope that allows no queue). */
  queues?: readonly string[];
  channel?: string;
  /** Count only what happens within these spans (business hours). */
  open?: readonly (readonly [number, number])[];
  /** Where days begin: whole days come from rollups summed in this zone (UTC when not given). */
  timeZone?: string;
};

export async function kpiCounters(
  db: Database,
  filter: KpiFilter,
  settings: KpiSettings,
  now = Date.now(),
): Promise<KpiCounters> {
  // One interval and no split: the zone decides only which parts are whole days, not the sum.
  const [row] = await kpiIntervals(
    db,
    { ...filter, interval: 'range', by: 'none', timeZone: filter.timeZone ?? 'UTC' },
    settings,
    now,
  );
  return row?.counters ?? emptyCounters();
}
