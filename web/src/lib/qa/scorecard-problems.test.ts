import { describe, expect, it } from 'vitest';
import { calibrationInput, checkAnswers, scorecardSpec } from '$contract/scorecards.ts';
import { I18n } from '$lib/i18n/i18n.svelte.ts';
import { knownScorecardField, scorecardFieldText } from './scorecard-problems.ts';

const messages = (schema: { safeParse(v: unknown): { error?: { issues: { message: string }[] } } }, v: unknown) =>
  schema.safeParse(v).error?.issues.map((i) => i.message) ?? [];

describe('scorecard field messages', () => {
  const en = new I18n('en');
  const q = (over: object = {}) => ({ id: 'q1', text: 'Q', kind: 'yesno', part: 'agent', ...over });
  const spec = scorecardSpec.parse({
    name: 'x',
    sections: [
      {
        title: 'a',
        questions: [
          q(),
          q({ id: 'q2', kind: 'scale', scaleMax: 5 }),
          q({ id: 'q3', kind: 'scale', scaleMax: 4, allowNa: true }),
        ],
      },
    ],
  });

  it('knows every message the scorecard contract gives', () => {
    const all = [
      ...messages(scorecardSpec, { name: '', sections: [] }),
      ...messages(scorecardSpec, { name: 'x', sections: [{ title: 'a', questions: [] }] }),
      ...messages(scorecardSpec, {
        name: 'x',
        sections: [
          {
            title: 'a',
            weight: 0,
            questions: [
              q({ weight: 101 }),
              q({ kind: 'scale' }),
              q({ id: 'q2', scaleMax: 3 }),
              q({ id: 'q3', kind: 'scale', scaleMax: 1.5 }),
              q({ id: 'q4', kind: 'scale', scaleMax: 1 }),
              q({ id: 'Bad id!', weight: 'x' }),
            ],
          },
        ],
      }),
      ...checkAnswers(spec, { q1: 3, q2: 'na', q3: 9, q9: 'yes' }).map((e) => e.message),
      ...checkAnswers(spec, { q1: 'yes', q2: 0, q3: 'na' }).map((e) => e.message),
      ...checkAnswers(spec, { q2: 2, q3: 1 }).map((e) => e.message),
      ...messages(calibrationInput, { contactId: 'c', scorecardId: 'sc_aaaaaaaaaa', reviewers: ['ana'] }),
      ...messages(calibrationInput, { contactId: 'c', scorecardId: 'sc_aaaaaaaaaa', reviewers: ['ana', 'ana'] }),
      'ana: no such user',
      'ana: this account is disabled',
      'ana: may not evaluate contacts',
    ];
    expect(new Set(all).size).toBeGreaterThan(18);
    expect(all.filter((m) => !knownScorecardField(m))).toEqual([]);
  });

  it('translates them, with their values', () => {
    const zh = new I18n('zh-CN');
    const tw = new I18n('zh-TW');
    expect(scorecardFieldText(zh, '"q1" is already the id of question 1.2')).toBe('“q1”已是问题 1.2 的编号');
    expect(scorecardFieldText(tw, 'must be a whole number from 1 to 5 or na')).toBe('請選擇 1 至 5 或不適用');
    expect(scorecardFieldText(zh, 'must not be empty')).toBe(new I18n('zh-CN').t('fieldErrors.notEmpty'));
    expect(scorecardFieldText(en, 'something new')).toBe('something new');
  });
});
