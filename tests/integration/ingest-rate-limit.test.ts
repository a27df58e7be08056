/**
 * TANDEM_INGEST_RATE on a real server: a key past its burst gets the whole batch refused (HTTP 429 with
 * Retry-After; an error reply on /ws/ingest, the socket kept open), nothing of that batch is stored, other
 * keys go on, and /metrics counts the refused events.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ingestReplySchema, type IngestReply } from '../../server/contract/ingest.ts';
import { ingestKey, postEvents, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

/** 10 events/s with the default 4 s burst: 40 events, then the bucket is empty. */
const RATE = 10;

const events = (prefix: string, n: number) => {
  const at = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    type: 'contact.started',
    at: at + i,
    contactId: `${prefix}-c${i}`,
    channel: 'chat',
  }));
};

describe('ingest rate per key', () => {
  const db = tempDbPath();
  let server: TestServer;
  const stored = async (prefix: string) =>
    Number(
      (
        await server.tandem.db.query<{ n: bigint }>('SELECT count(*) AS n FROM events WHERE id LIKE ?', [`${prefix}-%`])
      )[0]!.n,
    );

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path, ingestRate: RATE });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('refuses a whole HTTP batch past the burst with 429, Retry-After and the limit named', async () => {
    expect((await postEvents(server, events('h1', 40))).status).toBe(202);
    // 30 over an empty bucket: only a pause of 3 s between the two posts would let it through.
    const res = await postEvents(server, events('h2', 30));
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(
      new RegExp(`^ingest key test key \\d+ is over its rate of ${RATE} events/s; retry after ${retryAfter} s$`),
    );
    expect(await stored('h1')).toBe(40);
    expect(await stored('h2')).toBe(0);

    // Another key has a bucket of its own.
    const other = await ingestKey(server.tandem);
    expect((await postEvents({ url: server.url, key: other }, events('h3', 20))).status).toBe(202);
    expect(await stored('h3')).toBe(20);
  });

  it('refuses an adapter batch the same way, with nothing of it stored', async () => {
    const key = await ingestKey(server.tandem);
    expect((await postEvents({ url: server.url, key }, events('a1', 40))).status).toBe(202);
    const sample = readFileSync(
      new URL('../fixtures/vendors/amazon-connect/contact-event-disconnected.json', import.meta.url),
      'utf8',
    );
    const res = await fetch(`${server.url}/api/ingest/amazon-connect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: sample,
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('answers an over-rate websocket batch with an error reply and keeps the socket open', async () => {
    const key = await ingestKey(server.tandem);
    const ws = new WebSocket(server.url.replace('http', 'ws') + '/ws/ingest', {
      headers: { authorization: `Bearer ${key}` },
    });
    const replies: IngestReply[] = [];
    ws.on('message', (data) => replies.push(ingestReplySchema.parse(JSON.parse(String(data)))));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ batch: 'b1', events: events('w1', 40) }));
    ws.send(JSON.stringify({ batch: 'b2', events: events('w2', 30) }));
    await expect.poll(() => replies.length).toBe(2);
    expect(replies[0]).toMatchObject({ type: 'ack', batch: 'b1', accepted: 40 });
    expect(replies[1]).toMatchObject({ type: 'error', batch: 'b2', status: 429, code: 'rate_limited' });
    const message = replies[1]!.type === 'error' ? replies[1]!.message : '';
    const wait = /is over its rate of 10 events\/s; retry after (\d+) s$/.exec(message);
    expect(wait, message).not.toBeNull();
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(await stored('w2')).toBe(0);
    // After the wait it asked for, the very same batch goes in.
    await new Promise((r) => setTimeout(r, Number(wait![1]) * 1000 + 100));
    ws.send(JSON.stringify({ batch: 'b2', events: events('w2', 30) }));
    await expect.poll(() => replies.length).toBe(3);
    expect(replies[2]).toMatchObject({ type: 'ack', batch: 'b2', accepted: 30 });
    ws.close();
  });

  it('counts the refused events as rate_limited by source', async () => {
    const text = await (await server.get('/metrics')).text();
    const line = (series: string) => text.split('\n').find((l) => l.startsWith(`${series} `));
    expect(line('tandem_ingest_events_total{via="http",outcome="rate_limited"}')).toBe(
      'tandem_ingest_events_total{via="http",outcome="rate_limited"} 30',
    );
    expect(line('tandem_ingest_events_total{via="websocket",outcome="rate_limited"}')).toBe(
      'tandem_ingest_events_total{via="websocket",outcome="rate_limited"} 30',
    );
    expect(line('tandem_ingest_events_total{via="amazon-connect",outcome="rate_limited"}')).toMatch(/ [1-9]\d*$/);
  });
});
