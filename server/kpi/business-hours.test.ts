import { describe, expect, it } from 'vitest';
import { isOpen, openSpans } from './business-hours.ts';

const iso = (spans: [number, number][]) =>
  spans.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()]);
const weekdays = { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } as const;
const hours = weekdays as unknown as Parameters<typeof openSpans>[2];

describe('business hours', () => {
  it('gives the open spans of a range in local time, and nothing on closed days', () => {
    // Monday 2026-11-23 to Thursday in Shanghai (UTC+8): Monday and Tuesday 09:00–17:00 local.
    const spans = openSpans(Date.UTC(2026, 10, 22, 16), Date.UTC(2026, 10, 25, 16), hours, 'Asia/Shanghai');
    expect(iso(spans)).toEqual([
      ['2026-11-23T01:00:00.000Z', '2026-11-23T09:00:00.000Z'],
      ['2026-11-24T01:00:00.000Z', '2026-11-24T09:00:00.000Z'],
    ]);
  });

  it('keeps local opening times across a DST change, and clips to the range', () => {
    // Berlin moves from UTC+2 to UTC+1 on Sunday 2026-10-25; Monday opens at 09:00 local = 08:00 UTC.
    const sunday = { sun: [['00:00', '24:00']], mon: [['09:00', '17:00']] } as unknown as typeof hours;
    const spans = openSpans(Date.UTC(2026, 9, 24, 22), Date.UTC(2026, 9, 26, 12), sunday, 'Europe/Berlin');
    expect(iso(spans)).toEqual([
      ['2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
      ['2026-10-26T08:00:00.000Z', '2026-10-26T12:00:00.000Z'],
    ]);
  });

  it('joins a day that closes at midnight to one that opens at it', () => {
    const allWeek = { mon: [['00:00', '24:00']], tue: [['00:00', '12:00']] } as unknown as typeof hours;
    const spans = openSpans(Date.UTC(2026, 10, 23), Date.UTC(2026, 10, 25), allWeek, 'UTC');
    expect(iso(spans)).toEqual([['2026-11-23T00:00:00.000Z', '2026-11-24T12:00:00.000Z']]);
  });

  it('is open around the clock without hours, and says when a queue is open', () => {
    expect(openSpans(0, 10, undefined, 'UTC')).toEqual([[0, 10]]);
    expect(isOpen(Date.UTC(2026, 10, 23, 8, 59), hours, 'UTC')).toBe(false);
    expect(isOpen(Date.UTC(2026, 10, 23, 9), hours, 'UTC')).toBe(true);
    expect(isOpen(Date.UTC(2026, 10, 23, 17), hours, 'UTC')).toBe(false);
  });
});
