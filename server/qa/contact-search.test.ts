import { describe, expect, it } from 'vitest';
import { boundMs } from '../time.ts';

describe('date bounds', () => {
  it.each([
    ['UTC', '2026-11-24', Date.UTC(2026, 10, 24), Date.UTC(2026, 10, 25)],
    ['Asia/Shanghai', '2026-11-24', Date.UTC(2026, 10, 23, 16), Date.UTC(2026, 10, 24, 16)],
    ['America/Los_Angeles', '2026-11-24', Date.UTC(2026, 10, 24, 8), Date.UTC(2026, 10, 25, 8)],
    ['Pacific/Kiritimati', '2026-11-24', Date.UTC(2026, 10, 23, 10), Date.UTC(2026, 10, 24, 10)],
    ['Pacific/Pago_Pago', '2026-11-24', Date.UTC(2026, 10, 24, 11), Date.UTC(2026, 10, 25, 11)],
    // The day the clocks go back is 25 hours long.
    ['Europe/London', '2026-10-25', Date.UTC(2026, 9, 24, 23), Date.UTC(2026, 9, 26)],
  ])('%s: %s is a local day', (tz, day, start, end) => {
    expect(boundMs({ day }, 'start', tz)).toBe(start);
    expect(boundMs({ day }, 'end', tz)).toBe(end);
    expect(boundMs({ ms: 5 }, 'end', tz)).toBe(5);
  });
});
