/**
 * Business hours as instants: the open spans of a range, in the contact center's time zone. Opening
 * times are local wall-clock times, so on a DST day 09:00–17:00 is still 09:00–17:00 locally, and a
 * wall time that happens twice (clocks going back) means its first time.
 */
import { WEEKDAYS, type BusinessHours } from '../contract/kpis.ts';
import { startOfDay, zoneOffsetMs } from '../time.ts';

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** The instant a local wall-clock time (minutes after local midnight of the day starting at `dayStart`) happens. */
function instantOf(dayStart: number, minutes: number, tz: string): number {
  // The local date at midnight, as if it were UTC, plus the wall time; then back by the offset in force.
  const wall = dayStart + zoneOffsetMs(dayStart, tz) + minutes * 60_000;
  const guess = wall - zoneOffsetMs(wall - zoneOffsetMs(dayStart, tz), tz);
  return wall - zoneOffsetMs(guess, tz);
}

/** The open spans [start, end) within [from, to), in order; the whole range when no hours are set. */
export function openSpans(from: number, to: number, hours: BusinessHours | undefined, tz: string): [number, number][] {
  if (!hours) return from < to ? [[from, to]] : [];
  const spans: [number, number][] = [];
  for (let day = startOfDay(from, tz); day < to; day = startOfDay(day + 30 * 3_600_000, tz)) {
    const weekday = WEEKDAYS[new Date(day + zoneOffsetMs(day, tz)).getUTCDay()]!;
    const today = [...(hours[weekday] ?? [])].sort((a, b) => minutesOf(a[0]) - minutesOf(b[0]));
    for (const [open, close] of today) {
      const lo = Math.max(from, instantOf(day, minutesOf(open), tz));
      const hi = Math.min(to, instantOf(day, minutesOf(close), tz));
      if (lo >= hi) continue;
      // Spans that touch (a day closing at 24:00 and the next opening at 00:00) become one.
      const last = spans.at(-1);
      if (last && last[1] >= lo) last[1] = Math.max(last[1], hi);
      else spans.push([lo, hi]);
    }
  }
  return spans;
}

/** Whether the queue is open at `ms`. */
export function isOpen(ms: number, hours: BusinessHours | undefined, tz: string): boolean {
  return openSpans(ms, ms + 1, hours, tz).length > 0;
}
