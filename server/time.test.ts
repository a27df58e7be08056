import { describe, expect, it } from 'vitest';
import { startOfDay, zoneOffsetMs } from './time.ts';

describe('startOfDay', () => {
  it('finds local midnight in a zone east of UTC', () => {
    const t = Date.parse('2026-11-24T01:30:00+08:00');
    expect(new Date(startOfDay(t, 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T16:00:00.000Z');
  });
  it('finds local midnight in a zone west of UTC', () => {
    const t = Date.parse('2026-11-24T23:30:00-05:00');
    expect(new Date(startOfDay(t, 'America/New_York')).toISOString()).toBe('2026-11-24T05:00:00.000Z');
  });
  it('handles a day that starts before a DST change', () => {
    const t = Date.parse('2026-03-08T12:00:00-04:00');
    expect(new Date(startOfDay(t, 'America/New_York')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });
  it('reports offsets', () => {
    expect(zoneOffsetMs(Date.parse('2026-06-01T00:00:00Z'), 'Europe/London')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-06-01T00:00:00Z'), 'UTC')).toBe(0);
  });
});
