import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/duckdb.ts';
import { migrate } from '../db/migrate.ts';
import { EventStore } from './event-store.ts';
import type { StoredEvent } from '../contract/events.ts';

const ev = (id: string, atMs = 1_764_000_000_000): StoredEvent => ({
  event: { id, type: 'contact.started', at: atMs, contactId: 'c-' + id, channel: 'chat' },
  atMs,
});

describe('EventStore', () => {
  let db: Database;
  beforeEach(async () => {
    db = await openDatabase(':memory:');
    await migrate(db);
  });
  afterEach(() => db.close());

  it('stores each id once across concurrent batches and reports duplicates', async () => {
    const committed: string[] = [];
    const store = new EventStore(db, { onCommitted: (es) => committed.push(...es.map((e) => e.event.id)) });
    const [a, b] = await Promise.all([store.store([ev('1'), ev('2')]), store.store([ev('2'), ev('3'), ev('3')])]);
    expect(a).toEqual({ inserted: [ev('1'), ev('2')], duplicates: 0 });
    expect(b.inserted.map((e) => e.event.id)).toEqual(['3']);
    expect(b.duplicates).toBe(2);
    const again = await store.store([ev('1')]);
    expect(again).toEqual({ inserted: [], duplicates: 1 });
    // A later batch mixing a stored id with new ones stores exactly the new ones.
    const mixed = await store.store([ev('5'), ev('1'), ev('6')]);
    expect(mixed.inserted.map((e) => e.event.id)).toEqual(['5', '6']);
    expect(mixed.duplicates).toBe(1);
    const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM events');
    expect(rows[0]!.n).toBe(5);
    expect(committed).toEqual(['1', '2', '3', '5', '6']);
    const staged = await db.query<{ n: number }>('SELECT count(*) AS n FROM events_incoming');
    expect(staged[0]!.n).toBe(0);
  });

  it('keeps extra fields in the stored body', async () => {
    const store = new EventStore(db);
    await store.store([{ event: { ...ev('x').event, vendor: { a: 1 } } as StoredEvent['event'], atMs: 5 }]);
    const rows = await db.query<{ body: string; at_ms: number }>("SELECT body, at_ms FROM events WHERE id = 'x'");
    expect(JSON.parse(rows[0]!.body).vendor).toEqual({ a: 1 });
    expect(rows[0]!.at_ms).toBe(5);
  });

  it('fills the columns KPI queries read, in both the fast path and the fallback', async () => {
    const store = new EventStore(db);
    const left = (id: string) =>
      ({
        event: { id, type: 'queue.left', at: 7, contactId: 'k', queue: 'q', outcome: 'abandoned' },
        atMs: 7,
      }) as StoredEvent;
    await store.store([left('col-1')]);
    await store.store([left('col-1'), left('col-2')]); // a stored id: looked up, the other appended
    const rows = await db.query<{ id: string; outcome: string; channel: string | null }>(
      "SELECT id, outcome, channel FROM events WHERE id LIKE 'col-%' ORDER BY id",
    );
    expect(rows).toEqual([
      { id: 'col-1', outcome: 'abandoned', channel: null },
      { id: 'col-2', outcome: 'abandoned', channel: null },
    ]);
  });

  it('stores an extra field named like a column but not a string, leaving the column empty', async () => {
    // Found by the ingest fuzz: `agentId: false` on a survey (not a field of that type, so the contract
    // lets it through) failed the whole group commit, every producer in it got 503, and so on every resend.
    const store = new EventStore(db);
    const odd = {
      event: { id: 'odd', type: 'survey.completed', at: 9, contactId: 'k', agentId: false, queue: { q: 1 } },
      atMs: 9,
    } as unknown as StoredEvent;
    const other = {
      event: { id: 'odd2', type: 'agent.state', at: 9, agentId: 'a', state: 'break', contactId: 7 },
      atMs: 9,
    } as unknown as StoredEvent;
    const [a, b] = await Promise.all([store.store([odd]), store.store([ev('fine')])]);
    expect(a.inserted).toHaveLength(1);
    expect(b.inserted).toHaveLength(1);
    expect((await store.store([other])).inserted).toHaveLength(1);
    const rows = await db.query<{
      id: string;
      agent_id: string | null;
      queue: string | null;
      contact_id: string | null;
    }>("SELECT id, agent_id, queue, contact_id FROM events WHERE id LIKE 'odd%' ORDER BY id");
    expect(rows).toEqual([
      { id: 'odd', agent_id: null, queue: null, contact_id: 'k' },
      { id: 'odd2', agent_id: 'a', queue: null, contact_id: null },
    ]);
    expect(
      JSON.parse((await db.query<{ body: string }>("SELECT body FROM events WHERE id = 'odd'"))[0]!.body),
    ).toMatchObject({
      agentId: false,
    });
  });

  it('finds stored ids after a restart, also one sent again with another time', async () => {
    await new EventStore(db).store([ev('r1', 1000), ev('r2', 2000), ev('r3', 3000)]);
    const store = new EventStore(db);
    await store.recover();
    const again = await store.store([ev('r1', 1000), ev('r4', 4000)]);
    expect(again.inserted.map((e) => e.event.id)).toEqual(['r4']);
    expect(again.duplicates).toBe(1);
    // Not among the events of its (new) time: found in the whole table.
    const retimed = await store.store([ev('r2', 9_000_000), ev('r5', 9_000_001)]);
    expect(retimed.inserted.map((e) => e.event.id)).toEqual(['r5']);
    expect(retimed.duplicates).toBe(1);
    const rows = await db.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT id) AS d FROM events');
    expect(rows[0]).toEqual({ n: 5, d: 5 });
  });

  it('after a commit reported failed, checks the next batch against what the table holds', async () => {
    // A commit can fail after its write (a disk failing as DuckDB finishes it): what it wrote must still
    // count as stored, so the fingerprints are loaded again rather than trusted.
    let failNext = false;
    const flaky: Database = {
      ...db,
      write: async (fn) => {
        const result = await db.write(fn);
        if (failNext) {
          failNext = false;
          throw new Error('IO Error: the commit could not be confirmed');
        }
        return result;
      },
    };
    const committed: string[] = [];
    const store = new EventStore(flaky, { onCommitted: (es) => committed.push(...es.map((e) => e.event.id)) });
    await store.store([ev('f1')]);
    failNext = true;
    await expect(store.store([ev('f2')])).rejects.toThrow('could not be confirmed');
    const resend = await store.store([ev('f2'), ev('f3')]);
    expect(resend.inserted.map((e) => e.event.id)).toEqual(['f3']);
    expect(resend.duplicates).toBe(1);
    // The live state still hears of f2, once: it was stored, though its producer was refused.
    expect(committed).toEqual(['f1', 'f2', 'f3']);
  });

  it('rolls back appended rows when the transaction fails', async () => {
    await expect(
      db.write(async (tx) => {
        await tx.append(
          'events_incoming',
          ['varchar', 'varchar', 'bigint', 'bigint', ...Array<'varchar'>(10).fill('varchar')],
          [['r', 'contact.started', 1, 1, 'c', null, null, '{}', null, null, 'voice', null, null, null]],
        );
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM events_incoming');
    expect(rows[0]!.n).toBe(0);
  });

  it('recovers rows left in the incoming table', async () => {
    await db.write((tx) =>
      tx.query(
        "INSERT INTO events_incoming (id, type, at_ms, received_ms, contact_id, agent_id, queue, body) VALUES ('r1', 'contact.started', 1, 1, 'c', NULL, NULL, '{}'), ('r1', 'contact.started', 1, 1, 'c', NULL, NULL, '{}')",
      ),
    );
    const store = new EventStore(db);
    expect(await store.recover()).toBe(1);
    const rows = await db.query<{ n: number }>('SELECT (SELECT count(*) FROM events) AS n');
    expect(rows[0]!.n).toBe(1);
  });
});
