/**
 * A wallboard that stops reading, over a real port: the server keeps at most about the soft limit
 * buffered for it (latest state wins, no queue), skips it while it is blocked, then drops it; the
 * other wallboards keep getting their deltas throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { postEvents, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const SOFT_LIMIT = 64 * 1024;
const BLOCKED_MS = 1500;
const AGENTS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a live client that never reads', () => {
  let server: TestServer;
  const db = tempDbPath();
  const wsUrl = () => server.url.replace('http', 'ws') + '/ws/live';
  const open = (ws: WebSocket) => new Promise((r) => ws.once('open', r));

  beforeAll(async () => {
    server = await startTestServer({
      dbPath: db.path,
      liveHub: { softLimitBytes: SOFT_LIMIT, blockedTimeoutMs: BLOCKED_MS },
    });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('is skipped, then disconnected, with bounded server buffers, while other clients keep up', async () => {
    // Many agents make a large snapshot, so a few ticks fill the kernel's socket buffers.
    const at = Date.now() - 1000;
    const roster = Array.from({ length: AGENTS }, (_, i) => ({
      id: `slow-a${i}`,
      type: 'agent.state',
      at,
      agentId: `agent-${i}`,
      state: 'available',
      name: `Agent number ${i} with a long enough name`,
      team: `team-${i % 40}`,
    }));
    expect((await postEvents(server, roster)).status).toBe(202);

    const headers = { cookie: server.adminCookie, origin: server.url };
    const healthy = new WebSocket(wsUrl(), { headers });
    const healthyReasons: string[] = [];
    healthy.on('message', (d) => {
      for (const m of String(d).matchAll(/"reason":"(mark-\d+)"/g)) healthyReasons.push(m[1]!);
    });
    const slow = new WebSocket(wsUrl(), { headers });
    let snapshotBytes = 0;
    slow.once('message', (d: Buffer) => (snapshotBytes = d.length));
    await Promise.all([open(healthy), open(slow)]);
    while (snapshotBytes === 0) await sleep(10);
    expect(snapshotBytes).toBeGreaterThan(SOFT_LIMIT);
    // From here on the slow client reads nothing, but keeps asking for full snapshots.
    slow.pause();

    let maxBuffered = 0;
    let n = 0;
    const deadline = Date.now() + 20_000;
    while (server.tandem.hub.stats.slowDisconnects === 0 && Date.now() < deadline) {
      if (slow.readyState === WebSocket.OPEN) slow.send('{"type":"resync"}');
      // A change every tick: the healthy client must see each one.
      await postEvents(server, [
        {
          id: `mark-e${n}`,
          type: 'agent.state',
          at: Date.now(),
          agentId: 'agent-0',
          state: 'break',
          reason: `mark-${n}`,
        },
      ]);
      n++;
      maxBuffered = Math.max(maxBuffered, server.tandem.hub.bufferedBytes);
      await sleep(50);
    }
    const stats = server.tandem.hub.stats;
    expect(stats.slowDisconnects).toBe(1);
    expect(stats.updatesSkipped).toBeGreaterThan(0);
    expect(server.tandem.hub.clientCount).toBe(1);
    // Never more than the soft limit plus the message that crossed it, per client (two here).
    expect(maxBuffered).toBeLessThanOrEqual(SOFT_LIMIT + 2 * snapshotBytes);

    // The healthy client saw the latest marker, promptly, and kept its connection.
    const last = `mark-${n - 1}`;
    for (let i = 0; i < 50 && !healthyReasons.includes(last); i++) await sleep(20);
    expect(healthyReasons).toContain(last);
    expect(healthy.readyState).toBe(WebSocket.OPEN);

    const metrics = await (await server.get('/metrics')).text();
    expect(metrics).toMatch(/^tandem_live_clients_disconnected_slow_total 1$/m);
    expect(metrics).toMatch(/^tandem_live_buffered_bytes \d+$/m);
    healthy.close();
    slow.terminate();
  }, 30_000);
});
