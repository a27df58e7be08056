/** Time-zone arithmetic for "today" without a date library: Intl knows every zone's offsets. */
import type { TimeBound } from './contract/qa.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Offset of `tz` from UTC at instant `ms`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(ms: number, tz: string): number {
  const parts = Object.fromEntries(
    formatter(tz)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Start of the calendar day containing `ms` in `tz`, as epoch ms. */
export function startOfDay(ms: number, tz: string): number {
  const offset = zoneOffsetMs(ms, tz);
  const local = ms + offset;
  const localMidnight = local - (((local % 86_400_000) + 86_400_000) % 86_400_000);
  // The offset at midnight can differ from the offset now (DST change during the day).
  return localMidnight - zoneOffsetMs(localMidnight - offset, tz);
}

/**
 * A bound as an instant: a day's start, or for the end of a range the next day's start, so that a day as
 * `to` includes that day.
 */
export function boundMs(bound: TimeBound, edge: 'start' | 'end', tz: string): number {
  return 'ms' in bound ? bound.ms : dayStart(bound.day, tz, edge === 'end' ? 1 : 0);
}

/** YYYY-MM-DD of the local day holding `ms` in `tz`. */
export function localDay(ms: number, tz: string): string {
  const midnight = startOfDay(ms, tz);
  return new Date(midnight + zoneOffsetMs(midnight, tz)).toISOString().slice(0, 10);
}

/** When local day `date` (YYYY-MM-DD), or the day `later` days after it, starts in `tz`, as epoch ms. */
export function dayStart(date: string, tz: string, later = 0): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Local noon of that date (to within a DST hour) is on that day in every zone; its day's start is the answer.
  const noon = Date.UTC(y, m - 1, d + later, 12);
  return startOfDay(noon - zoneOffsetMs(noon, tz), tz);
}

export function isValidTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export const MINUTE = 60_000;
export const floorMinute = (ms: number): number => Math.floor(ms / MINUTE) * MINUTE;
