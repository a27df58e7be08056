/**
 * Interval tables add up: the intervals of a range sum to the range, and a group (a queue, a channel)
 * equals the range filtered to it. Checked on a simulated day that crosses midnight, in a DST zone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCounters, DEFAULT_KPI_SETTINGS, emptyCounters, type KpiCounters } from '../../server/contract/kpis.ts';
import { openDatabase, type Database } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { bucketStarts, kpiIntervals, type Dimension } from '../../server/kpi/kpi-intervals.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { openSpans } from '../../server/kpi/business-hours.ts';
import { Simulator } from '../../server/simulator/simulator.ts';

const TZ = 'Europe/Berlin';
// 2026-10-25 is the autumn DST change in Berlin: that local day has 25 hours.
const dayStart = Date.UTC(2026, 9, 24, 22); // 2026-10-25T00:00+02:00
const to = Date.UTC(2026, 9, 25, 12);
const settings = { ...DEFAULT_KPI_SETTINGS, queues: { billing: { slThresholdSeconds: 40 } } };

function sum(rows: { counters: KpiCounters }[]): KpiCounters {
  return rows.reduce((acc, r) => addCounters(acc, r.counters), emptyCounters());
}
const round = (c: KpiCounters) => ({
  ...c,
  sales: Object.fromEntries(Object.entries(c.sales).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6])),
});

describe('KPI intervals', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(':memory:');
    await migrate(db);
    const events = new Simulator({ seed: 11, ratePerMinute: 10, start: dayStart - 3 * 3_600_000 }).advance(to);
    const ingest = new Ingest(new EventStore(db), { now: () => to });
    for (let i = 0; i < events.length; i += 4000) await ingest.ingest(events.slice(i, i + 4000));
  });
  afterAll(() => db.close());

  it('cuts days at local midnight and hours at local hours, across a DST change', () => {
    const days = bucketStarts(dayStart - 86_400_000, dayStart + 2 * 86_400_000, '1d', TZ);
    expect(days.map((d, i) => (days[i + 1] ?? d + 86_400_000) - d).slice(0, 2)).toEqual([86_400_000, 25 * 3_600_000]);
    const hours = bucketStarts(dayStart, dayStart + 86_400_000 + 3_600_000, '1h', TZ);
    expect(hours).toHaveLength(25);
    const clipped = bucketStarts(dayStart + 10 * 60_000, dayStart + 3_600_000, '15m', TZ);
    expect(clipped).toEqual([
      dayStart + 10 * 60_000,
      dayStart + 15 * 60_000,
      dayStart + 30 * 60_000,
      dayStart + 45 * 60_000,
    ]);
  });

  it('sums its intervals to the whole range, every counter', async () => {
    const rows = await kpiIntervals(
      db,
      { from: dayStart, to, interval: '15m', by: 'none', timeZone: TZ },
      settings,
      to,
    );
    const whole = await kpiCounters(db, { from: dayStart, to }, settings, to);
    expect(whole.contacts).toBeGreaterThan(200);
    expect(whole.handled).toBeGreaterThan(50);
    expect(new Set(rows.map((r) => r.start)).size).toBeGreaterThan(40);
    expect(round(sum(rows))).toEqual(round(whole));
  });

  it.each([
    ['queue', (key: string) => ({ queues: [key] })],
    ['channel', (key: string) => ({ channel: key })],
  ] as const)('gives each %s the figures of the range filtered to it', async (by, filterOf) => {
    const rows = await kpiIntervals(
      db,
      { from: dayStart, to, interval: '1h', by: by as Dimension, timeZone: TZ },
      settings,
      to,
    );
    const keys = [...new Set(rows.map((r) => r.key))].filter((k): k is string => k !== null);
    expect(keys.length).toBeGreaterThan(1);
    for (const key of keys) {
      const mine = sum(rows.filter((r) => r.key === key));
      const filtered = await kpiCounters(db, { from: dayStart, to, ...filterOf(key) }, settings, to);
      // Occupancy belongs to agents, not to queues or channels: it is left out of these splits.
      expect(round({ ...mine, busyMs: 0, availableMs: 0 }), `${by}=${key}`).toEqual(
        round({ ...filtered, busyMs: 0, availableMs: 0 }),
      );
    }
  });

  it('splits answers, handle time and occupancy by agent and team, adding up to the whole', async () => {
    const whole = await kpiCounters(db, { from: dayStart, to }, settings, to);
    for (const by of ['agent', 'team'] as const) {
      const rows = await kpiIntervals(db, { from: dayStart, to, interval: '1d', by, timeZone: TZ }, settings, to);
      const all = sum(rows);
      expect(all.handled, by).toBe(whole.handled);
      expect(all.handleMs, by).toBe(whole.handleMs);
      expect(all.answered, by).toBe(whole.answered);
      expect(all.busyMs, by).toBe(whole.busyMs);
      expect(all.availableMs, by).toBe(whole.availableMs);
      expect(all.contacts, by).toBe(0); // contacts are not an agent's
    }
  });

  it('counts only business hours when asked, in local time on a DST day, occupancy included', async () => {
    // Sunday 25 October: open 01:00–02:30 and 08:15–11:45 local. 02:30 happens twice that night (clocks go
    // back at 03:00); a wall time that happens twice means its first time, as Temporal's "compatible" does.
    const hours = {
      sun: [
        ['01:00', '02:30'],
        ['08:15', '11:45'],
      ],
    } as Parameters<typeof openSpans>[2];
    const open = openSpans(dayStart, to, hours, TZ);
    expect(open.map(([a, b]) => (b - a) / 60_000)).toEqual([90, 210]);
    const quarters = await kpiIntervals(
      db,
      { from: dayStart, to, interval: '15m', by: 'none', timeZone: TZ },
      settings,
      to,
    );
    const inside = quarters.filter((r) => open.some(([a, b]) => r.start >= a && r.end <= b));
    expect(inside).toHaveLength(20);
    const business = await kpiCounters(db, { from: dayStart, to, open }, settings, to);
    expect(round(business)).toEqual(round(sum(inside)));
    expect(business.contacts).toBeLessThan((await kpiCounters(db, { from: dayStart, to }, settings, to)).contacts);
    // Hourly rows with business hours hold exactly their open quarters.
    const hourly = await kpiIntervals(
      db,
      { from: dayStart, to, interval: '1h', by: 'none', timeZone: TZ, open },
      settings,
      to,
    );
    for (const h of hourly) {
      expect(round(h.counters)).toEqual(round(sum(inside.filter((r) => r.start >= h.start && r.end <= h.end))));
    }
    // The 08:00 hour is open from 08:15: its occupancy counts 45 minutes per agent at most.
    const eight = hourly.find((h) => h.start < open[1]![0] && h.end > open[1]![0])!;
    expect(eight.counters.busyMs + eight.counters.availableMs).toBeGreaterThan(0);
  });
});
