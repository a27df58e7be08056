/**
 * Redaction of personal data in transcript text, applied at ingest before anything is stored: what a
 * rule finds is replaced by a typed token ([CARD], [EMAIL] ...) and counted; the original is not kept.
 *
 * Each rule is a pattern for candidates plus, where the format has one, a check that rejects
 * look-alikes (Luhn for cards, the ISO 7064 check digit and a real birth date for Chinese resident
 * IDs, the reserved SSN ranges), so order numbers, tracking codes and dates stay readable. Rules run
 * in order and never see each other's tokens; digits glued to other digits are never a match.
 */

import { REDACTION_KINDS, type RedactionCounts, type RedactionKind } from '../contract/qa.ts';

type Rule = { kind: RedactionKind; pattern: RegExp; valid?: (match: string) => boolean };

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** Luhn (mod 10), the check digit of every payment card number. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** GB 11643: 17 digits, weights 2^(17-i) mod 11, check character from "10X98765432", and a real date. */
export function chineseIdValid(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * (id.charCodeAt(i) - 48), 0);
  if ('10X98765432'[sum % 11] !== id[17]!.toUpperCase()) return false;
  const [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Area 000, 666 and 900-999, group 00 and serial 0000 are never issued. */
function ssnValid(s: string): boolean {
  const [area, group, serial] = [s.slice(0, 3), s.slice(3, 5), s.slice(5)];
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

const RULES: readonly Rule[] = [
  { kind: 'CN_ID', pattern: /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, valid: chineseIdValid },
  {
    // 13-19 digits, in groups separated by single spaces or dashes, as people type and read them out.
    kind: 'CARD',
    // Not after a `+`: "+86 138 1234 5678" is 13 digits and passes Luhn one time in ten.
    pattern: /(?<![\d+-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    valid: (m) => {
      const d = digitsOf(m);
      return d.length >= 13 && d.length <= 19 && luhn(d);
    },
  },
  {
    kind: 'SSN',
    pattern: /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/g,
    valid: (m) => ssnValid(digitsOf(m)),
  },
  { kind: 'EMAIL', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  {
    // Chinese mobiles (1[3-9] and 9 more digits, with or without +86 and spaces or dashes), numbers
    // written internationally (+ and 8-15 digits), and North American (555) 123-4567 / 555-123-4567.
    kind: 'PHONE',
    pattern:
      /(?<![\d+])(?:(?:\+|00)?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)|(?<![\d+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?!\d)|(?<![\d(])(?:\(\d{3}\) ?|\d{3}[.-])\d{3}[.-]\d{4}(?!\d)/g,
    valid: (m) => {
      const n = digitsOf(m).length;
      return n >= 8 && n <= 15;
    },
  },
];

export type Redaction = { text: string; counts: RedactionCounts };

/** Replaces what the enabled rules find; `counts` says how many of each kind (empty when none). */
export function redact(text: string, kinds: readonly RedactionKind[] = REDACTION_KINDS): Redaction {
  const counts: RedactionCounts = {};
  let out = text;
  for (const rule of RULES) {
    if (!kinds.includes(rule.kind)) continue;
    out = out.replace(rule.pattern, (match) => {
      if (rule.valid && !rule.valid(match)) return match;
      counts[rule.kind] = (counts[rule.kind] ?? 0) + 1;
      return `[${rule.kind}]`;
    });
  }
  return { text: out, counts };
}
