/** A finding in the reader's language: the server chose it and its numbers, this words them. */
import { ESCALATION_REASONS } from '$contract/events.ts';
import type { Finding, FindingMetric } from '$contract/executive.ts';
import type { I18n } from '$lib/i18n/i18n.svelte.ts';
import { CARDS, change, type CardFormat, type CardKey, type Change } from './summary-cards.ts';

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

/** How large a change is, as a card and a finding show it: points for rates, a share for counts, times, money. */
export function changeSize(i18n: I18n, c: Change, format: CardFormat): string {
  const d = Math.abs(c.delta);
  if (c.relative) return i18n.percent(d, 1);
  return format === 'percent' ? `${i18n.decimal(d * 100, 1)} pp` : i18n.decimal(d, 1);
}

/** A finding's change with its sign ("+2.1 pp", "−10.0%"). */
function signed(i18n: I18n, metric: FindingMetric, now: number, before: number): string {
  const card = CARDS.find((c) => c.key === metric)!;
  const c = change(card, now, before);
  if (!c) return '';
  return `${c.delta > 0 ? '+' : c.delta < 0 ? '−' : ''}${changeSize(i18n, c, card.format)}`;
}

export function findingText(i18n: I18n, f: Finding): string {
  const { t } = i18n;
  switch (f.kind) {
    case 'change':
      return t(f.delta >= 0 ? 'summary.finding.change.up' : 'summary.finding.change.down', {
        metric: t(`summary.card.${f.metric}`),
        now: figure(i18n, f.metric, f.now),
        before: figure(i18n, f.metric, f.before),
        delta: signed(i18n, f.metric, f.now, f.before),
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
