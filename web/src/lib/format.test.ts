import { describe, expect, it } from 'vitest';
import { dateTime, duration } from './format.ts';

describe('format', () => {
  it('formats durations as clock times', () => {
    expect(duration(75)).toBe('1:15');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(null)).toBe('—');
  });
  it('formats admin timestamps in local time, to the minute', () => {
    expect(dateTime(new Date(2025, 2, 4, 9, 6, 59).getTime())).toBe('2025-03-04 09:06');
    expect(dateTime(null)).toBe('—');
  });
});
