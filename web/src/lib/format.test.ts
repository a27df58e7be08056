import { describe, expect, it } from 'vitest';
import { age, count, dateTime, duration, percent } from './format.ts';

describe('format', () => {
  it('formats percentages and unknowns', () => {
    expect(percent(0.8567)).toBe('86%');
    expect(percent(null)).toBe('—');
  });
  it('formats durations as clock times', () => {
    expect(duration(75)).toBe('1:15');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(null)).toBe('—');
  });
  it('formats counts and ages', () => {
    expect(count(12345)).toBe('12,345');
    expect(age(4_200)).toBe('4 s');
    expect(age(125_000)).toBe('2 min');
  });
  it('formats admin timestamps in local time, to the minute', () => {
    expect(dateTime(new Date(2025, 2, 4, 9, 6, 59).getTime())).toBe('2025-03-04 09:06');
    expect(dateTime(null)).toBe('—');
  });
});
