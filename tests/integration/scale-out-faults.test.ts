/**
 * Scale-out under faults, against a NATS server of the test's own (tests/helpers/nats.ts: the machine's
 * nats-server binary on a free port, so it can be stopped): NATS going away refuses events with 503 and a reason and marks
 * the node down; NATS coming back lets the same batch through, stored once. The node's database failing
 * while it reads the stream loses nothing: it starts again from what it holds. A message on the stream
 * that is not an event is skipped and counted; a stream made again from nothing is read from its start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Hono } from 'hono';
import type { Database } from '../../server/db/duckdb.ts';
import { createApp } from '../../server/http/app.ts';
import type { AppEnv } from '../../server/http/env.ts';
import type { Config } from '../../server/config.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';
import { OwnNatsServer } from '../helpers/nats.ts';

const at = Date.now() - 60_000;
const batch = (prefix: string, n = 2) =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: 'contact.started',
    at: at + i,
    contactId: `${prefix}-c${i}`,
    channel: 'chat',
  }));

let failingWrites = false;
function flakyDisk(db: Database): Database {
  return {
    ...db,
    write: (fn) =>
      db.write(async (tx) => {
        const result = await fn(tx);
        if (failingWrites) throw new Error('IO Error: Could not write file "x.wal": No space left on device');
        return result;
      }),
  };
}

describe('a scale-out node under faults', () => {
  let nats: OwnNatsServer;
  let tandem: Tandem;
  let app: Hono<AppEnv>;
  let key: string;
  let admin: string;
  const db = tempDbPath();
  const STREAM = 'FAULTS';

  const send = (events: unknown[]) =>
    app.request('/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(events),
    });
  const stored = async (prefix: string) =>
    (await tandem.db.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE id LIKE ?', [`${prefix}-%`]))[0]!.n;
  const streamLast = async () => {
    const nc = await connect({ servers: nats.url });
    try {
      return (await (await jetstreamManager(nc)).streams.info(STREAM)).state.last_seq;
    } finally {
      await nc.close();
    }
  };
  /** The node (again) on the same database file and stream. */
  const startNode = async (overrides: Partial<Config> = {}) => {
    tandem = await createTandem(
      testConfig({
        dbPath: db.path,
        nats: { url: nats.url, stream: STREAM, maxAgeDays: 1, duplicateWindowSeconds: 60, replicas: 1 },
        ...overrides,
      }),
    );
    app = createApp(tandem);
  };
  const caughtUp = async () => {
    const last = await streamLast();
    await expect.poll(() => tandem.cluster!.follower.state.position, { timeout: 20_000 }).toBe(last);
  };

  beforeAll(async () => {
    nats = await OwnNatsServer.create();
    await startNode({ wrapDatabase: flakyDisk });
    key = await ingestKey(tandem);
    admin = (await signedIn(tandem, ['admin'])).cookie;
  }, 30_000);

  afterAll(async () => {
    failingWrites = false;
    await tandem?.close();
    await nats?.remove();
    db.cleanup();
  });

  it('refuses events with 503 while NATS is away and takes the same batch once it is back', async () => {
    const ok = await send(batch('before'));
    expect(ok.status).toBe(202);
    await nats.stop();
    const refused = await send(batch('away'));
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({
      error: {
        code: 'storage_unavailable',
        message: expect.stringContaining('the shared event log (NATS JetStream) did not confirm the events'),
      },
    });
    const health = await app.request('/api/health', { headers: { cookie: admin } });
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({
      status: 'down',
      degraded: expect.arrayContaining([
        { part: 'eventStream', reason: 'not connected to NATS: events cannot be acknowledged' },
      ]),
    });
    await nats.start();
    await expect.poll(() => tandem.cluster!.eventLog.connected, { timeout: 10_000 }).toBe(true);
    const again = await send(batch('away'));
    expect(again.status).toBe(202);
    // Whether or not the refused publish reached the stream before the server went, it is stored once.
    expect(((await again.json()) as { accepted: number; duplicates: number }).accepted).toBeLessThanOrEqual(2);
    await caughtUp();
    expect(await stored('away')).toBe(2);
    expect(await stored('before')).toBe(2);
    expect((await app.request('/api/health', { headers: { cookie: admin } })).status).toBe(200);
  }, 60_000);

  it('loses nothing when its own database fails while it reads the stream', async () => {
    failingWrites = true;
    // Acknowledged: JetStream has them, even though this node cannot store them now.
    // Sent together: each acknowledgement waits a moment for this node to store, then goes out anyway.
    const acks = await Promise.all([0, 1, 2, 3, 4].map((i) => send(batch(`disk${i}`, 50))));
    expect(acks.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    await new Promise((r) => setTimeout(r, 600));
    expect(tandem.cluster!.follower.state.failing).not.toBeNull();
    expect(tandem.cluster!.follower.lag).toBeGreaterThan(0);
    failingWrites = false;
    await caughtUp();
    for (let i = 0; i < 5; i++) expect(await stored(`disk${i}`), `disk${i}`).toBe(50);
    expect(tandem.cluster!.follower.state.failing).toBeNull();
  }, 60_000);

  it('skips and counts a message on the stream that is not an event, and reads on', async () => {
    const nc = await connect({ servers: nats.url });
    const js = jetstream(nc);
    await js.publish(`${STREAM}.events`, 'not json at all');
    await js.publish(`${STREAM}.events`, JSON.stringify({ id: 'bad-1', type: 'contact.started' }));
    await nc.close();
    expect((await send(batch('after-bad'))).status).toBe(202);
    await caughtUp();
    expect(tandem.cluster!.follower.state.invalid).toBe(2);
    expect(await stored('bad')).toBe(0);
    expect(await stored('after-bad')).toBe(2);
    const metrics = await app.request('/metrics', { headers: { cookie: admin } });
    expect(await metrics.text()).toMatch(/^tandem_stream_invalid_messages_total 2$/m);
  }, 30_000);

  it('reads a stream made again from nothing from its start, storing nothing twice', async () => {
    const nc = await connect({ servers: nats.url });
    await (await jetstreamManager(nc)).streams.delete(STREAM);
    await nc.close();
    const before = (await tandem.db.query<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n;
    // The node's follower finds its saved position past the new stream's end and starts from 1; the
    // publish below recreates nothing by itself, so the stream is made the way a node makes it.
    await tandem.close();
    await startNode();
    expect((await send([...batch('before'), ...batch('fresh')])).status).toBe(202);
    await caughtUp();
    expect(tandem.cluster!.follower.state.position).toBe(4);
    expect(await stored('fresh')).toBe(2);
    expect((await tandem.db.query<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n).toBe(before + 2);
  }, 30_000);

  it('counts events the stream dropped before this node read them, and says so on /api/health', async () => {
    await tandem.close();
    const nc = await connect({ servers: nats.url });
    const js = jetstream(nc);
    const seqs: number[] = [];
    for (const e of batch('gone', 3)) seqs.push((await js.publish(`${STREAM}.events`, JSON.stringify(e))).seq);
    // The middle one leaves the stream while the node is down (as its age limit would drop it).
    await (await jetstreamManager(nc)).streams.deleteMessage(STREAM, seqs[1]!);
    await nc.close();
    await startNode();
    expect(tandem.cluster!.follower.state.missed).toBe(1);
    expect(await stored('gone')).toBe(2);
    const health = await app.request('/api/health', { headers: { cookie: admin } });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'degraded',
      degraded: expect.arrayContaining([
        {
          part: 'eventStream',
          reason: "1 events left the stream before this node read them: restore it from another node's backup",
        },
      ]),
    });
  }, 30_000);
});
