/**
 * The live engine (incremental, in memory) and the SQL engine (DuckDB over stored events) must give
 * the same counters for the same events — also when the events arrive shuffled and duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { LiveEngine } from '../../server/live/live-engine.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { kpiIntervals } from '../../server/kpi/kpi-intervals.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { Random } from '../../server/simulator/random.ts';
import {
  addCounters,
  computeKpis,
  DEFAULT_KPI_SETTINGS,
  emptyCounters,
  SL_VARIANTS,
  type KpiCounters,
  type KpiSettings,
} from '../../server/contract/kpis.ts';
import { startOfDay } from '../../server/time.ts';

const dayStart = Date.UTC(2026, 10, 24);
const now = dayStart + 11 * 3_600_000;

describe('live and SQL engines agree', () => {
  let db: Database;
  let inOrder: LiveEngine;
  let shuffled: LiveEngine;

  beforeAll(async () => {
    db = await openDatabase(':memory:');
    await migrate(db);
    // Start yesterday evening so the day boundary is crossed with contacts in flight.
    const sim = new Simulator({ seed: 42, ratePerMinute: 12, start: dayStart - 2 * 3_600_000 });
    const events = sim.advance(now);
    inOrder = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, now);
    shuffled = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, now);
    const storeA = new EventStore(db, { onCommitted: (es) => inOrder.apply(es) });
    const ingest = new Ingest(storeA, { now: () => now });
    for (let i = 0; i < events.length; i += 2000) await ingest.ingest(events.slice(i, i + 2000));

    // The same events, shuffled in chunks and with duplicates, into a second engine.
    const rng = new Random(7);
    const mixed = [...events, ...events.slice(0, 500)];
    for (let i = mixed.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [mixed[i], mixed[j]] = [mixed[j]!, mixed[i]!];
    }
    const db2 = await openDatabase(':memory:');
    await migrate(db2);
    const ingest2 = new Ingest(new EventStore(db2, { onCommitted: (es) => shuffled.apply(es) }), { now: () => now });
    for (let i = 0; i < mixed.length; i += 3000) await ingest2.ingest(mixed.slice(i, i + 3000));
    await db2.close();
  });
  afterAll(() => db.close());

  it('uses a day that really starts at midnight UTC', () => {
    expect(startOfDay(now, 'UTC')).toBe(dayStart);
  });

  it('gives identical counters for today', async () => {
    const sql = await kpiCounters(db, { from: dayStart, to: now }, DEFAULT_KPI_SETTINGS, now);
    const live = inOrder.todayCounters(now);
    expect(sql.contacts).toBeGreaterThan(300);
    expect(sql.answered).toBeGreaterThan(100);
    expect(sql.handled).toBeGreaterThan(100);
    expect(sql.busyMs).toBeGreaterThan(0);
    expect(sql.fcrRepeated).toBeGreaterThan(10);
    expect(sql.fcrRepeated).toBeLessThan(sql.fcrContacts);
    expect(roundSales(live)).toEqual(roundSales(sql));
  });

  it('gives identical counters when events arrive shuffled and duplicated', async () => {
    const sql = await kpiCounters(db, { from: dayStart, to: now }, DEFAULT_KPI_SETTINGS, now);
    expect(roundSales(shuffled.todayCounters(now))).toEqual(roundSales(sql));
  });

  it('gives identical counters for the rolling window', async () => {
    const from = LiveEngine.rollingStart(now);
    const sql = await kpiCounters(db, { from, to: now }, DEFAULT_KPI_SETTINGS, now);
    const snap = inOrder.snapshot(now);
    expect(snap.rolling15.answered).toBe(sql.answered);
    expect(snap.rolling15.offered).toBe(sql.offered);
    expect(snap.rolling15.contacts).toBe(sql.contacts);
    expect(snap.rolling15.botEscalated).toBe(sql.botEscalated);
  });

  it('agrees per queue on the queue metrics', async () => {
    const snap = inOrder.snapshot(now);
    for (const q of snap.queues) {
      const sql = await kpiCounters(db, { from: dayStart, to: now, queues: [q.queue] }, DEFAULT_KPI_SETTINGS, now);
      expect({ q: q.queue, offered: q.offered, answered: q.answered, abandoned: q.abandoned }).toEqual({
        q: q.queue,
        offered: sql.offered,
        answered: sql.answered,
        abandoned: sql.abandoned,
      });
    }
  });

  it('agrees on bot-escalated versus direct contacts, and on the service level per 15-minute slot', async () => {
    const snap = inOrder.snapshot(now);
    // In history the contacts a bot escalated are the hybrid ones.
    const byHandler = await kpiIntervals(
      db,
      { from: dayStart, to: now, interval: 'range', by: 'handler', timeZone: 'UTC' },
      DEFAULT_KPI_SETTINGS,
      now,
    );
    const escalated = emptyCounters();
    const direct = emptyCounters();
    for (const row of byHandler) addCounters(row.key === 'hybrid' ? escalated : direct, row.counters);
    const source = (c: KpiCounters) => {
      const { offered, answered, abandoned, serviceLevel, asaSeconds } = computeKpis(c, DEFAULT_KPI_SETTINGS);
      return { offered, answered, abandoned, serviceLevel, asaSeconds };
    };
    expect(escalated.answered).toBeGreaterThan(50);
    expect(direct.answered).toBeGreaterThan(50);
    expect(snap.bySource).toEqual({ escalated: source(escalated), direct: source(direct) });

    const slots = await kpiIntervals(
      db,
      { from: dayStart, to: now, interval: '15m', by: 'none', timeZone: 'UTC' },
      DEFAULT_KPI_SETTINGS,
      now,
    );
    // The live series also holds the slot that has just begun (`now` is on a quarter hour).
    expect(snap.slSeries).toHaveLength(11 * 4 + 1);
    expect(snap.slSeries.at(-1)).toEqual({ start: now, offered: 0, serviceLevel: null });
    const sqlSlots = new Map(slots.map((r) => [r.start, r.counters]));
    for (const p of snap.slSeries.slice(0, -1)) {
      const c = sqlSlots.get(p.start) ?? emptyCounters();
      expect(p).toEqual({ start: p.start, offered: c.offered, serviceLevel: computeKpis(c).serviceLevel });
    }

    // Shuffled, duplicated arrival ends at the same figures.
    const late = shuffled.snapshot(now);
    expect(late.bySource).toEqual(snap.bySource);
    expect(late.slSeries).toEqual(snap.slSeries);
    expect(late.handlerSeries).toEqual(snap.handlerSeries);
    expect(snap.handlerSeries.reduce((n, p) => n + p.handoffs, 0)).toBeGreaterThan(0);
  });

  it('agrees with per-queue thresholds and service-level variants', async () => {
    const queues = inOrder.snapshot(now).queues.map((q) => q.queue);
    expect(queues.length).toBeGreaterThan(2);
    const settings: KpiSettings = {
      ...DEFAULT_KPI_SETTINGS,
      queues: {
        [queues[0]!]: { slThresholdSeconds: 60, slVariant: 'anyExitWithin' },
        [queues[1]!]: { shortAbandonSeconds: 30, slVariant: 'answeredOnly' },
      },
    };
    const engine = new LiveEngine({ timeZone: 'UTC', settings }, now);
    const rows = await db.query<{ body: string; at_ms: number }>('SELECT body, at_ms FROM events ORDER BY at_ms, id');
    engine.apply(rows.map((r) => ({ event: JSON.parse(r.body), atMs: r.at_ms })));
    const sql = await kpiCounters(db, { from: dayStart, to: now }, settings, now);
    expect(roundSales(engine.todayCounters(now))).toEqual(roundSales(sql));
    // The thresholds really changed something, and each queue row uses its own variant.
    expect(sql.answeredWithinThreshold).not.toBe(inOrder.todayCounters(now).answeredWithinThreshold);
    const snap = engine.snapshot(now);
    for (const name of queues.slice(0, 2)) {
      const row = snap.queues.find((q) => q.queue === name)!;
      const own = await kpiCounters(db, { from: dayStart, to: now, queues: [name] }, settings, now);
      expect(row.serviceLevel).toBeCloseTo(
        computeKpis(own, { slVariant: settings.queues![name]!.slVariant! }).serviceLevel!,
        12,
      );
    }
    // The escalated/direct split counts each exit against its own queue's threshold too.
    const hybrid = await kpiIntervals(
      db,
      { from: dayStart, to: now, interval: 'range', by: 'handler', timeZone: 'UTC' },
      settings,
      now,
    );
    const escalated = hybrid.find((r) => r.key === 'hybrid')!.counters;
    expect(snap.bySource.escalated.serviceLevel).toBe(computeKpis(escalated, settings).serviceLevel);
    expect(snap.bySource.escalated.serviceLevel).not.toBe(inOrder.snapshot(now).bySource.escalated.serviceLevel);
    // Every variant gives a rate in [0, 1] on a full day, and they differ from one another.
    const values = SL_VARIANTS.map((v) => computeKpis(sql, { slVariant: v }).serviceLevel!);
    for (const v of values) expect(v).toBeGreaterThanOrEqual(0);
    expect(new Set(values.map((v) => v.toFixed(6))).size).toBeGreaterThan(3);
  });
});

function roundSales<T extends { sales: Record<string, number> }>(c: T): T {
  // Float sums differ in the last bits with summation order; compare to 1e-6.
  for (const k of Object.keys(c.sales)) c.sales[k] = Math.round(c.sales[k]! * 1e6) / 1e6;
  return c;
}
