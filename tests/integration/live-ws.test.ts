/** The real server on a real port: /ws/live pushes a snapshot then deltas; /ws/ingest acknowledges. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { applyDelta, serverMessageSchema, type LiveSnapshot, type ServerMessage } from '../../server/contract/live.ts';
import { ingestReplySchema } from '../../server/contract/ingest.ts';
import type { TestServer } from '../helpers/server.ts';
import { postEvents, startTestServer, tempDbPath } from '../helpers/server.ts';

/** Collects parsed messages from a socket and lets a test wait for one that matches. */
function listen(ws: WebSocket) {
  const messages: ServerMessage[] = [];
  const waiters: { match: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const msg = serverMessageSchema.parse(JSON.parse(String(data)));
    messages.push(msg);
    for (const w of [...waiters])
      if (w.match(msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(msg);
      }
  });
  return {
    messages,
    next(match: (m: ServerMessage) => boolean, timeoutMs = 5000): Promise<ServerMessage> {
      const found = messages.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
        waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

describe('websockets on a real port', () => {
  let server: TestServer;
  const db = tempDbPath();
  const wsUrl = (path: string) => server.url.replace('http', 'ws') + path;

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('sends a snapshot on connect and deltas after events, in sequence', async () => {
    const ws = new WebSocket(wsUrl('/ws/live'), { headers: { cookie: server.adminCookie, origin: server.url } });
    const inbox = listen(ws);
    const first = await inbox.next((m) => m.type === 'snapshot');
    if (first.type !== 'snapshot') throw new Error('expected snapshot');
    let state: LiveSnapshot = first.snapshot;
    expect(state.queues).toEqual([]);

    const at = Date.now() - 5_000;
    const sent = Date.now();
    const res = await postEvents(server, [
      { id: 'w1', type: 'contact.started', at, contactId: 'wc1', channel: 'chat' },
      { id: 'w2', type: 'queue.entered', at, contactId: 'wc1', queue: 'sales' },
    ]);
    expect(res.status).toBe(202);
    const delta = await inbox.next((m) => m.type === 'delta' && !!m.queues);
    // Pushed within a fraction of a second of the acknowledgement (coalesced at 100 ms).
    expect(Date.now() - sent).toBeLessThan(1000);
    if (delta.type !== 'delta') throw new Error('expected delta');
    expect(delta.seq).toBe(first.seq + 1);
    state = applyDelta(state, delta);
    const sales = state.queues.find((q) => q.queue === 'sales');
    expect(sales).toMatchObject({ waiting: 1, oldestEnteredAt: at, offered: 1 });
    expect(state.today.contacts).toBe(1);
    ws.close();
  });

  it('answers a resync request with a full snapshot and rejects unknown messages', async () => {
    const ws = new WebSocket(wsUrl('/ws/live'), { headers: { cookie: server.adminCookie, origin: server.url } });
    const inbox = listen(ws);
    await inbox.next((m) => m.type === 'snapshot');
    ws.send('{"type":"dance"}');
    await inbox.next((m) => m.type === 'error');
    ws.send(JSON.stringify({ type: 'resync' }));
    await postEvents(server, [{ id: 'w3', type: 'contact.started', at: Date.now(), contactId: 'wc2', channel: 'app' }]);
    const snaps = () => inbox.messages.filter((m) => m.type === 'snapshot').length;
    await inbox.next(() => snaps() >= 2);
    ws.close();
  });

  it('acknowledges websocket ingest batches in order, with the batch id', async () => {
    const ws = new WebSocket(wsUrl('/ws/ingest'), { headers: { authorization: `Bearer ${server.key}` } });
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    const done = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        replies.push(ingestReplySchema.parse(JSON.parse(String(d))));
        if (replies.length === 3) resolve();
      }),
    );
    ws.send(
      JSON.stringify({
        batch: 'b1',
        events: [{ id: 'i1', type: 'contact.started', at: Date.now(), contactId: 'ic', channel: 'voice' }],
      }),
    );
    ws.send('{ not json');
    ws.send(
      JSON.stringify([
        { id: 'i1', type: 'contact.started', at: Date.now(), contactId: 'ic', channel: 'voice' },
        { id: 'i2' },
      ]),
    );
    await done;
    expect(replies[0]).toEqual({ type: 'ack', batch: 'b1', accepted: 1, duplicates: 0, rejected: [] });
    expect(replies[1]).toMatchObject({ type: 'error', status: 400 });
    expect(replies[2]).toMatchObject({ type: 'ack', accepted: 0, duplicates: 1, rejected: [{ index: 1, id: 'i2' }] });
    ws.close();
  });
});

describe('websocket ingest back-pressure', () => {
  it('acknowledges every batch of a producer that floods faster than commits', async () => {
    const db = tempDbPath();
    const server = await startTestServer({ dbPath: db.path });
    try {
      const ws = new WebSocket(server.url.replace('http', 'ws') + '/ws/ingest', {
        headers: { authorization: `Bearer ${server.key}` },
      });
      await new Promise((r) => ws.once('open', r));
      const batches = 40;
      const acks: { accepted: number }[] = [];
      const done = new Promise<void>((resolve) =>
        ws.on('message', (d) => {
          acks.push(JSON.parse(String(d)));
          if (acks.length === batches) resolve();
        }),
      );
      const at = Date.now() - 60_000;
      for (let b = 0; b < batches; b++) {
        const events = Array.from({ length: 500 }, (_, i) => ({
          id: `flood-${b}-${i}`,
          type: 'contact.started',
          at,
          contactId: `fc-${b}-${i}`,
          channel: 'chat',
        }));
        ws.send(JSON.stringify({ batch: `b${b}`, events }));
      }
      await done;
      expect(acks.reduce((n, a) => n + a.accepted, 0)).toBe(batches * 500);
      ws.close();
    } finally {
      await server.close();
      db.cleanup();
    }
  });
});
