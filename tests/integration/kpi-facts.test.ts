/**
 * KPI facts rewritten a few events at a time (as the server keeps them) must end exactly where a
 * rebuild from all events ends, whatever the order and batching of arrival, late events included.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_KPI_SETTINGS, type KpiCounters } from '../../server/contract/kpis.ts';
import { openDatabase, type Database } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { refreshFacts, resetFacts } from '../../server/kpi/kpi-facts.ts';
import { DIMENSIONS, kpiIntervals } from '../../server/kpi/kpi-intervals.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { Random } from '../../server/simulator/random.ts';
import { Simulator } from '../../server/simulator/simulator.ts';

const dayStart = Date.UTC(2026, 10, 24);
const now = dayStart + 6 * 3_600_000;
const H = 3_600_000;

async function fresh(): Promise<{ db: Database; ingest: Ingest }> {
  const db = await openDatabase(':memory:');
  await migrate(db);
  return { db, ingest: new Ingest(new EventStore(db), { now: () => now }) };
}

/** Every fact table, in a fixed order, as plain values. */
async function dump(db: Database): Promise<unknown[]> {
  return [
    await db.query('SELECT * FROM kpi_contacts ORDER BY ALL'),
    await db.query('SELECT * EXCLUDE (queues), list_sort(queues) AS queues FROM kpi_facts ORDER BY ALL'),
    await db.query('SELECT * FROM kpi_agent_states ORDER BY ALL'),
  ];
}

/** Interval tables by every dimension, and the range. */
async function answers(db: Database): Promise<unknown[]> {
  const out: unknown[] = [await kpiCounters(db, { from: dayStart - 2 * H, to: now }, DEFAULT_KPI_SETTINGS, now)];
  for (const by of DIMENSIONS) {
    out.push(
      await kpiIntervals(
        db,
        { from: dayStart - 2 * H, to: now, interval: '15m', by, timeZone: 'UTC' },
        DEFAULT_KPI_SETTINGS,
        now,
      ),
    );
  }
  return out;
}

describe('KPI facts', () => {
  it('end the same refreshed after every batch of shuffled, late and duplicated events as rebuilt at once', async () => {
    const sim = new Simulator({ seed: 11, ratePerMinute: 8, start: dayStart - 3 * H });
    const events = sim.advance(now) as { at: string | number }[];
    // Mostly in time order, as platforms send them, but a tenth held back and sent late, plus duplicates.
    const rng = new Random(3);
    const late: typeof events = [];
    const onTime: typeof events = [];
    for (const e of events) (rng.next() < 0.1 ? late : onTime).push(e);
    const arrival = [...onTime, ...late.reverse(), ...events.slice(0, 300)];

    const { db, ingest } = await fresh();
    let refreshes = 0;
    for (let i = 0; i < arrival.length;) {
      const size = rng.int(1, 400);
      await ingest.ingest(arrival.slice(i, i + size));
      i += size;
      const r = await refreshFacts(db);
      if (r.events > 0 && !r.full) refreshes++;
    }
    expect(refreshes).toBeGreaterThan(20);
    const incremental = await dump(db);
    const incrementalAnswers = await answers(db);
    const contacts = (incrementalAnswers[0] as KpiCounters).contacts;
    expect(contacts).toBeGreaterThan(200);

    await resetFacts(db);
    expect((await refreshFacts(db)).full).toBe(true);
    expect(await dump(db)).toEqual(incremental);
    expect(await answers(db)).toEqual(incrementalAnswers);

    // And the same as a database that received everything in one go, in order.
    const other = await fresh();
    await other.ingest.ingest(events);
    expect(await answers(other.db)).toEqual(incrementalAnswers);
    await other.db.close();
    await db.close();
  }, 60_000);

  it('catch up on a large backlog in several steps and end where a rebuild ends', async () => {
    const events = new Simulator({ seed: 4, ratePerMinute: 9, start: dayStart - 6 * H }).advance(now);
    // More than one step (20,000 events), fewer than a rebuild (500,000).
    expect(events.length).toBeGreaterThan(20_000);
    const { db, ingest } = await fresh();
    await ingest.ingest(events.slice(0, 100));
    expect((await refreshFacts(db)).full).toBe(true);
    for (let i = 100; i < events.length; i += 5000) await ingest.ingest(events.slice(i, i + 5000));
    const r = await refreshFacts(db);
    expect([r.full, r.events]).toEqual([false, events.length - 100]);
    const stepped = await dump(db);
    await resetFacts(db);
    await refreshFacts(db);
    expect(await dump(db)).toEqual(stepped);
    await db.close();
  }, 120_000);

  it("ends an agent's open state where the next one begins, however long the agent was idle", async () => {
    const { db, ingest } = await fresh();
    const state = (id: string, at: number, s: string) => ({ id, type: 'agent.state', at, agentId: 'a', state: s });
    await ingest.ingest([state('s1', dayStart - 22 * H, 'available')]);
    await refreshFacts(db);
    // 26 hours later, a change: the available spell ends there, it does not run on beside the new state.
    await ingest.ingest([state('s2', dayStart + 4 * H, 'on_contact')]);
    const c = await kpiCounters(db, { from: dayStart, to: now }, DEFAULT_KPI_SETTINGS, now);
    expect([c.availableMs, c.busyMs]).toEqual([4 * H, 2 * H]);
    await db.close();
  });

  it('include everything committed before a query, without waiting for the timer', async () => {
    const { db, ingest } = await fresh();
    const started = (i: number) => ({
      id: `e${i}`,
      type: 'contact.started',
      at: dayStart + i * 1000,
      contactId: `c${i}`,
      channel: 'chat',
    });
    for (let i = 0; i < 5; i++) {
      await ingest.ingest([started(i)]);
      const c = await kpiCounters(db, { from: dayStart, to: now }, DEFAULT_KPI_SETTINGS, now);
      expect(c.contacts).toBe(i + 1);
    }
    await db.close();
  });

  it('reuse whole past days until late events change them, and answer as if computed afresh', async () => {
    const start = dayStart - 3 * 86_400_000;
    const sim = new Simulator({ seed: 21, ratePerMinute: 2, start, idPrefix: 'k' });
    const events = sim.advance(dayStart + 3 * H);
    const { db, ingest } = await fresh();
    await ingest.ingest(events);
    const q = { from: start + 5 * H, to: dayStart + 3 * H, timeZone: 'UTC' } as const;
    const ask = (d: Database, interval: '1h' | '1d', by: 'none' | 'queue' | 'agent') =>
      kpiIntervals(d, { ...q, interval, by }, DEFAULT_KPI_SETTINGS, now);
    const first = await ask(db, '1h', 'none');
    expect(await ask(db, '1h', 'none')).toEqual(first);

    // Late news for two days ago: a survey, a contact whose customer comes back today (no longer
    // first-contact resolved), and an agent state that ends an old spell.
    const old = events.find(
      (e) => e.type === 'contact.started' && Number(new Date(e.at as string)) < start + 30 * H && 'customerId' in e,
    ) as { contactId: string; customerId: string; at: string };
    const late = [
      { id: 'late-1', type: 'survey.completed', at: Date.parse(old.at) + H, contactId: old.contactId, csat: 1, nps: 0 },
      {
        id: 'late-2',
        type: 'contact.started',
        at: dayStart + H,
        contactId: 'back',
        customerId: old.customerId,
        channel: 'voice',
      },
      { id: 'late-3', type: 'agent.state', at: start + 40 * H, agentId: 'k-late-agent', state: 'available' },
    ];
    await ingest.ingest(late);
    const other = await fresh();
    await other.ingest.ingest([...events, ...late]);
    for (const [interval, by] of [
      ['1h', 'none'],
      ['1d', 'queue'],
      ['1d', 'agent'],
    ] as const) {
      expect(await ask(db, interval, by), `${interval} by ${by}`).toEqual(await ask(other.db, interval, by));
    }
    expect(await ask(db, '1h', 'none')).not.toEqual(first);
    await other.db.close();
    await db.close();
  }, 60_000);
});
