/** Access on the live paths, on a real port: websocket handshakes, revocation, scoped views, scoped keys. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_CLOSE_REVOKED } from '../../server/contract/auth.ts';
import type { LiveSnapshot } from '../../server/contract/live.ts';
import { ingestKey, postEvents, signedIn, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const ORIGIN = () => server.url;
let server: TestServer;
const test = { actor: { kind: 'test', id: null, name: 'test' } };

const inbox = new WeakMap<WebSocket, unknown[]>();

function handshake(path: string, headers: Record<string, string>): Promise<{ status: number; ws: WebSocket | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(server.url.replace('http', 'ws') + path, { headers });
    // Collect from the start: the server's first message can arrive in the same tick as 'open'.
    const messages: unknown[] = [];
    inbox.set(ws, messages);
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, ws: null }));
  });
}

async function firstSnapshot(ws: WebSocket): Promise<LiveSnapshot> {
  for (let i = 0; i < 100; i++) {
    const found = inbox.get(ws)!.find((m) => (m as { type: string }).type === 'snapshot');
    if (found) return (found as { snapshot: LiveSnapshot }).snapshot;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no snapshot within 5 s');
}

const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('live access on a real port', () => {
  const db = tempDbPath();
  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
    const at = Date.now() - 60_000;
    const res = await postEvents(server, [
      { id: 's1', type: 'agent.state', at, agentId: 'ana', state: 'available', team: 'north', queues: ['sales'] },
      { id: 's2', type: 'agent.state', at, agentId: 'bo', state: 'available', team: 'south', queues: ['billing'] },
      { id: 's3', type: 'contact.started', at, contactId: 'c1', channel: 'voice' },
      { id: 's4', type: 'queue.entered', at, contactId: 'c1', queue: 'sales' },
      { id: 's5', type: 'contact.started', at, contactId: 'c2', channel: 'chat' },
      { id: 's6', type: 'queue.entered', at, contactId: 'c2', queue: 'billing' },
      { id: 's7', type: 'contact.started', at, contactId: 'c3', channel: 'chat' },
      { id: 's8', type: 'queue.entered', at, contactId: 'c3', queue: 'billing' },
    ]);
    expect(res.status).toBe(202);
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('refuses a websocket handshake without credentials, or from another origin', async () => {
    expect((await handshake('/ws/live', { origin: ORIGIN() })).status).toBe(401);
    expect((await handshake('/ws/ingest', {})).status).toBe(401);
    expect((await handshake('/ws/live', { cookie: server.adminCookie, origin: 'https://evil.example' })).status).toBe(
      403,
    );
    const ok = await handshake('/ws/live', { cookie: server.adminCookie, origin: ORIGIN() });
    expect(ok.status).toBe(101);
    ok.ws!.close();
  });

  it('shows a scoped supervisor only their queues and agents, over HTTP and the websocket', async () => {
    const { cookie } = await signedIn(server.tandem, ['supervisor'], { scopeQueues: ['sales'] });
    const live = (await (await fetch(`${server.url}/api/live`, { headers: { cookie } })).json()) as LiveSnapshot;
    expect(live.queues.map((q) => q.queue)).toEqual(['sales']);
    expect(live.agents.map((a) => a.agentId)).toEqual(['ana']);
    expect(live.today.offered).toBe(1);
    expect(live.bySource.direct.offered + live.bySource.escalated.offered).toBe(1);
    expect(live.slSeries.reduce((n, p) => n + p.offered, 0)).toBe(1);
    const { ws } = await handshake('/ws/live', { cookie, origin: ORIGIN() });
    const snap = await firstSnapshot(ws!);
    expect(snap.queues.map((q) => q.queue)).toEqual(['sales']);
    expect(JSON.stringify(snap)).not.toContain('billing');
    ws!.close();

    const byTeam = await signedIn(server.tandem, ['supervisor'], { scopeTeams: ['south'] });
    const south = (await (
      await fetch(`${server.url}/api/live`, { headers: { cookie: byTeam.cookie } })
    ).json()) as LiveSnapshot;
    expect(south.queues.map((q) => q.queue)).toEqual(['billing']);
    expect(south.today.offered).toBe(2);

    const kpis = await fetch(`${server.url}/api/kpis?queue=billing`, { headers: { cookie } });
    expect(kpis.status).toBe(403);
    const mine = await (await fetch(`${server.url}/api/kpis`, { headers: { cookie } })).json();
    expect(mine.filter.queues).toEqual(['sales']);
    expect(mine.kpis.offered).toBe(1);
    // Unscoped admins see everything.
    const all = (await (await server.get('/api/live')).json()) as LiveSnapshot;
    expect(all.queues.map((q) => q.queue)).toEqual(['billing', 'sales']);
  });

  it('closes a display screen when its link is revoked, and refuses it afterwards', async () => {
    const { token, display } = await server.tandem.admin.createDisplay(test, {
      name: 'Floor 2',
      board: 'overview',
      scopeQueues: [],
    });
    const page = await fetch(`${server.url}/d/${token}`, { redirect: 'manual' });
    const cookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('tandem_display='))!
      .split(';')[0]!;
    expect(cookie).toBe(`tandem_display=${token}`);
    const { status, ws } = await handshake('/ws/live?as=display', { cookie, origin: ORIGIN() });
    expect(status).toBe(101);
    await firstSnapshot(ws!);
    const closed = closeCode(ws!);
    await server.tandem.admin.revokeDisplay(test, display.id);
    expect(await closed).toBe(WS_CLOSE_REVOKED);
    expect((await handshake('/ws/live?as=display', { cookie, origin: ORIGIN() })).status).toBe(401);
    const state = await (await fetch(`${server.url}/api/display`, { headers: { cookie } })).json();
    expect(state).toEqual({ status: 'revoked' });
  });

  it('closes live sockets of a user who signs out everywhere', async () => {
    const u = await signedIn(server.tandem, ['supervisor']);
    const { ws } = await handshake('/ws/live', { cookie: u.cookie, origin: ORIGIN() });
    await firstSnapshot(ws!);
    const closed = closeCode(ws!);
    const res = await fetch(`${server.url}/api/auth/logout-everywhere`, {
      method: 'POST',
      headers: { cookie: u.cookie, origin: ORIGIN() },
    });
    expect(res.status).toBe(200);
    expect(await closed).toBe(WS_CLOSE_REVOKED);
  });

  it('keeps a scoped ingest key to its queues, and closes its stream when revoked', async () => {
    const key = await ingestKey(server.tandem, { scopeQueues: ['sales'] });
    const at = Date.now() - 30_000;
    const res = await postEvents({ url: server.url, key }, [
      { id: 'k1', type: 'queue.entered', at, contactId: 'kc', queue: 'sales' },
      { id: 'k2', type: 'queue.entered', at, contactId: 'kc2', queue: 'billing' },
      { id: 'k3', type: 'contact.started', at, contactId: 'kc3', channel: 'email' },
    ]);
    const ack = await res.json();
    expect(ack, JSON.stringify(ack)).toMatchObject({ accepted: 2 });
    expect(ack.rejected).toEqual([
      { index: 1, id: 'k2', errors: [{ path: 'queue', message: 'this ingest key only sends queues: sales' }] },
    ]);
    const { ws } = await handshake('/ws/ingest', { authorization: `Bearer ${key}` });
    const closed = closeCode(ws!);
    const id = (await server.tandem.auth.keys.list()).find((k) => key.startsWith(k.prefix))!.id;
    await server.tandem.admin.revokeKey(test, id);
    expect(await closed).toBe(WS_CLOSE_REVOKED);
    const after = await postEvents({ url: server.url, key }, []);
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe('revoked_key');
    const used = (await server.tandem.auth.keys.list()).find((k) => k.id === id)!;
    expect(used.lastUsedAt).not.toBeNull();
  });
});
