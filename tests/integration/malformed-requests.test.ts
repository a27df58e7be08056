/**
 * Nothing a client sends takes the server down: broken percent-encoding in paths, bodies that are not
 * what they claim, query values of the wrong type, binary or garbage websocket messages. Each gets an
 * answer (or a closed socket) and the server keeps serving.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

/** A raw request, so the path reaches the server exactly as written. */
function raw(server: TestServer, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const { port } = new URL(server.url);
  return new Promise<number>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(-1));
    req.end(body);
  });
}

describe('malformed requests and messages', () => {
  const db = tempDbPath();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('answers broken paths, bodies and queries without falling over', async () => {
    const key = { authorization: `Bearer ${server.key}` };
    const admin = { cookie: server.adminCookie, origin: server.url };
    const probes: [string, string, Record<string, string>, string?][] = [
      ['GET', '/%E0%A4%A', {}],
      ['GET', '/api/%', {}],
      ['GET', '/d/%ff%fe', {}],
      ['GET', '/_app/%', {}],
      ['GET', '/api/qa/contacts/%c0%80', admin],
      ['GET', '/api/kpis?from=abc&to=%', admin],
      ['POST', '/api/events', { ...key, 'content-type': 'application/json' }, '{"id": '],
      ['POST', '/api/events', { ...key, 'content-type': 'application/x-ndjson' }, '\u0000\u0001\n{}\n['],
      ['POST', '/api/events', { ...key, 'content-type': 'text/plain' }, 'hello'],
      ['POST', '/api/ingest/amazon-connect', { ...key, 'content-type': 'application/json' }, '[1, "x", null]'],
      ['PUT', '/api/settings/kpis', { ...admin, 'content-type': 'application/json' }, '{"settings": [}'],
      ['POST', '/api/auth/login', { origin: server.url, 'content-type': 'application/json' }, 'null'],
    ];
    for (const [method, path, headers, body] of probes) {
      const status = await raw(server, method, path, headers, body);
      expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(200);
      expect(status, `${method} ${path}`).toBeLessThan(500);
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('survives garbage on the websockets', async () => {
    for (const [path, headers] of [
      ['/ws/live', { cookie: server.adminCookie, origin: server.url }],
      ['/ws/ingest', { authorization: `Bearer ${server.key}` }],
    ] as const) {
      const ws = new WebSocket(server.url.replace('http', 'ws') + path, { headers });
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      ws.send(Buffer.from([0xff, 0x00, 0xfe]));
      ws.send('{"type": ');
      ws.send('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]');
      ws.send(JSON.stringify({ type: 'resync', extra: { deep: [1, 2, 3] } }));
      await new Promise((r) => setTimeout(r, 200));
      ws.terminate();
    }
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
