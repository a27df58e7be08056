/**
 * Errors in the reader's language. The server words its errors in English: a code for the kind of
 * failure, and for a form a message per field, whose wording the shared contract fixes (the browser's
 * own form checks use the same words). The kinds and wordings the catalog knows are translated; any
 * other is shown as the server wrote it, which says more than a vague translated one would.
 */
import { ApiError, messageOf, type Wording } from '$lib/api/api.ts';
import type { MessageKey } from './catalog.ts';
import type { I18n } from './i18n.svelte.ts';

type Vars = Record<string, string | number>;
type Rule = [RegExp, MessageKey, ((m: RegExpExecArray) => Vars)?];

const count = (m: RegExpExecArray): Vars => ({ count: Number(m[1]) });
const bounds = (m: RegExpExecArray): Vars => ({ min: m[1]!, max: m[2]! });

/** A field's message as written by the contract's schemas, the server's routes and kpi-form.ts, first match wins. */
const FIELD_RULES: Rule[] = [
  [/^required$/, 'fieldErrors.required'],
  [/^must not be empty$/, 'fieldErrors.notEmpty'],
  [/^must be at least (\d+) characters$/, 'fieldErrors.atLeastChars', count],
  [/^at most (\d+) characters$/, 'fieldErrors.atMostChars', count],
  [/^at most (\d+) entries$/, 'fieldErrors.atMostEntries', count],
  [/^2 to 64 characters: letters, digits/, 'fieldErrors.username'],
  [/^username "(.+)" is taken$/, 'fieldErrors.usernameTaken', (m) => ({ name: m[1]! })],
  [/^give at least one role$/, 'fieldErrors.oneRole'],
  [/^this is the last active admin/, 'fieldErrors.lastAdmin'],
  [/^is incorrect$/, 'fieldErrors.incorrect'],
  [/^does not match the password$/, 'fieldErrors.passwordMismatch'],
  [/^does not match the new password$/, 'fieldErrors.newPasswordMismatch'],
  [/^enter a number$/, 'fieldErrors.number'],
  [/^enter a percentage$/, 'fieldErrors.percentage'],
  [/^enter a number of points$/, 'fieldErrors.points'],
  [/^enter a number of seconds$/, 'fieldErrors.seconds'],
  [/^must be from (-?[\d.]+) to (-?[\d.]+)$/, 'fieldErrors.range', bounds],
  [/^enter times as HH:MM/, 'fieldErrors.typedTime'],
  [/^must be a time "HH:MM" on a quarter hour/, 'fieldErrors.quarterHour'],
  [/^must close after it opens$/, 'fieldErrors.closeAfterOpen'],
  [/^overlaps another opening of the day$/, 'fieldErrors.overlaps'],
  [/^every day is closed/, 'fieldErrors.closedAllWeek'],
  [/^fill in target, warn and alert/, 'fieldErrors.allLevels'],
  [/^higher is better here/, 'fieldErrors.higherOrder'],
  [/^lower is better here/, 'fieldErrors.lowerOrder'],
  [/^must be an IANA time zone/, 'fieldErrors.timeZone'],
  // zod's own wording, for the rules the schemas state without a message of their own.
  [/^Too small: expected number to be >=?(-?[\d.]+)$/, 'fieldErrors.min', (m) => ({ min: m[1]! })],
  [/^Too big: expected number to be <=?(-?[\d.]+)$/, 'fieldErrors.max', (m) => ({ max: m[1]! })],
  [/^Too small: expected string to have >=?(\d+) characters?$/, 'fieldErrors.atLeastChars', count],
  [/^Too big: expected string to have <=?(\d+) characters?$/, 'fieldErrors.atMostChars', count],
  [/^Too big: expected array to have <=?(\d+) items?$/, 'fieldErrors.atMostEntries', count],
  [/^Invalid option/, 'fieldErrors.choice'],
  [/^Invalid input/, 'fieldErrors.invalid'],
];

/** One field's message in the reader's language, or as it came when the catalog does not know it. */
export function fieldText(i18n: I18n, message: string): string {
  for (const [pattern, key, vars] of FIELD_RULES) {
    const m = pattern.exec(message);
    if (m) return i18n.t(key, vars?.(m));
  }
  return message;
}

/** Whether the catalog knows a field message (for the tests that keep the rules and the contract in step). */
export function knownField(message: string): boolean {
  return FIELD_RULES.some(([pattern]) => pattern.test(message));
}

const BY_CODE: Record<string, MessageKey> = {
  network: 'errors.network',
  login_failed: 'errors.loginFailed',
  setup_invalid: 'errors.setupInvalid',
  // Sign-in required: a call made as a user whose session has ended meanwhile.
  unauthorized: 'errors.signedOut',
  forbidden: 'errors.forbidden',
  not_found: 'errors.notFound',
  unavailable: 'errors.unavailable',
  internal: 'errors.server',
  payload_too_large: 'errors.tooLarge',
  // kpi-form.ts's: a form the browser would not send.
  invalid: 'errors.correctFields',
};

/** What went wrong with a call, for a line on the page. */
export function errorText(i18n: I18n, err: unknown): string {
  if (!(err instanceof ApiError)) return messageOf(err);
  if (err.code === 'too_many_requests') {
    return err.retryAfterSeconds === null
      ? i18n.t('errors.throttledNow')
      : i18n.t('errors.throttled', { count: err.retryAfterSeconds });
  }
  const key = BY_CODE[err.code];
  if (key) return i18n.t(key);
  if (err.status >= 500) return i18n.t('errors.server');
  // A refused form names its fields (paths are the API's, as in formErrors' line for the rest).
  if (err.code === 'bad_request' && err.details.length) {
    return err.details.map((d) => `${d.path}: ${fieldText(i18n, d.message)}`).join('; ');
  }
  return fieldText(i18n, err.message);
}

/** How a form's messages read in the page's language (see formErrors). */
export function wording(i18n: I18n): Wording {
  return {
    field: (message) => fieldText(i18n, message),
    error: (err) => errorText(i18n, err),
    get marked() {
      return i18n.t('errors.correctFields');
    },
  };
}
