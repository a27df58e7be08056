/**
 * Green/amber/red rules for the first wallboard. Every status also has a word and an icon, so
 * colour is never the only signal. (Per-queue thresholds are configurable in the wall-display issue.)
 */
export type Status = 'good' | 'warn' | 'bad' | 'none';

export const STATUS_LABEL: Record<Status, string> = {
  good: 'on target',
  warn: 'at risk',
  bad: 'breach',
  none: 'no data',
};
export const STATUS_ICON: Record<Status, string> = { good: '●', warn: '▲', bad: '■', none: '○' };

type Rule = { good: number; warn: number; higherIsBetter: boolean };

export const RULES = {
  serviceLevel: { good: 0.8, warn: 0.7, higherIsBetter: true },
  abandonRate: { good: 0.05, warn: 0.1, higherIsBetter: false },
  longestWaitSeconds: { good: 30, warn: 60, higherIsBetter: false },
  asaSeconds: { good: 20, warn: 40, higherIsBetter: false },
  containmentRate: { good: 0.5, warn: 0.35, higherIsBetter: true },
  waiting: { good: 3, warn: 8, higherIsBetter: false },
} satisfies Record<string, Rule>;

export function statusOf(value: number | null | undefined, rule: Rule): Status {
  if (value === null || value === undefined || Number.isNaN(value)) return 'none';
  if (rule.higherIsBetter) return value >= rule.good ? 'good' : value >= rule.warn ? 'warn' : 'bad';
  return value <= rule.good ? 'good' : value <= rule.warn ? 'warn' : 'bad';
}
