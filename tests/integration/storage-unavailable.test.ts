/**
 * A disk that fills up (or a database file that turns read-only) while the server runs: ingest answers
 * 503 `storage_unavailable` with the reason, over HTTP and the websocket, acknowledges nothing and
 * stores nothing; reads go on; once writes work again the same batches are taken, each event once.
 * The failure is put in front of the real database (config.wrapDatabase): every write transaction
 * does its work and then fails as DuckDB does when the disk is full, so the rollback is exercised too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Database } from '../../server/db/duckdb.ts';
import { postEvents, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const DISK_FULL = 'IO Error: Could not write file "/var/lib/tandem/tandem.duckdb.wal": No space left on device';

let failing = false;
function diskThatFills(db: Database): Database {
  return {
    ...db,
    write: (fn) =>
      db.write(async (tx) => {
        const result = await fn(tx);
        if (failing) throw new Error(DISK_FULL);
        return result;
      }),
  };
}

const at = Date.UTC(2026, 0, 5, 9);
const batch = (prefix: string) => [
  { id: `${prefix}-1`, type: 'contact.started', at, contactId: `${prefix}-c`, channel: 'chat' },
  { id: `${prefix}-2`, type: 'queue.entered', at: at + 1000, contactId: `${prefix}-c`, queue: 'billing' },
];

/** Sends one websocket message and waits for its reply. */
async function overWebsocket(server: TestServer, message: unknown): Promise<Record<string, unknown>> {
  const ws = new WebSocket(server.url.replace('http', 'ws') + '/ws/ingest', {
    headers: { authorization: `Bearer ${server.key}` },
  });
  try {
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const reply = new Promise<Record<string, unknown>>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(String(d)) as Record<string, unknown>)),
    );
    ws.send(JSON.stringify(message));
    return await reply;
  } finally {
    ws.close();
  }
}

describe('storage unavailable', () => {
  const db = tempDbPath();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path, wrapDatabase: diskThatFills });
  });
  afterAll(async () => {
    failing = false;
    await server.close();
    db.cleanup();
  });

  const stored = async () =>
    (await server.tandem.db.query<{ id: string }>('SELECT id FROM events ORDER BY id')).map((r) => r.id);

  it('answers 503 with the reason, stores nothing, keeps serving reads, and takes the batch once after', async () => {
    expect((await postEvents(server, batch('before'))).status).toBe(202);
    failing = true;

    const res = await postEvents(server, batch('full'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { code: 'storage_unavailable', message: 'the event store cannot write: the disk is full' },
    });
    // The producer learns the kind of failure, never this server's paths.
    const ws = await overWebsocket(server, { batch: 'w1', events: batch('wsfull') });
    expect(ws).toEqual({
      type: 'error',
      batch: 'w1',
      status: 503,
      code: 'storage_unavailable',
      message: 'the event store cannot write: the disk is full',
    });
    expect(await stored()).toEqual(['before-1', 'before-2']);
    const staged = await server.tandem.db.query<{ n: number }>('SELECT count(*) AS n FROM events_incoming');
    expect(staged[0]!.n).toBe(0);

    // Reads go on: live state, KPIs, and a health check that says why ingest is down.
    expect((await server.get('/api/live')).status).toBe(200);
    const kpis = await server.get(`/api/kpis?from=${at - 3_600_000}&to=${at + 3_600_000}`);
    // The facts may not have caught up with the first batch before the disk filled; they answer as they stand.
    expect(kpis.status).toBe(200);
    expect((await kpis.json()).kpis.contacts).toBeLessThanOrEqual(1);
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect((await health.json()).degraded).toContainEqual({ part: 'database', reason: 'the database refused a write' });

    failing = false;
    const again = await postEvents(server, batch('full'));
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await overWebsocket(server, { batch: 'w1', events: batch('wsfull') })).toMatchObject({
      type: 'ack',
      batch: 'w1',
      accepted: 2,
      duplicates: 0,
    });
    // Sent once more (a producer that missed the ack): nothing is stored twice.
    expect(await (await postEvents(server, batch('full'))).json()).toEqual({
      accepted: 0,
      duplicates: 2,
      rejected: [],
    });
    expect(await stored()).toEqual(['before-1', 'before-2', 'full-1', 'full-2', 'wsfull-1', 'wsfull-2']);
    const live = await (await server.get('/api/kpis?from=' + (at - 3_600_000) + '&to=' + (at + 3_600_000))).json();
    expect(live.kpis.contacts).toBe(3);
  });
});
