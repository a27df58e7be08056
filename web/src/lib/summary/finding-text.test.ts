import { describe, expect, it } from 'vitest';
import { I18n } from '$lib/i18n/i18n.svelte.ts';
import { figure, findingText } from './finding-text.ts';

describe('finding text', () => {
  const en = new I18n('en');
  const zh = new I18n('zh-CN');

  it('shows each metric as its card does', () => {
    expect(figure(en, 'ahtSeconds', 294)).toBe('4:54');
    expect(figure(en, 'csat', 0.5012)).toBe('50.1%');
    expect(figure(en, 'nps', -15.46)).toBe('-15.5');
    expect(figure(en, 'contacts', 8557)).toBe('8,557');
  });

  it('words a change with its figures and its size, in the reader’s language', () => {
    const f = { kind: 'change', metric: 'fcr', now: 0.378, before: 0.116, delta: 0.262 } as const;
    expect(findingText(en, f)).toBe('First-contact resolution rose to 37.8% from 11.6% (+26.2 pp).');
    expect(findingText(zh, f)).toBe('首次解决率从 11.6% 升至 37.8%（+26.2 pp）。');
    const aht = { kind: 'change', metric: 'ahtSeconds', now: 270, before: 300, delta: -30 } as const;
    expect(findingText(en, aht)).toBe('Average handle time fell to 4:30 from 5:00 (−10.0%).');
  });

  it('names escalation reasons from the catalog, and a producer’s own as given', () => {
    const f = { kind: 'escalationCsat', reason: 'policy', csat: 0.115, overall: 0.501, escalations: 130 } as const;
    expect(findingText(en, f)).toBe(
      'Contacts handed over for “Policy” (130) scored CSAT 11.5%, against 50.1% overall.',
    );
    expect(findingText(en, { ...f, reason: 'refund_loop' })).toContain('“refund_loop”');
  });
});
