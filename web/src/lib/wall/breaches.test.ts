import { describe, expect, it } from 'vitest';
import { computeKpis, emptyCounters } from '$contract/kpis.ts';
import { liveSnapshot, queueLive } from '../../../../tests/helpers/live-fixtures.ts';
import { breaches } from './breaches.ts';

const sl = { target: 0.8, warn: 0.7, alert: 0.6 };
const wait = { target: 30, warn: 60, alert: 120 };

describe('breaches', () => {
  it("lists the center's and each queue's figures past their alert level, by the queue's own targets", () => {
    const now = 1_000_000;
    const snap = liveSnapshot({
      today: { ...computeKpis(emptyCounters()), serviceLevel: 0.55 },
      targets: {
        defaults: { serviceLevel: sl, longestWaitSeconds: wait },
        queues: { vip: { serviceLevel: { target: 0.95, warn: 0.9, alert: 0.85 } } },
      },
      queues: [
        { ...queueLive('sales', 2), serviceLevel: 0.65, oldestEnteredAt: now - 150_000 },
        { ...queueLive('vip', 0), serviceLevel: 0.8, oldestEnteredAt: null },
        { ...queueLive('idle', 0), serviceLevel: null, oldestEnteredAt: now - 500_000 },
      ],
    });
    expect(breaches(snap, now)).toEqual([
      { queue: null, kpi: 'serviceLevel', value: 0.55 },
      { queue: 'sales', kpi: 'longestWaitSeconds', value: 150 },
      { queue: 'vip', kpi: 'serviceLevel', value: 0.8 },
    ]);
  });

  it('is empty without targets', () => {
    expect(breaches(liveSnapshot({ queues: [{ ...queueLive('a', 9), serviceLevel: 0 }] }), 0)).toEqual([]);
  });
});
