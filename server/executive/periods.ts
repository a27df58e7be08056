/**
 * The periods an executive picks, as instants in the contact center's zone, and what each is compared
 * with. Rules (docs/executive.md): periods that are running (today, this week, this month) end now and
 * are compared with the same elapsed time of the one before; "last N days" are the N whole days before
 * today; the same period last year is the same calendar dates (29 February becomes the 28th).
 */
import { MAX_CUSTOM_DAYS, type Comparison, type Range, type SummaryQuery } from '../contract/executive.ts';
import type { TimeBound } from '../contract/qa.ts';
import { BadRequest } from '../http/errors.ts';
import { boundMs, dayStart, localDay, startOfDay } from '../time.ts';

const DAY_MS = 86_400_000;

export type Span = { from: number; to: number };
export type ResolvedPeriod = { current: Span; comparison: Span | null; interval: '1h' | '1d' };

/** Whole days from `a` to `b` (YYYY-MM-DD). */
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b) - Date.parse(a)) / DAY_MS);
/** The local weekday of a date: 0 Sunday … 6 Saturday. */
const weekday = (date: string): number => new Date(`${date}T12:00:00Z`).getUTCDay();

function yearBack(date: string): string {
  const [y, m, d] = date.split('-') as [string, string, string];
  const day = m === '02' && d === '29' ? '28' : d;
  return `${String(Number(y) - 1).padStart(4, '0')}-${m}-${day}`;
}

function monthBack(date: string): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
}

export function resolvePeriod(q: SummaryQuery, now: number, tz: string): ResolvedPeriod {
  const today = localDay(now, tz);
  const shift = (date: string, days: number) => localDay(dayStart(date, tz, days), tz);
  const at = (date: string) => dayStart(date, tz);
  let current: Span;
  let previous: Span;
  let lastYear: Span;
  // Running periods: from a day's start to now, compared over the same elapsed time.
  const running = (start: string, before: string): void => {
    current = { from: at(start), to: now };
    const elapsed = now - current.from;
    previous = { from: at(before), to: Math.min(at(before) + elapsed, current.from) };
    lastYear = { from: at(yearBack(start)), to: at(yearBack(start)) + elapsed };
  };
  // Whole days [start, end).
  const days = (start: string, end: string): void => {
    current = { from: at(start), to: at(end) };
    previous = { from: at(shift(start, -daysBetween(start, end))), to: current.from };
    lastYear = { from: at(yearBack(start)), to: at(yearBack(end)) };
  };
  switch (q.period) {
    case 'today':
      running(today, shift(today, -1));
      break;
    case 'thisWeek': {
      // Weeks start on Monday (ISO 8601), as most contact centers plan them.
      const monday = shift(today, -((weekday(today) + 6) % 7));
      running(monday, shift(monday, -7));
      break;
    }
    case 'thisMonth': {
      const first = `${today.slice(0, 8)}01`;
      running(first, monthBack(first));
      break;
    }
    case 'yesterday':
      days(shift(today, -1), today);
      break;
    case 'last7':
    case 'last30':
    case 'last90': {
      const n = Number(q.period.slice(4));
      days(shift(today, -n), today);
      break;
    }
    case 'custom': {
      const { from, to } = customSpan(q.from!, q.to!, 'to', now, tz);
      current = { from, to };
      previous = { from: from - (to - from), to: from };
      // An instant a year back: the same local date and time of day.
      const back = (ms: number) => at(yearBack(localDay(ms, tz))) + (ms - startOfDay(ms, tz));
      lastYear = { from: back(from), to: back(to) };
      break;
    }
  }
  const comparison: Record<Comparison, Span | null> = {
    previous: previous!,
    lastYear: lastYear!,
    custom: q.compare === 'custom' ? customSpan(q.compareFrom!, q.compareTo!, 'compareTo', now, tz) : null,
    none: null,
  };
  const span = current!;
  return {
    current: span,
    comparison: comparison[q.compare],
    interval: span.to - span.from <= 2 * DAY_MS + 3_600_000 ? '1h' : '1d',
  };
}

/** A range given by its bounds, no later than now and at most MAX_CUSTOM_DAYS long; `field` names its end. */
function customSpan(fromBound: TimeBound, toBound: TimeBound, field: string, now: number, tz: string): Span {
  const from = boundMs(fromBound, 'start', tz);
  const to = Math.min(boundMs(toBound, 'end', tz), now);
  if (to <= from) {
    throw new BadRequest(`invalid query: ${field} must be after the start`, [
      { path: field, message: 'must be after the start of its range (and that start before now)' },
    ]);
  }
  if (to - from > MAX_CUSTOM_DAYS * DAY_MS + 3_600_000) {
    throw new BadRequest(`invalid query: a custom range is at most ${MAX_CUSTOM_DAYS} days`, [
      { path: field, message: `must be at most ${MAX_CUSTOM_DAYS} days after the start` },
    ]);
  }
  return { from, to };
}

export function rangeOf(span: Span, tz: string): Range {
  return {
    from: new Date(span.from).toISOString(),
    to: new Date(span.to).toISOString(),
    fromMs: span.from,
    toMs: span.to,
    firstDay: localDay(span.from, tz),
    lastDay: localDay(Math.max(span.from, span.to - 1), tz),
  };
}
