/**
 * The scorecard contract's field messages in the reader's language, before the catalog's general ones
 * (i18n/problems.ts): the builder and the evaluation form show them on the row or question they are about.
 */
import type { Wording } from '$lib/api/api.ts';
import type { MessageKey } from '$lib/i18n/catalog.ts';
import type { I18n } from '$lib/i18n/i18n.svelte.ts';
import { fieldText, knownField, wording } from '$lib/i18n/problems.ts';

type Rule = [RegExp, MessageKey, ((m: RegExpExecArray) => Record<string, string | number>)?];

const RULES: Rule[] = [
  [/^must be more than 0$/, 'scorecards.problems.positive'],
  [/^must be at most (\d+)$/, 'scorecards.problems.atMost', (m) => ({ max: m[1]! })],
  [/^must be at least (\d+)$/, 'scorecards.problems.atLeast', (m) => ({ min: m[1]! })],
  [/^must be a whole number$/, 'scorecards.problems.whole'],
  [/^must be a number$/, 'scorecards.problems.number'],
  [/^a scale question needs its top value/, 'scorecards.problems.scaleNeedsMax'],
  [/^only scale questions have a top value$/, 'scorecards.problems.onlyScale'],
  [/^a section needs at least one question$/, 'scorecards.problems.sectionEmpty'],
  [/^a scorecard needs at least one section$/, 'scorecards.problems.scorecardEmpty'],
  [/^"(.+)" is already the id of question (.+)$/, 'scorecards.problems.duplicateId', (m) => ({ id: m[1]!, n: m[2]! })],
  [/^1 to 40 characters: letters, digits/, 'scorecards.problems.idFormat'],
  [/^is not answered$/, 'scorecards.problems.unanswered'],
  [/^cannot be N\/A/, 'scorecards.problems.naNotAllowed'],
  [/^must be yes, no or na$/, 'scorecards.problems.yesNoNa'],
  [/^must be yes, no$/, 'scorecards.problems.yesNo'],
  [/^must be a whole number from 1 to (\d+) or na$/, 'scorecards.problems.scaleNa', (m) => ({ max: m[1]! })],
  [/^must be a whole number from 1 to (\d+)$/, 'scorecards.problems.scale', (m) => ({ max: m[1]! })],
  [/^is not a question of this scorecard$/, 'scorecards.problems.unknownQuestion'],
  [
    /^a calibration needs at least two reviewers$|^name at least two different reviewers$/,
    'scorecards.problems.twoReviewers',
  ],
  [/^(.+): no such user$/, 'scorecards.problems.noUser', (m) => ({ name: m[1]! })],
  [/^(.+): this account is disabled$/, 'scorecards.problems.disabledUser', (m) => ({ name: m[1]! })],
  [/^(.+): may not evaluate contacts$/, 'scorecards.problems.cannotEvaluate', (m) => ({ name: m[1]! })],
];

export function scorecardFieldText(i18n: I18n, message: string): string {
  for (const [pattern, key, vars] of RULES) {
    const m = pattern.exec(message);
    if (m) return i18n.t(key, vars?.(m));
  }
  return fieldText(i18n, message);
}

/** Whether a message is translated here or by the general rules (for the test that keeps them in step). */
export function knownScorecardField(message: string): boolean {
  return RULES.some(([p]) => p.test(message)) || knownField(message);
}

/** A form's wording (api.ts) with the scorecard messages translated first. */
export function scorecardWording(i18n: I18n): Wording {
  const base = wording(i18n);
  return {
    field: (message) => scorecardFieldText(i18n, message),
    error: (err) => base.error(err),
    get marked() {
      return base.marked;
    },
  };
}
