import { describe, expect, it } from 'vitest';
import { summaryQuery } from '../contract/executive.ts';
import { localDay } from '../time.ts';
import { resolvePeriod } from './periods.ts';

const days = (tz: string, p: ReturnType<typeof resolvePeriod>) => ({
  current: [localDay(p.current.from, tz), localDay(p.current.to - 1, tz)],
  comparison: p.comparison && [localDay(p.comparison.from, tz), localDay(p.comparison.to - 1, tz)],
});
const resolve = (query: Record<string, string>, now: number, tz: string) =>
  resolvePeriod(summaryQuery.parse(query), now, tz);

describe('summary periods', () => {
  // Tuesday 10 March 2026, 15:00 in New York: the Sunday before moved the clocks forward (a 23-hour day).
  const tz = 'America/New_York';
  const now = Date.UTC(2026, 2, 10, 19);

  it('end running periods now and compare the same elapsed time before', () => {
    const week = resolve({ period: 'thisWeek' }, now, tz);
    expect(days(tz, week)).toEqual({ current: ['2026-03-09', '2026-03-10'], comparison: ['2026-03-02', '2026-03-03'] });
    expect(week.current.to).toBe(now);
    expect(week.comparison!.to - week.comparison!.from).toBe(now - week.current.from);
    const today = resolve({ period: 'today' }, now, tz);
    expect(today.interval).toBe('1h');
    expect(today.current.from).toBe(Date.UTC(2026, 2, 10, 4)); // local midnight in EDT
    expect(today.comparison!.from).toBe(Date.UTC(2026, 2, 9, 4));
    const month = resolve({ period: 'thisMonth', compare: 'lastYear' }, now, tz);
    expect(days(tz, month)).toEqual({
      current: ['2026-03-01', '2026-03-10'],
      comparison: ['2025-03-01', '2025-03-10'],
    });
  });

  it('take whole local days for "last N days", across a DST change', () => {
    const last7 = resolve({ period: 'last7' }, now, tz);
    expect(days(tz, last7)).toEqual({
      current: ['2026-03-03', '2026-03-09'],
      comparison: ['2026-02-24', '2026-03-02'],
    });
    // Seven local days holding the 23-hour Sunday.
    expect(last7.current.to - last7.current.from).toBe(7 * 86_400_000 - 3_600_000);
    expect(last7.interval).toBe('1d');
    const yesterday = resolve({ period: 'yesterday' }, now, tz);
    expect(days(tz, yesterday).current).toEqual(['2026-03-09', '2026-03-09']);
    expect(days(tz, resolve({ period: 'last90' }, now, tz)).current).toEqual(['2025-12-10', '2026-03-09']);
  });

  it('keep custom days as given, clipped to now, and map 29 February a year back to the 28th', () => {
    const custom = resolve({ period: 'custom', from: '2024-02-29', to: '2024-03-01', compare: 'lastYear' }, now, tz);
    expect(days(tz, custom)).toEqual({
      current: ['2024-02-29', '2024-03-01'],
      comparison: ['2023-02-28', '2023-03-01'],
    });
    const open = resolve({ period: 'custom', from: '2026-03-09', to: '2026-03-31' }, now, tz);
    expect(open.current.to).toBe(now);
    expect(() => resolve({ period: 'custom', from: '2026-03-11', to: '2026-03-12' }, now, tz)).toThrow(
      /after the start/,
    );
  });

  it('start weeks on Monday in a zone east of UTC', () => {
    // Sunday 22 November 2026, 01:00 in Shanghai (Saturday in UTC).
    const sunday = Date.UTC(2026, 10, 21, 17);
    expect(days('Asia/Shanghai', resolve({ period: 'thisWeek' }, sunday, 'Asia/Shanghai')).current).toEqual([
      '2026-11-16',
      '2026-11-22',
    ]);
  });
});
