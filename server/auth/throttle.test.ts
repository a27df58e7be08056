import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './throttle.ts';

describe('LoginThrottle', () => {
  it('lets a few failures through, then doubles the wait per failure up to the cap', () => {
    let now = 0;
    const t = new LoginThrottle({ clock: () => now, freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000 });
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      t.failed('sam', '10.0.0.1');
      waits.push(t.waitMs('sam', '10.0.0.1'));
      now += waits.at(-1)!;
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000]);
  });

  it('clears an account on success but keeps counting the address', () => {
    let now = 0;
    const t = new LoginThrottle({ clock: () => now, freeFailures: 1, addressFreeFailures: 2 });
    t.failed('a', 'ip');
    t.failed('a', 'ip');
    expect(t.waitMs('a', 'ip')).toBe(1000);
    now += 1000;
    t.succeeded('a');
    expect(t.waitMs('a', 'ip')).toBe(0);
    // Spraying many accounts from one address slows the address down.
    t.failed('b', 'ip');
    expect(t.waitMs('c', 'ip')).toBeGreaterThan(0);
    expect(t.waitMs('c', 'other-ip')).toBe(0);
  });

  it('forgets old failures', () => {
    let now = 0;
    const t = new LoginThrottle({ clock: () => now, freeFailures: 0, forgetAfterMs: 60_000 });
    t.failed('a', 'ip');
    expect(t.waitMs('a', 'ip')).toBe(1000);
    now += 61_000;
    expect(t.waitMs('a', 'ip')).toBe(0);
  });
});
