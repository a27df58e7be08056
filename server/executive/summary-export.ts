/**
 * The summary's data as one tidy table (a row per figure), which DuckDB writes as CSV or Parquet:
 * period (current | comparison), section, start of the trend interval, group, handler, metric, value.
 * Every KPI of every group is there, rates as fractions, times in seconds, money in its currency.
 */
import type { ComparisonPeriod, ExecutiveSummary, SummaryGroup, SummaryPeriod } from '../contract/executive.ts';
import { HANDLER_KEYS } from '../contract/executive.ts';
import type { AppendRow, ColumnKind } from '../db/duckdb.ts';

export const EXPORT_COLUMNS: readonly (readonly [string, ColumnKind])[] = [
  ['period', 'varchar'],
  ['range_from', 'varchar'],
  ['range_to', 'varchar'],
  ['section', 'varchar'],
  ['interval_start', 'varchar'],
  ['group', 'varchar'],
  ['handler', 'varchar'],
  ['metric', 'varchar'],
  ['value', 'double'],
];

/** Times travel as text into DuckDB and leave as timestamps. */
export const EXPORT_SELECT = `period, range_from::TIMESTAMPTZ AS range_from, range_to::TIMESTAMPTZ AS range_to, section,
  interval_start::TIMESTAMPTZ AS interval_start, "group", handler, metric, value`;

/** A group's KPIs as metric/value pairs; maps (sales, reasons, handlers) as `name.key`. */
function figures(g: SummaryGroup): [string, number | null][] {
  const out: [string, number | null][] = [];
  for (const [k, v] of Object.entries(g.kpis)) {
    if (typeof v === 'number' || v === null) out.push([k, v]);
    else for (const [kk, vv] of Object.entries(v as Record<string, number>)) out.push([`${k}.${kk}`, vv]);
  }
  return out;
}

function periodRows(name: 'current' | 'comparison', p: SummaryPeriod | ComparisonPeriod): AppendRow[] {
  const rows: AppendRow[] = [];
  const add = (
    section: string,
    start: string | null,
    group: string | null,
    handler: string | null,
    g: SummaryGroup,
  ) => {
    for (const [metric, value] of figures(g)) {
      rows.push([name, p.range.from, p.range.to, section, start, group, handler, metric, value]);
    }
  };
  add('totals', null, null, null, p.totals);
  for (const t of p.trend) add('trend', t.start, null, null, t);
  // The comparison carries its totals and trend only.
  if (!('byHandler' in p)) return rows;
  for (const h of HANDLER_KEYS) {
    const g = p.byHandler[h];
    add('handler', null, null, h, g);
    for (const [metric, value] of Object.entries(g.cost)) {
      rows.push([name, p.range.from, p.range.to, 'cost', null, null, h, metric, value]);
    }
  }
  for (const s of p.bySegment) for (const h of HANDLER_KEYS) add('segment', null, s.key, h, s.handlers[h]);
  for (const c of p.byChannel) add('channel', null, c.key, null, c);
  for (const e of p.byEscalation) add('escalation', null, e.key, 'hybrid', e);
  rows.push([name, p.range.from, p.range.to, 'cost', null, null, null, 'total', p.costs.total]);
  rows.push([name, p.range.from, p.range.to, 'cost', null, null, null, 'savings', p.costs.savings]);
  return rows;
}

export function exportRows(s: ExecutiveSummary): AppendRow[] {
  return [...periodRows('current', s.current), ...(s.comparison ? periodRows('comparison', s.comparison) : [])];
}
