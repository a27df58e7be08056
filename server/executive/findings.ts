/**
 * A few plain-language findings from a summary's numbers: the largest changes against the comparison,
 * where people or the bot do better, the escalation reason customers like least, what the bot saved.
 * Only figures with enough behind them are compared (MIN_BASE), so that three surveys never make a
 * headline. The page words them; this decides which, and with what numbers.
 */
import type { ComparisonPeriod, Finding, FindingMetric, SummaryPeriod } from '../contract/executive.ts';
import { FINDING_METRICS, HANDLER_KEYS } from '../contract/executive.ts';
import type { KpiCounters, Kpis } from '../contract/kpis.ts';

/** The fewest answers (surveys, exits, contacts) a rate is compared on. */
export const MIN_BASE = 20;
/** Changes smaller than these are not findings: points for rates, a share for counts and times. */
const RATE_POINTS = 2;
const NPS_POINTS = 3;
const RELATIVE = 0.05;
/** A gap between handlers, reasons or segments is a finding from this many points. */
const GAP_POINTS = 5;
const MAX_CHANGES = 3;
const MAX_FINDINGS = 6;

/** How many answers a metric's value rests on. */
function base(metric: FindingMetric | 'csat', c: KpiCounters): number {
  switch (metric) {
    case 'csat':
      return c.csatResponses;
    case 'nps':
      return c.npsResponses;
    case 'fcr':
      return c.fcrContacts;
    case 'serviceLevel':
      return c.answered + c.abandoned + c.transferred;
    case 'ahtSeconds':
      return c.handled;
    case 'containmentRate':
    case 'escalationRate':
      return c.botContained + c.botEscalated + c.botAbandoned;
    default:
      return c.contacts;
  }
}

/** How large a change is, in multiples of the smallest that counts (below 1: not a finding). */
function weight(metric: FindingMetric, now: number, before: number): number {
  switch (metric) {
    case 'contacts':
    case 'ahtSeconds':
      return before > 0 ? Math.abs(now - before) / before / RELATIVE : 0;
    case 'nps':
      return Math.abs(now - before) / NPS_POINTS;
    default:
      return (Math.abs(now - before) * 100) / RATE_POINTS;
  }
}

function changes(current: SummaryPeriod, comparison: ComparisonPeriod): Finding[] {
  const found: { finding: Finding; weight: number }[] = [];
  for (const metric of FINDING_METRICS) {
    const now = current.totals.kpis[metric as keyof Kpis] as number | null;
    const before = comparison.totals.kpis[metric as keyof Kpis] as number | null;
    if (now === null || before === null) continue;
    if (base(metric, current.totals.counters) < MIN_BASE || base(metric, comparison.totals.counters) < MIN_BASE)
      continue;
    const w = weight(metric, now, before);
    if (w >= 1) found.push({ finding: { kind: 'change', metric, now, before, delta: now - before }, weight: w });
  }
  return found
    .sort((a, b) => b.weight - a.weight)
    .slice(0, MAX_CHANGES)
    .map((f) => f.finding);
}

function handlerGaps(p: SummaryPeriod): Finding[] {
  const out: Finding[] = [];
  for (const metric of ['csat', 'conversionRate', 'fcr'] as const) {
    const values = HANDLER_KEYS.flatMap((h) => {
      const g = p.byHandler[h];
      const v = g.kpis[metric];
      return v !== null && base(metric, g.counters) >= MIN_BASE ? [{ h, v }] : [];
    }).sort((a, b) => b.v - a.v);
    const best = values[0];
    const worst = values.at(-1);
    if (best && worst && best !== worst && (best.v - worst.v) * 100 >= GAP_POINTS) {
      out.push({ kind: 'handlerGap', metric, best: best.h, worst: worst.h, bestValue: best.v, worstValue: worst.v });
    }
  }
  return out;
}

function escalationCsat(p: SummaryPeriod): Finding[] {
  const overall = p.totals.kpis.csat;
  if (overall === null) return [];
  const worst = p.byEscalation
    .filter((g) => g.key !== null && g.kpis.csat !== null && g.counters.csatResponses >= MIN_BASE)
    .sort((a, b) => a.kpis.csat! - b.kpis.csat!)[0];
  if (!worst || (overall - worst.kpis.csat!) * 100 < GAP_POINTS) return [];
  return [
    {
      kind: 'escalationCsat',
      reason: worst.key!,
      csat: worst.kpis.csat!,
      overall,
      escalations: worst.counters.contacts,
    },
  ];
}

/** The named segment where human-only contacts beat AI-only ones on CSAT by the most. */
function segmentGap(p: SummaryPeriod): Finding[] {
  const csatOf = (g: { kpis: Kpis; counters: KpiCounters }): number | null =>
    g.counters.csatResponses >= MIN_BASE ? g.kpis.csat : null;
  const gaps = p.bySegment.flatMap((s) => {
    const human = csatOf(s.handlers.human);
    const ai = csatOf(s.handlers.ai);
    return s.key !== null && human !== null && ai !== null ? [{ segment: s.key, human, ai }] : [];
  });
  const top = gaps.sort((a, b) => Math.abs(b.human - b.ai) - Math.abs(a.human - a.ai))[0];
  if (!top || Math.abs(top.human - top.ai) * 100 < GAP_POINTS) return [];
  return [{ kind: 'segmentGap', segment: top.segment, metric: 'csat', human: top.human, ai: top.ai }];
}

export function findings(current: SummaryPeriod, comparison: ComparisonPeriod | null): Finding[] {
  const saved = current.costs.savings;
  // The order is the page's: what changed, what the bot saved, then where each kind of handling stands.
  const out: Finding[] = [
    ...(comparison ? changes(current, comparison) : []),
    ...(saved !== null && saved > 0
      ? [
          {
            kind: 'savings' as const,
            savings: saved,
            currency: current.costs.currency,
            contacts: current.byHandler.ai.counters.contacts,
          },
        ]
      : []),
    ...segmentGap(current),
    ...escalationCsat(current),
    ...handlerGaps(current),
  ];
  return out.slice(0, MAX_FINDINGS);
}
