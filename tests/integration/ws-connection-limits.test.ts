/** Connection limits on /ws/live and /ws/ingest over a real port: 429 with the limit named, slots freed on close. */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ingestKey, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

type Outcome = { open: true; ws: WebSocket } | { open: false; status: number; body: unknown };

/** Opens a websocket, or reports the HTTP answer that refused it. */
function connect(url: string, headers: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ open: false, status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    ws.once('error', reject);
  });
}

async function opened(p: Promise<Outcome>): Promise<WebSocket> {
  const o = await p;
  if (!o.open) throw new Error(`refused with ${o.status}: ${JSON.stringify(o.body)}`);
  return o.ws;
}

function closed(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    ws.once('close', () => resolve());
    ws.close();
  });
}

async function metric(server: TestServer, line: string): Promise<number> {
  const text = await (await server.get('/metrics')).text();
  const found = text.split('\n').find((l) => l.startsWith(line + ' '));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

describe('websocket connection limits per principal', () => {
  let server: TestServer;
  const db = tempDbPath();
  const wsUrl = (path: string) => server.url.replace('http', 'ws') + path;

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path, wsMaxPerIp: 100, wsMaxPerPrincipal: 3 });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('refuses a fourth /ws/live for one session with 429 naming the limit, and frees the slot on close', async () => {
    const headers = { cookie: server.adminCookie, origin: server.url };
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await opened(connect(wsUrl('/ws/live'), headers)));
    const refused = await connect(wsUrl('/ws/live'), headers);
    expect(refused).toMatchObject({
      open: false,
      status: 429,
      body: {
        error: {
          code: 'too_many_connections',
          details: [{ path: 'TANDEM_WS_MAX_PER_PRINCIPAL', message: 'at most 3 open websockets' }],
        },
      },
    });
    expect(await metric(server, 'tandem_ws_connections_refused_total{socket="live",reason="per_principal"}')).toBe(1);
    // The server keeps serving the sockets it has.
    expect(server.tandem.hub.clientCount).toBe(3);

    await closed(sockets.pop()!);
    // The slot is given back when the server sees the TCP socket close, a moment after the close frame.
    let again: Outcome | null = null;
    for (let attempt = 0; attempt < 50 && !again?.open; attempt++) {
      again = await connect(wsUrl('/ws/live'), headers);
      if (!again.open) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again?.open).toBe(true);
    if (again?.open) sockets.push(again.ws);
    await Promise.all(sockets.map(closed));
  });

  it('counts each ingest key on its own on /ws/ingest', async () => {
    const keyA = await ingestKey(server.tandem);
    const keyB = await ingestKey(server.tandem);
    const a = { authorization: `Bearer ${keyA}` };
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await opened(connect(wsUrl('/ws/ingest'), a)));
    expect(await connect(wsUrl('/ws/ingest'), a)).toMatchObject({
      open: false,
      status: 429,
      body: { error: { code: 'too_many_connections', details: [{ path: 'TANDEM_WS_MAX_PER_PRINCIPAL' }] } },
    });
    sockets.push(await opened(connect(wsUrl('/ws/ingest'), { authorization: `Bearer ${keyB}` })));
    expect(await metric(server, 'tandem_ws_connections_refused_total{socket="ingest",reason="per_principal"}')).toBe(1);
    await Promise.all(sockets.map(closed));
  });

  it('counts a display link across every screen that shows it', async () => {
    const actor = { actor: { kind: 'test', id: null, name: 'test' } };
    const link = (name: string) =>
      server.tandem.admin.createDisplay(actor, { name, board: 'overview', scopeQueues: [] });
    const [one, two] = await Promise.all([link('Floor 1'), link('Floor 2')]);
    const screen = (token: string) => ({ cookie: `tandem_display=${token}`, origin: server.url });
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await opened(connect(wsUrl('/ws/live?as=display'), screen(one.token))));
    expect(await connect(wsUrl('/ws/live?as=display'), screen(one.token))).toMatchObject({
      open: false,
      status: 429,
      body: { error: { details: [{ path: 'TANDEM_WS_MAX_PER_PRINCIPAL' }] } },
    });
    sockets.push(await opened(connect(wsUrl('/ws/live?as=display'), screen(two.token))));
    await Promise.all(sockets.map(closed));
  });

  it('leaves handshakes that fail for other reasons uncounted', async () => {
    // Refused by the origin check before any slot is taken: three good sockets still fit afterwards.
    for (let i = 0; i < 5; i++) {
      const o = await connect(wsUrl('/ws/live'), { cookie: server.adminCookie, origin: 'https://evil.example' });
      expect(o).toMatchObject({ open: false, status: 403 });
    }
    const headers = { cookie: server.adminCookie, origin: server.url };
    const sockets = [];
    for (let i = 0; i < 3; i++) sockets.push(await opened(connect(wsUrl('/ws/live'), headers)));
    await Promise.all(sockets.map(closed));
  });
});

describe('websocket connection limits per client address', () => {
  let server: TestServer;
  const db = tempDbPath();
  const wsUrl = (path: string) => server.url.replace('http', 'ws') + path;

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path, wsMaxPerIp: 3, wsMaxPerPrincipal: 100, trustProxy: true });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('counts both websockets of one address together and answers 429 past the limit', async () => {
    const from = { 'x-forwarded-for': '203.0.113.7' };
    const sockets = [
      await opened(connect(wsUrl('/ws/live'), { ...from, cookie: server.adminCookie, origin: server.url })),
      await opened(connect(wsUrl('/ws/ingest'), { ...from, authorization: `Bearer ${server.key}` })),
      await opened(
        connect(wsUrl('/ws/ingest'), { ...from, authorization: `Bearer ${await ingestKey(server.tandem)}` }),
      ),
    ];
    const refused = await connect(wsUrl('/ws/ingest'), {
      ...from,
      authorization: `Bearer ${await ingestKey(server.tandem)}`,
    });
    expect(refused).toMatchObject({
      open: false,
      status: 429,
      body: {
        error: {
          code: 'too_many_connections',
          message: expect.stringContaining('limit is 3'),
          details: [{ path: 'TANDEM_WS_MAX_PER_IP', message: 'at most 3 open websockets' }],
        },
      },
    });
    // Behind a trusted proxy the forwarded address is the client: another one has its own count.
    sockets.push(
      await opened(
        connect(wsUrl('/ws/ingest'), { 'x-forwarded-for': '203.0.113.8', authorization: `Bearer ${server.key}` }),
      ),
    );
    expect(await metric(server, 'tandem_ws_connections_refused_total{socket="ingest",reason="per_ip"}')).toBe(1);

    await closed(sockets[0]!);
    let again: Outcome | null = null;
    for (let attempt = 0; attempt < 50 && !again?.open; attempt++) {
      again = await connect(wsUrl('/ws/ingest'), { ...from, authorization: `Bearer ${server.key}` });
      if (!again.open) await new Promise((r) => setTimeout(r, 20));
    }
    expect(again?.open).toBe(true);
    if (again?.open) sockets.push(again.ws);
    await Promise.all(sockets.slice(1).map(closed));
  });
});
