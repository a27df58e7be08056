/** A finding in the reader's language: the server chose it and its numbers, this words them. */
import { ESCALATION_REASONS } from '$contract/events.ts';
import type { Finding, FindingMetric } from '$contract/executive.ts';
import type { I18n } from '$lib/i18n/i18n.svelte.ts';
import { CARDS, type CardKey } from './summary-cards.ts';

/** A figure of a metric as its card shows it. */
export function figure(i18n: I18n, metric: FindingMetric | CardKey, v: number, currency = 'USD'): string {
  switch (CARDS.find((c) => c.key === metric)?.format) {
    case 'percent':
      return i18n.percent(v, 1);
    case 'score':
      return i18n.decimal(v, 1);
    case 'seconds':
      return i18n.duration(v);
    case 'money':
      return i18n.money(v, currency, 0);
    default:
      return i18n.count(Math.round(v));
  }
}

/** A change: points for rates ("+2.1 pts" is the sign and the percent's digits), a share for the rest. */
function delta(i18n: I18n, metric: FindingMetric, d: number, before: number): string {
  const format = CARDS.find((c) => c.key === metric)?.format;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '';
  if (format === 'percent') return `${sign}${i18n.decimal(Math.abs(d) * 100, 1)} pp`;
  if (format === 'score') return `${sign}${i18n.decimal(Math.abs(d), 1)}`;
  return `${sign}${i18n.percent(before === 0 ? 0 : Math.abs(d / before), 1)}`;
}

export function findingText(i18n: I18n, f: Finding): string {
  const { t } = i18n;
  switch (f.kind) {
    case 'change':
      return t(f.delta >= 0 ? 'summary.finding.change.up' : 'summary.finding.change.down', {
        metric: t(`summary.card.${f.metric}`),
        now: figure(i18n, f.metric, f.now),
        before: figure(i18n, f.metric, f.before),
        delta: delta(i18n, f.metric, f.delta, f.before),
      });
    case 'handlerGap':
      return t('summary.finding.handlerGap', {
        metric: t(`summary.metric.${f.metric}`),
        best: t(`handler.${f.best}`),
        worst: t(`handler.${f.worst}`),
        bestValue: i18n.percent(f.bestValue, 1),
        worstValue: i18n.percent(f.worstValue, 1),
      });
    case 'escalationCsat':
      return t('summary.finding.escalationCsat', {
        reason: reasonName(i18n, f.reason),
        escalations: i18n.count(f.escalations),
        csat: i18n.percent(f.csat, 1),
        overall: i18n.percent(f.overall, 1),
      });
    case 'segmentGap':
      return t('summary.finding.segmentGap', {
        segment: f.segment,
        human: i18n.percent(f.human, 1),
        ai: i18n.percent(f.ai, 1),
      });
    case 'savings':
      return t('summary.finding.savings', {
        savings: i18n.money(f.savings, f.currency, 0),
        contacts: i18n.count(f.contacts),
      });
  }
}

/** An escalation reason's name: the catalog's for the contract's reasons, the producer's own otherwise. */
export function reasonName(i18n: I18n, reason: string): string {
  return (ESCALATION_REASONS as readonly string[]).includes(reason) ? i18n.t(`reasons.${reason as 'other'}`) : reason;
}
