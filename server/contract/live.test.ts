import { describe, expect, it } from 'vitest';
import { applyDelta, diffSnapshots, isDeltaEmpty, liveSnapshotSchema, type LiveSnapshot } from './live.ts';
import { computeKpis, emptyCounters } from './kpis.ts';
import { liveSnapshot, queueLive } from '../../tests/helpers/live-fixtures.ts';

const base = liveSnapshot();
const queue = queueLive;

describe('snapshot deltas', () => {
  it('round-trips: applying the diff of two snapshots gives the second', () => {
    const a: LiveSnapshot = { ...base, queues: [queue('a', 1), queue('b', 2)] };
    const b: LiveSnapshot = {
      ...base,
      now: 2,
      queues: [queue('b', 3), queue('c', 0)],
      bots: { ...base.bots, active: 4 },
    };
    const d = diffSnapshots(a, b, 7);
    expect(d.queues).toEqual({ upsert: [queue('b', 3), queue('c', 0)], remove: ['a'] });
    expect(d.today).toBeUndefined();
    expect(applyDelta(a, d)).toEqual(b);
    expect(liveSnapshotSchema.parse(applyDelta(a, d))).toEqual(b);
  });

  it('knows an empty delta', () => {
    expect(isDeltaEmpty(diffSnapshots(base, { ...base, now: 5 }, 1))).toBe(true);
    expect(isDeltaEmpty(diffSnapshots(base, { ...base, demo: true }, 1))).toBe(false);
  });
});

describe('computeKpis', () => {
  it('returns null, never NaN, for empty denominators', () => {
    const k = computeKpis(emptyCounters());
    for (const v of Object.values(k)) if (typeof v === 'number') expect(Number.isNaN(v)).toBe(false);
    expect(k.serviceLevel).toBeNull();
    expect(k.nps).toBeNull();
  });
  it('computes NPS on a -100..100 scale', () => {
    const c = { ...emptyCounters(), npsResponses: 4, npsPromoters: 2, npsDetractors: 1 };
    expect(computeKpis(c).nps).toBe(25);
  });
});
