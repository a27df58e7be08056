/**
 * A child process holding many `/ws/live` wallboard clients for bench/latency.ts.
 * For each client it notes when a probe id (an agent.state `reason` starting with "bprobe-") first
 * arrives, without parsing messages (a byte search keeps this process cheap), and reports the
 * arrival times when asked. Controlled over the IPC channel; not meant to be run by hand.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';

export type ClientCommand =
  | { type: 'connect'; url: string; count: number; concurrency: number; headers: Record<string, string> }
  /** `clear`: forget the arrivals reported, so a long run reports each probe once and memory stays flat. */
  | { type: 'report'; clear?: boolean }
  | { type: 'stop' };

export type ClientStats = {
  clients: number;
  open: number;
  failed: number;
  closed: Record<string, number>;
  errors: number;
  messages: number;
  bytes: number;
  deltas: number;
  heartbeats: number;
  /** Snapshots beyond the first one per client (sent after a client fell behind). */
  extraSnapshots: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** The last delta client 0 received: its size and the bytes of each top-level field. */
  sampleDelta: { bytes: number; fields: Record<string, number> } | null;
};

export type ClientReply =
  | { type: 'connected'; open: number; failed: number; ms: number }
  | {
      type: 'report';
      /** probe id -> arrival time (epoch ms, sub-ms) per client index; null when it never came. */
      arrivals: Record<string, (number | null)[]>;
      stats: ClientStats;
    };

const MARKER = Buffer.from('"reason":"bprobe-');
const QUOTE = 0x22;
const wallNow = () => performance.timeOrigin + performance.now();

type Client = { ws: WebSocket | null; snapshots: number; seen: Map<string, number> };

const clients: Client[] = [];
const stats = {
  failed: 0,
  closed: {} as Record<string, number>,
  errors: 0,
  messages: 0,
  bytes: 0,
  deltas: 0,
  heartbeats: 0,
  snapshots: 0,
};
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let lastDelta: Buffer | null = null;

function onMessage(client: Client, data: Buffer): void {
  const t = wallNow();
  stats.messages++;
  stats.bytes += data.length;
  // Messages are JSON.stringify output starting with {"type":"<kind>"; byte 9 tells the kind apart.
  const kind = data[9];
  if (kind === 0x64 /* d */) {
    stats.deltas++;
    if (client === clients[0]) lastDelta = data;
  } else if (kind === 0x68 /* h */) stats.heartbeats++;
  else if (kind === 0x73 /* s */) {
    stats.snapshots++;
    client.snapshots++;
  }
  let from = 0;
  for (;;) {
    const at = data.indexOf(MARKER, from);
    if (at < 0) break;
    const start = at + MARKER.length - 'bprobe-'.length;
    const end = data.indexOf(QUOTE, start);
    if (end < 0) break;
    const id = data.toString('latin1', start, end);
    if (!client.seen.has(id)) client.seen.set(id, t);
    from = end;
  }
}

let connectHeaders: Record<string, string> = {};

function connectOne(url: string): Promise<boolean> {
  const client: Client = { ws: null, snapshots: 0, seen: new Map() };
  clients.push(client);
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers: connectHeaders });
    client.ws = ws;
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      if (!ok) stats.failed++;
      resolve(ok);
    };
    ws.on('message', (data: Buffer) => {
      onMessage(client, data);
      settle(true); // connected once the first snapshot arrived
    });
    ws.on('error', () => {
      stats.errors++;
      settle(false);
    });
    ws.on('close', (code) => {
      stats.closed[code] = (stats.closed[code] ?? 0) + 1;
      settle(false);
    });
    setTimeout(() => settle(false), 30_000).unref();
  });
}

async function connectAll(url: string, count: number, concurrency: number): Promise<void> {
  const t0 = performance.now();
  let next = 0;
  let open = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next++;
        if (await connectOne(url)) open++;
      }
    }),
  );
  loopDelay.enable();
  reply({ type: 'connected', open, failed: count - open, ms: Math.round(performance.now() - t0) });
}

function describeDelta(): ClientStats['sampleDelta'] {
  if (!lastDelta) return null;
  const delta = JSON.parse(lastDelta.toString()) as Record<string, unknown>;
  const fields: Record<string, number> = {};
  for (const [key, value] of Object.entries(delta)) fields[key] = JSON.stringify(value).length;
  return { bytes: lastDelta.length, fields };
}

function report(clear: boolean): void {
  const ids = new Set<string>();
  for (const c of clients) for (const id of c.seen.keys()) ids.add(id);
  const arrivals: Record<string, (number | null)[]> = {};
  for (const id of ids) arrivals[id] = clients.map((c) => c.seen.get(id) ?? null);
  reply({
    type: 'report',
    arrivals,
    stats: {
      clients: clients.length,
      open: clients.filter((c) => c.ws?.readyState === WebSocket.OPEN).length,
      failed: stats.failed,
      closed: stats.closed,
      errors: stats.errors,
      messages: stats.messages,
      bytes: stats.bytes,
      deltas: stats.deltas,
      heartbeats: stats.heartbeats,
      extraSnapshots: stats.snapshots - clients.filter((c) => c.snapshots > 0).length,
      loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e5) / 10,
      loopDelayMaxMs: Math.round(loopDelay.max / 1e5) / 10,
      sampleDelta: describeDelta(),
    },
  });
  if (clear) for (const c of clients) c.seen.clear();
}

function reply(message: ClientReply): void {
  process.send?.(message);
}

process.on('message', (message: ClientCommand) => {
  if (message.type === 'connect') connectHeaders = message.headers;
  if (message.type === 'connect') void connectAll(message.url, message.count, message.concurrency);
  else if (message.type === 'report') report(message.clear ?? false);
  else if (message.type === 'stop') {
    for (const c of clients) c.ws?.terminate();
    process.disconnect?.();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
process.on('disconnect', () => process.exit(0));
