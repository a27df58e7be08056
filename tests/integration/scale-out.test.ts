/**
 * Scale-out on NATS JetStream (docs/scaling.md), with three real nodes (`tandem serve`, child processes,
 * each with its own DuckDB file) on loopback ports and the NATS server of the machine (or, where none
 * runs, one of the test's own: tests/helpers/nats.ts). Producers send to
 * two of the nodes, some batches to both; every node ends up with the same events, the same KPIs and the
 * same live figures. A node killed with SIGKILL misses traffic while it is down and catches up from the
 * stream when it comes back. Each run uses a stream of its own, deleted afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, type ChildProcess } from 'node:child_process';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import WebSocket from 'ws';
import type { IngestAck } from '../../server/contract/ingest.ts';
import type { TandemEvent } from '../../server/contract/events.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { openDatabase } from '../../server/db/duckdb.ts';
import { tempDbPath } from '../helpers/server.ts';
import { BIN, serveChild } from '../helpers/child-server.ts';
import { machineNats } from '../helpers/nats.ts';

const STREAM = `TANDEM_TEST_${process.pid}_${Date.now()}`;
const METRICS_TOKEN = 'scale-out-test-metrics-token-0123456789';
const PASSWORD = 'correct horse battery staple';
const HOUR = 3_600_000;
const NOW = Date.now();
const FROM = Math.floor((NOW - 3 * HOUR) / HOUR) * HOUR;
/** Set in beforeAll: the machine's NATS, or one of the test's own when none runs. */
let natsUrl = '';

type Node = {
  name: string;
  db: ReturnType<typeof tempDbPath>;
  key: string;
  url: string;
  cookie: string;
  child: ChildProcess | null;
  exited: Promise<number | null>;
};

function run(args: string[], dbPath: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, TANDEM_DB: dbPath, TANDEM_LOG_LEVEL: 'warn' } },
      (err, stdout, stderr) => (err ? reject(new Error(`${args.join(' ')}: ${stderr}`)) : resolve(stdout)),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

async function prepare(name: string): Promise<Node> {
  const db = tempDbPath();
  const key = (JSON.parse(await run(['key', 'add', name, '--json'], db.path)) as { secret: string }).secret;
  await run(['user', 'add', 'admin', '--role', 'admin', '--password-stdin', '--json'], db.path, PASSWORD);
  return { name, db, key, url: '', cookie: '', child: null, exited: Promise.resolve(null) };
}

async function start(node: Node): Promise<void> {
  const server = await serveChild(node.db.path, {
    TANDEM_TZ: 'UTC',
    TANDEM_NATS_URL: natsUrl,
    TANDEM_NATS_STREAM: STREAM,
    TANDEM_METRICS_TOKEN: METRICS_TOKEN,
  });
  node.child = server.child;
  node.exited = server.exited;
  node.url = server.url;
  const login = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: node.url },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  expect(login.status, `${node.name} sign-in: ${await login.clone().text()}`).toBe(200);
  node.cookie = login.headers.get('set-cookie')!.split(';')[0]!;
}

async function post(node: Node, events: TandemEvent[]): Promise<IngestAck> {
  const res = await fetch(`${node.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${node.key}` },
    body: JSON.stringify(events),
  });
  expect(res.status, await res.clone().text()).toBe(202);
  return (await res.json()) as IngestAck;
}

async function get<T>(node: Node, path: string): Promise<T> {
  const res = await fetch(node.url + path, { headers: { cookie: node.cookie } });
  expect(res.status, `${node.name} ${path}`).toBe(200);
  return (await res.json()) as T;
}

async function position(node: Node): Promise<number> {
  const res = await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const m = /^tandem_stream_position (\d+)/m.exec(await res.text());
  return Number(m?.[1] ?? -1);
}

describe('three nodes sharing one JetStream stream', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const nodes: Node[] = [];
  const sent = new Set<string>();
  const sim = new Simulator({ seed: 31, ratePerMinute: 3, start: FROM, hourOf: (ms) => new Date(ms).getUTCHours() });
  let simulatedTo = FROM;

  /** Sends the next `minutes` of traffic, batches alternating between the first two nodes. */
  async function traffic(minutes: number, to: Node[]): Promise<void> {
    const until = Math.min(NOW, simulatedTo + minutes * 60_000);
    let i = 0;
    for (let t = simulatedTo + 10 * 60_000; t <= until; t += 10 * 60_000, i++) {
      const batch = sim.advance(t);
      if (batch.length === 0) continue;
      const ack = await post(to[i % to.length]!, batch);
      expect(ack.rejected).toEqual([]);
      for (const e of batch) sent.add(e.id);
    }
    simulatedTo = until;
  }

  async function lastSeq(): Promise<number> {
    return (await jsm.streams.info(STREAM)).state.last_seq;
  }

  /** Waits until every running node has stored the stream up to its end. */
  async function converged(running: Node[]): Promise<number> {
    const last = await lastSeq();
    const deadline = Date.now() + 30_000;
    for (const node of running) {
      while ((await position(node)) < last) {
        if (Date.now() > deadline) throw new Error(`${node.name} stayed behind the stream (${last})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return last;
  }

  const intervals = (node: Node) =>
    get<{ rows: unknown[] }>(node, `/api/kpis/intervals?from=${FROM}&to=${NOW + HOUR}&interval=1h&by=queue`);
  const storedEvents = async (node: Node) =>
    (await get<{ database: { events: number } }>(node, '/api/health')).database.events;

  let releaseNats = async () => {};

  beforeAll(async () => {
    const nats = await machineNats();
    natsUrl = nats.url;
    releaseNats = nats.release;
    nc = await connect({ servers: natsUrl });
    jsm = await jetstreamManager(nc);
    for (const name of ['a', 'b', 'c']) nodes.push(await prepare(name));
    await Promise.all(nodes.map(start));
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) node.child?.kill('SIGKILL');
    await Promise.all(nodes.map((n) => n.exited));
    for (const node of nodes) node.db.cleanup();
    await jsm?.streams.delete(STREAM).catch(() => undefined);
    await nc?.close();
    await releaseNats();
  });

  it('stores the same events and gives the same KPIs and live figures on every node', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    await traffic(90, [a, b]);
    expect(sent.size).toBeGreaterThan(500);
    const last = await converged(nodes);
    // One message per event: nothing was published twice.
    expect(last).toBe(sent.size);
    for (const node of nodes) expect(await storedEvents(node), node.name).toBe(sent.size);
    const reference = await intervals(a);
    expect(reference.rows.length).toBeGreaterThan(3);
    expect(await intervals(b)).toEqual(reference);
    expect(await intervals(c)).toEqual(reference);
    type Live = { today: { counters: unknown }; queues: { queue: string; waiting: number }[] };
    const live = async (n: Node) => {
      const s = await get<Live>(n, '/api/live');
      return { today: s.today.counters, waiting: s.queues.map((q) => [q.queue, q.waiting]) };
    };
    const liveA = await live(a);
    expect(await live(b)).toEqual(liveA);
    expect(await live(c)).toEqual(liveA);
  }, 120_000);

  it('drops a batch sent again to another node: acknowledged as duplicates, stored once everywhere', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const batch = sim.advance(simulatedTo + 10 * 60_000);
    simulatedTo += 10 * 60_000;
    expect(batch.length).toBeGreaterThan(0);
    const first = await post(a, batch);
    // Read your own writes: the node that acknowledged has the events in its database already.
    expect(await storedEvents(a)).toBe(sent.size + batch.length);
    const again = await post(b, batch);
    const third = await post(c, batch);
    for (const e of batch) sent.add(e.id);
    expect(first).toMatchObject({ accepted: batch.length, duplicates: 0 });
    expect(again).toMatchObject({ accepted: 0, duplicates: batch.length });
    expect(third).toMatchObject({ accepted: 0, duplicates: batch.length });
    expect(await converged(nodes)).toBe(sent.size);
    for (const node of nodes) expect(await storedEvents(node), node.name).toBe(sent.size);
  }, 60_000);

  it('pushes an event taken by one node to a wallboard on another within a second', async () => {
    const [a, , c] = nodes as [Node, Node, Node];
    const ws = new WebSocket(`${c.url.replace('http', 'ws')}/ws/live`, {
      headers: { cookie: c.cookie, origin: c.url },
    });
    const messages: { type: string; queues?: { upsert: { queue: string; waiting: number }[] } }[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as (typeof messages)[number]));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await expect.poll(() => messages.some((m) => m.type === 'snapshot')).toBe(true);
    const at = Date.now();
    const contactId = `wall-${at}`;
    const sentAt = performance.now();
    await post(a, [
      { id: `${contactId}-s`, type: 'contact.started', at, contactId, channel: 'chat' } as TandemEvent,
      { id: `${contactId}-q`, type: 'queue.entered', at, contactId, queue: 'scale_out_probe' } as TandemEvent,
    ]);
    sent.add(`${contactId}-s`).add(`${contactId}-q`);
    await expect
      .poll(
        () => messages.some((m) => m.queues?.upsert.some((q) => q.queue === 'scale_out_probe' && q.waiting === 1)),
        {
          timeout: 5000,
          interval: 20,
        },
      )
      .toBe(true);
    // Loose on a shared machine; the bench measures it (BENCHMARKS.md).
    expect(performance.now() - sentAt).toBeLessThan(2000);
    ws.close();
  }, 30_000);

  it('catches up a node that was killed while traffic went on', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const before = await position(c);
    c.child!.kill('SIGKILL');
    await c.exited;
    await traffic(60, [a, b]);
    const last = await lastSeq();
    expect(last - before).toBeGreaterThan(100);
    await start(c);
    // It answers only once caught up (it reads the stream before it serves).
    expect(await position(c)).toBe(last);
    await converged(nodes);
    for (const node of nodes) expect(await storedEvents(node), node.name).toBe(sent.size);
    const reference = await intervals(a);
    expect(await intervals(c)).toEqual(reference);
    expect(await intervals(b)).toEqual(reference);
  }, 120_000);

  it("adds a node from another node's backup: it reads on from the backup's place in the stream", async () => {
    const [a, b] = nodes as [Node, Node, Node];
    const res = await fetch(`${a.url}/api/admin/backup`, {
      method: 'POST',
      headers: { cookie: a.cookie, origin: a.url },
    });
    expect(res.status).toBe(201);
    const { backup } = (await res.json()) as { backup: { dir: string } };
    const atBackup = await lastSeq();
    await traffic(30, [a, b]);
    expect(await lastSeq()).toBeGreaterThan(atBackup);
    const d: Node = { ...(await prepare('d')), name: 'd' };
    await run(['restore', backup.dir, '--force'], d.db.path);
    const restored = await openDatabase(d.db.path);
    const [saved] = await restored.query<{ seq: number }>('SELECT seq FROM stream_positions WHERE stream = ?', [
      STREAM,
    ]);
    await restored.close();
    expect(saved?.seq).toBe(atBackup);
    nodes.push(d);
    await start(d);
    // The backup brought a's users (the sign-in above) and its place in the stream: d read only the rest.
    await converged(nodes);
    expect(await storedEvents(d)).toBe(sent.size);
    expect(await intervals(d)).toEqual(await intervals(a));
  }, 120_000);
});
