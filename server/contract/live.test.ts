import { describe, expect, it } from 'vitest';
import {
  applyDelta,
  diffSnapshots,
  isDeltaEmpty,
  liveDeltaSchema,
  liveSnapshotSchema,
  type LiveSnapshot,
} from './live.ts';
import { computeKpis, emptyCounters } from './kpis.ts';
import { liveSnapshot, queueLive, sourceKpis } from '../../tests/helpers/live-fixtures.ts';

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

  it('carries the source split whole and the service-level trend slot by slot', () => {
    const slot = (start: number, offered: number, serviceLevel: number | null) => ({ start, offered, serviceLevel });
    const point = (minute: number, handoffs: number) => ({ minute, ai: 1, hybrid: 2, human: 3, handoffs });
    const a: LiveSnapshot = {
      ...base,
      handlerSeries: [point(0, 0), point(60_000, 1)],
      bySource: { escalated: sourceKpis({ offered: 1 }), direct: sourceKpis() },
      slSeries: [slot(0, 3, 0.5)],
    };
    const b: LiveSnapshot = {
      ...a,
      now: 2,
      handlerSeries: [point(60_000, 1), point(120_000, 2)],
      bySource: {
        escalated: sourceKpis({ offered: 2, answered: 1, serviceLevel: 1, asaSeconds: 4 }),
        direct: sourceKpis({ offered: 1, abandoned: 1, serviceLevel: 0 }),
      },
      slSeries: [slot(0, 3, 0.5), slot(900_000, 1, null)],
    };
    const d = diffSnapshots(a, b, 3);
    expect(d).toMatchObject({ bySource: b.bySource, handlerSeries: b.handlerSeries });
    // Only the new slot travels; a new day's first delta removes yesterday's.
    expect(d.slSeries).toEqual({ upsert: [slot(900_000, 1, null)], remove: [] });
    const nextDay = diffSnapshots(b, { ...b, slSeries: [slot(86_400_000, 0, null)] }, 4);
    expect(nextDay.slSeries).toEqual({ upsert: [slot(86_400_000, 0, null)], remove: ['0', '900000'] });
    expect(liveDeltaSchema.parse(d)).toEqual(d);
    expect(applyDelta(a, d)).toEqual(b);
    expect(liveSnapshotSchema.parse(applyDelta(a, d))).toEqual(b);
    // Unchanged, they stay out of the delta.
    const quiet = diffSnapshots(b, { ...b, now: 3 }, 4);
    expect(quiet.bySource).toBeUndefined();
    expect(quiet.slSeries).toBeUndefined();
    expect(isDeltaEmpty(quiet)).toBe(true);
    // A snapshot without them is not a snapshot.
    const { bySource: _dropped, ...old } = b;
    expect(liveSnapshotSchema.safeParse(old).success).toBe(false);
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
