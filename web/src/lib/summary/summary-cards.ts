/**
 * The summary's KPI cards: which figures, which way is better, and each card's change against the
 * comparison. Rates change in points, counts and times by a share of what they were.
 */
import type { SummaryGroup, SummaryPeriod } from '$contract/executive.ts';
import type { Kpis } from '$contract/kpis.ts';

export type CardFormat = 'count' | 'percent' | 'score' | 'seconds' | 'money';
export type CardKey =
  | 'contacts'
  | 'containmentRate'
  | 'escalationRate'
  | 'csat'
  | 'nps'
  | 'fcr'
  | 'conversionRate'
  | 'sales'
  | 'serviceLevel'
  | 'ahtSeconds';

/** `better`: which way is good news (null: neither, as for volume). */
export const CARDS: readonly { key: CardKey; format: CardFormat; better: 'up' | 'down' | null }[] = [
  { key: 'contacts', format: 'count', better: null },
  { key: 'containmentRate', format: 'percent', better: 'up' },
  { key: 'escalationRate', format: 'percent', better: 'down' },
  { key: 'csat', format: 'percent', better: 'up' },
  { key: 'nps', format: 'score', better: 'up' },
  { key: 'fcr', format: 'percent', better: 'up' },
  { key: 'conversionRate', format: 'percent', better: 'up' },
  { key: 'sales', format: 'money', better: 'up' },
  { key: 'serviceLevel', format: 'percent', better: 'up' },
  { key: 'ahtSeconds', format: 'seconds', better: 'down' },
];

/** The currency a summary's money is shown in: the one with the most sales, else the cost settings'. */
export function mainCurrency(p: SummaryPeriod, fallback: string): string {
  const sales = Object.entries(p.totals.kpis.sales).sort((a, b) => b[1] - a[1]);
  return sales[0]?.[0] ?? fallback;
}

export function cardValue(g: Pick<SummaryGroup, 'kpis'>, key: CardKey, currency: string): number | null {
  if (key === 'sales') return g.kpis.sales[currency] ?? 0;
  return g.kpis[key as keyof Kpis] as number | null;
}

export type Change = { delta: number; relative: boolean; tone: 'good' | 'bad' | 'neutral' };

/**
 * The change from `before` to `now`: points for percentages and scores, a share for the rest. Null when
 * either is unknown, or a share of nothing.
 */
export function change(card: (typeof CARDS)[number], now: number | null, before: number | null): Change | null {
  if (now === null || before === null) return null;
  const relative = card.format === 'count' || card.format === 'seconds' || card.format === 'money';
  if (relative && before === 0) return null;
  const delta = relative ? (now - before) / before : now - before;
  const tone =
    card.better === null || Math.abs(delta) < 1e-9 ? 'neutral' : delta > 0 === (card.better === 'up') ? 'good' : 'bad';
  return { delta, relative, tone };
}
