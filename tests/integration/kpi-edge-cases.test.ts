/**
 * Edge cases of the KPI definitions, each through both engines: empty ranges, a contact across
 * midnight, a late survey, duplicates and out-of-order arrival, any batch split.
 */
import { describe, expect, it } from 'vitest';
import { computeKpis, DEFAULT_KPI_SETTINGS, type KpiCounters } from '../../server/contract/kpis.ts';
import { openDatabase } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { LiveEngine } from '../../server/live/live-engine.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { Random } from '../../server/simulator/random.ts';
import { Simulator } from '../../server/simulator/simulator.ts';

const midnight = Date.UTC(2026, 10, 24);
const s = 1000;

/** Both engines' counters for [from, to) after loading `batches` in that order. */
async function both(batches: unknown[][], from: number, to: number, now = to): Promise<[KpiCounters, KpiCounters]> {
  const db = await openDatabase(':memory:');
  await migrate(db);
  const engine = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, now);
  const ingest = new Ingest(new EventStore(db, { onCommitted: (es) => engine.apply(es) }), { now: () => now });
  for (const b of batches) await ingest.ingest(b);
  const sql = await kpiCounters(db, { from, to }, DEFAULT_KPI_SETTINGS, now);
  await db.close();
  return [from === engine.snapshot(now).dayStart ? engine.todayCounters(now) : sql, sql];
}

describe('KPI edge cases, live and SQL', () => {
  it('gives nulls, not zeros or NaN, for an empty range', async () => {
    const [live, sql] = await both([], midnight, midnight + 3_600_000);
    for (const c of [live, sql]) {
      const k = computeKpis(c);
      expect([k.serviceLevel, k.asaSeconds, k.ahtSeconds, k.abandonRate, k.csat, k.nps, k.fcr, k.occupancy]).toEqual(
        Array(8).fill(null),
      );
      expect(k.contacts).toBe(0);
    }
  });

  it('counts a contact that queues before midnight and is answered after it on both days, each part once', async () => {
    const events = [
      { id: 'm1', type: 'contact.started', at: midnight - 120 * s, contactId: 'c', channel: 'voice' },
      { id: 'm2', type: 'queue.entered', at: midnight - 100 * s, contactId: 'c', queue: 'q' },
      {
        id: 'm3',
        type: 'queue.left',
        at: midnight + 30 * s,
        contactId: 'c',
        queue: 'q',
        outcome: 'answered',
        agentId: 'a',
      },
      { id: 'm4', type: 'wrapup.completed', at: midnight + 330 * s, contactId: 'c', agentId: 'a' },
    ];
    const [live, sql] = await both([events], midnight, midnight + 3_600_000);
    for (const c of [live, sql]) {
      expect([c.contacts, c.offered, c.answered, c.answeredWaitMs, c.answeredWithinThreshold]).toEqual([
        0,
        0,
        1,
        130 * s,
        0,
      ]);
      expect(c.handleMs).toBe(300 * s);
    }
    const [, yesterday] = await both([events], midnight - 3_600_000, midnight);
    expect([yesterday.contacts, yesterday.offered, yesterday.answered]).toEqual([1, 1, 0]);
  });

  it('counts a late survey when it was answered, and a late entry re-pairs its exit', async () => {
    const events = [
      { id: 'l1', type: 'contact.started', at: midnight + 60 * s, contactId: 'c', channel: 'chat' },
      {
        id: 'l3',
        type: 'queue.left',
        at: midnight + 90 * s,
        contactId: 'c',
        queue: 'q',
        outcome: 'answered',
        agentId: 'a',
      },
      { id: 'l4', type: 'survey.completed', at: midnight + 7_200 * s, contactId: 'c', csat: 5, nps: 10 },
    ];
    const late = [{ id: 'l2', type: 'queue.entered', at: midnight + 70 * s, contactId: 'c', queue: 'q' }];
    const [live, sql] = await both([events, late], midnight, midnight + 3 * 3_600_000);
    for (const c of [live, sql]) {
      expect([c.answeredWithWait, c.answeredWaitMs, c.answeredWithinThreshold]).toEqual([1, 20 * s, 1]);
      expect([c.csatResponses, c.npsPromoters]).toEqual([1, 1]);
    }
    const [, beforeSurvey] = await both([events, late], midnight, midnight + 3_600_000);
    expect(beforeSurvey.csatResponses).toBe(0);
  });

  it('ends at the same counters for any order and any split into batches, duplicates included', async () => {
    const from = midnight;
    const now = midnight + 2 * 3_600_000;
    const events: unknown[] = new Simulator({ seed: 77, ratePerMinute: 8, start: midnight - 1_800_000 }).advance(now);
    const [reference] = await both([events], from, now, now);
    const rng = new Random(3);
    for (let trial = 0; trial < 3; trial++) {
      const mixed = [...events, ...events.slice(0, 50 * (trial + 1))];
      for (let i = mixed.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [mixed[i], mixed[j]] = [mixed[j]!, mixed[i]!];
      }
      const batches: unknown[][] = [];
      for (let i = 0; i < mixed.length;) {
        const size = rng.int(1, 400);
        batches.push(mixed.slice(i, i + size));
        i += size;
      }
      const [live, sql] = await both(batches, from, now, now);
      expect(live, `trial ${trial}`).toEqual(reference);
      expect(sql, `trial ${trial}`).toEqual(reference);
    }
  });
});
