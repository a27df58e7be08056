import { describe, expect, it } from 'vitest';
import {
  addCounters,
  addServiceLevelCounters,
  computeKpis,
  emptyCounters,
  emptyServiceLevelCounters,
  serviceLevelOf,
  settingsFor,
  SL_VARIANTS,
  DEFAULT_KPI_SETTINGS,
  type KpiCounters,
  type SlVariant,
} from './kpis.ts';

/** 10 entries; exits: 6 answered (4 within 20 s), 2 abandoned, 1 short abandon, 1 transferred (within). */
const day: KpiCounters = {
  ...emptyCounters(),
  offered: 10,
  answered: 6,
  answeredWithinThreshold: 4,
  abandoned: 2,
  shortAbandoned: 1,
  transferred: 1,
  exitsWithinThreshold: 4 + 1 + 1, // answered within, the short abandon, the transfer
};

describe('service-level variants', () => {
  it('computes each named variant from the same counters', () => {
    const sl = (slVariant: SlVariant) => computeKpis(day, { slVariant }).serviceLevel;
    expect(sl('exits')).toBeCloseTo(4 / 9);
    expect(sl('allExits')).toBeCloseTo(4 / 10);
    expect(sl('answeredOnly')).toBeCloseTo(4 / 6);
    expect(sl('anyExitWithin')).toBeCloseTo(6 / 10);
    expect(sl('entries')).toBeCloseTo(4 / 9);
  });

  it('answers null, not 0 or NaN, for an empty denominator', () => {
    for (const slVariant of ['exits', 'allExits', 'answeredOnly', 'anyExitWithin', 'entries'] as const) {
      expect(computeKpis(emptyCounters(), { slVariant }).serviceLevel).toBeNull();
    }
    // More short abandons than entries in the range: no meaningful per-entry rate.
    expect(
      computeKpis({ ...emptyCounters(), offered: 1, shortAbandoned: 2 }, { slVariant: 'entries' }).serviceLevel,
    ).toBeNull();
  });

  it('sums what service level needs, under every variant, with the lean sum', () => {
    for (const slVariant of SL_VARIANTS) {
      const lean = addServiceLevelCounters(addServiceLevelCounters(emptyServiceLevelCounters(), day), day);
      const all = addCounters(addCounters(emptyCounters(), day), day);
      expect(serviceLevelOf(lean, { slVariant })).toBe(computeKpis(all, { slVariant }).serviceLevel);
    }
  });

  it('lets a queue override the defaults field by field', () => {
    const settings = { ...DEFAULT_KPI_SETTINGS, queues: { vip: { slThresholdSeconds: 10 } } };
    expect(settingsFor(settings, 'vip')).toEqual({
      slThresholdSeconds: 10,
      shortAbandonSeconds: 5,
      slVariant: 'exits',
    });
    expect(settingsFor(settings, 'other')).toEqual({
      slThresholdSeconds: 20,
      shortAbandonSeconds: 5,
      slVariant: 'exits',
    });
  });
});
