import { describe, expect, it } from 'vitest';
import { statusOf, targetsOf } from './thresholds.ts';

const sl = { target: 0.8, warn: 0.7, alert: 0.6 };
const wait = { target: 60, warn: 120, alert: 240 };

describe('statusOf', () => {
  it('rates higher-is-better figures against the target and its warn and alert levels', () => {
    expect(statusOf(0.85, sl, 'serviceLevel')).toBe('good');
    expect(statusOf(0.8, sl, 'serviceLevel')).toBe('good');
    expect(statusOf(0.75, sl, 'serviceLevel')).toBe('near');
    expect(statusOf(0.7, sl, 'serviceLevel')).toBe('warn');
    expect(statusOf(0.6, sl, 'serviceLevel')).toBe('bad');
  });
  it('rates lower-is-better figures the other way round', () => {
    expect(statusOf(10, wait, 'longestWaitSeconds')).toBe('good');
    expect(statusOf(90, wait, 'longestWaitSeconds')).toBe('near');
    expect(statusOf(130, wait, 'longestWaitSeconds')).toBe('warn');
    expect(statusOf(240, wait, 'longestWaitSeconds')).toBe('bad');
  });
  it('has no status without data or without a target', () => {
    expect(statusOf(null, sl, 'serviceLevel')).toBe('none');
    expect(statusOf(0.9, undefined, 'serviceLevel')).toBe('none');
  });
});

describe('targetsOf', () => {
  it("takes a queue's own targets over the defaults, KPI by KPI", () => {
    const targets = {
      defaults: { serviceLevel: sl, longestWaitSeconds: wait },
      queues: { vip: { serviceLevel: { target: 0.9, warn: 0.85, alert: 0.8 } } },
    };
    expect(targetsOf(targets, 'vip').serviceLevel!.target).toBe(0.9);
    expect(targetsOf(targets, 'vip').longestWaitSeconds).toBe(wait);
    expect(targetsOf(targets, 'sales').serviceLevel).toBe(sl);
    expect(targetsOf(undefined)).toEqual({});
  });
});
