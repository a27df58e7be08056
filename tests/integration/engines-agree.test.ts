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
import { Simulator } from '../../server/simulator/simulator.ts';
import { Random } from '../../server/simulator/random.ts';
import { DEFAULT_KPI_SETTINGS } from '../../server/contract/kpis.ts';
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
});

function roundSales<T extends { sales: Record<string, number> }>(c: T): T {
  // Float sums differ in the last bits with summation order; compare to 1e-6.
  for (const k of Object.keys(c.sales)) c.sales[k] = Math.round(c.sales[k]! * 1e6) / 1e6;
  return c;
}
