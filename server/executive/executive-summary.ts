/**
 * The executive summary of a period and its comparison, from the KPI engine (kpiIntervals): every
 * figure is the one /api/kpis gives for the same range and filter, because it is computed by the same
 * function from the same counters (docs/executive.md). Whole past days come from rollups, which the
 * server keeps summed for the last 92 days for each split read here, so a quarter costs a few
 * thousand stored rows per split, not the facts of millions of contacts.
 */
import type {
  ComparisonPeriod,
  CostSettings,
  ExecutiveSummary,
  HandlerCost,
  HandlerKey,
  SummaryGroup,
  SummaryPeriod,
  SummaryQuery,
} from '../contract/executive.ts';
import { COST_FORMULAS, HANDLER_KEYS } from '../contract/executive.ts';
import {
  addCounters,
  computeKpis,
  emptyCounters,
  KPI_FORMULAS,
  settingsFor,
  SL_VARIANT_FORMULAS,
  type KpiCounters,
  type KpiSettings,
} from '../contract/kpis.ts';
import type { Database } from '../db/duckdb.ts';
import { splitHandlerSegment } from '../kpi/kpi-interval-sql.ts';
import { kpiIntervals, type Dimension, type IntervalRow } from '../kpi/kpi-intervals.ts';
import { findings } from './findings.ts';
import { handlerCost, savings } from './handler-costs.ts';
import { rangeOf, resolvePeriod, type Span } from './periods.ts';

export type SummaryContext = {
  db: Database;
  timeZone: string;
  settings: KpiSettings;
  costs: CostSettings;
  /** A scoped caller's queues (null: every queue), as /api/kpis narrows them. */
  queues: readonly string[] | null;
  now: number;
};

/** Figures of one range: rates as /api/kpis computes them, and the splits the engine gives. */
function engine(ctx: SummaryContext, span: Span, interval: '1h' | '1d') {
  const applied = settingsFor(ctx.settings, ctx.queues?.length === 1 ? ctx.queues[0]! : null);
  return {
    group: (key: string | null, counters: KpiCounters): SummaryGroup => ({
      key,
      kpis: computeKpis(counters, applied),
      counters,
    }),
    split: (by: Dimension, every = false): Promise<IntervalRow[]> =>
      kpiIntervals(
        ctx.db,
        {
          from: span.from,
          to: span.to,
          interval: every ? interval : 'range',
          by,
          timeZone: ctx.timeZone,
          ...(ctx.queues ? { queues: ctx.queues } : {}),
        },
        ctx.settings,
        ctx.now,
      ),
  };
}

/**
 * A range's trend, and its totals as the sum of the trend (counters add up over intervals, so this is the
 * range's own sum without asking the engine twice: a partial day is the dearest part to sum).
 */
async function totalsAndTrend(ctx: SummaryContext, span: Span, interval: '1h' | '1d'): Promise<ComparisonPeriod> {
  const { group, split } = engine(ctx, span, interval);
  const trend = await split('none', true);
  const total = emptyCounters();
  for (const r of trend) addCounters(total, r.counters);
  return {
    range: rangeOf(span, ctx.timeZone),
    totals: group(null, total),
    trend: trend.map((r) => ({
      ...group(null, r.counters),
      start: new Date(r.start).toISOString(),
      end: new Date(r.end).toISOString(),
    })),
  };
}

async function period(ctx: SummaryContext, span: Span, interval: '1h' | '1d'): Promise<SummaryPeriod> {
  const { group, split } = engine(ctx, span, interval);
  const [base, handlerSegments, channels, escalations] = await Promise.all([
    totalsAndTrend(ctx, span, interval),
    split('handler_segment'),
    split('channel'),
    split('escalation'),
  ]);

  // Segments and handlers both come from the handler-and-segment split: a handler is the sum of its
  // segments, a segment the sum of its handlers (every contact has one handler and at most one segment).
  const handlers = Object.fromEntries(HANDLER_KEYS.map((h) => [h, emptyCounters()])) as Record<HandlerKey, KpiCounters>;
  const segments = new Map<string | null, Record<HandlerKey, KpiCounters>>();
  for (const row of handlerSegments) {
    if (row.key === null) continue;
    const { handler, segment } = splitHandlerSegment(row.key);
    if (!(HANDLER_KEYS as readonly string[]).includes(handler)) continue;
    addCounters(handlers[handler as HandlerKey], row.counters);
    let s = segments.get(segment);
    if (!s) segments.set(segment, (s = Object.fromEntries(HANDLER_KEYS.map((h) => [h, emptyCounters()])) as never));
    addCounters(s[handler as HandlerKey], row.counters);
  }
  const costs = Object.fromEntries(HANDLER_KEYS.map((h) => [h, handlerCost(handlers[h], ctx.costs)])) as Record<
    HandlerKey,
    HandlerCost
  >;
  return {
    ...base,
    byHandler: Object.fromEntries(HANDLER_KEYS.map((h) => [h, { ...group(h, handlers[h]), cost: costs[h] }])) as never,
    bySegment: [...segments]
      .map(([key, byH]) => {
        const all = emptyCounters();
        for (const h of HANDLER_KEYS) addCounters(all, byH[h]);
        return {
          ...group(key, all),
          handlers: Object.fromEntries(HANDLER_KEYS.map((h) => [h, group(key, byH[h])])) as never,
        };
      })
      // Named segments first, largest first; contacts that name none last.
      .sort((a, b) => Number(a.key === null) - Number(b.key === null) || b.counters.contacts - a.counters.contacts),
    byChannel: channels
      .filter((r) => r.key !== null)
      .map((r) => group(r.key, r.counters))
      .sort((a, b) => b.counters.contacts - a.counters.contacts),
    byEscalation: escalations
      .filter((r) => r.key !== null)
      .map((r) => group(r.key, r.counters))
      .sort((a, b) => b.counters.contacts - a.counters.contacts),
    costs: {
      total: Math.round(HANDLER_KEYS.reduce((sum, h) => sum + costs[h].cost, 0) * 100) / 100,
      savings: savings(costs),
      currency: ctx.costs.currency,
    },
  };
}

export async function executiveSummary(ctx: SummaryContext, q: SummaryQuery): Promise<ExecutiveSummary> {
  const resolved = resolvePeriod(q, ctx.now, ctx.timeZone);
  const [current, comparison] = await Promise.all([
    period(ctx, resolved.current, resolved.interval),
    resolved.comparison ? totalsAndTrend(ctx, resolved.comparison, resolved.interval) : null,
  ]);
  const applied = settingsFor(ctx.settings, ctx.queues?.length === 1 ? ctx.queues[0]! : null);
  return {
    query: {
      period: q.period,
      compare: q.compare,
      from: current.range.firstDay,
      to: current.range.lastDay,
    },
    timeZone: ctx.timeZone,
    interval: resolved.interval,
    asOf: new Date(ctx.now).toISOString(),
    current,
    comparison,
    findings: findings(current, comparison),
    costSettings: ctx.costs,
    definitions: { ...KPI_FORMULAS, serviceLevel: SL_VARIANT_FORMULAS[applied.slVariant], ...COST_FORMULAS },
  };
}
