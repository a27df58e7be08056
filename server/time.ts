/** Time-zone arithmetic for "today" without a date library: Intl knows every zone's offsets. */

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
