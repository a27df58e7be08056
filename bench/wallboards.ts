/**
 * Many wallboards on one node: N `/ws/live` clients (default 10,000) held by child processes of at
 * most 5,000 sockets each (bench/latency-client.ts), so their work is not in the server's event loop
 * nor this process's. Events go in through HTTP ingest at a fixed rate the whole time.
 *
 * Measured: the time to connect every client (all processes at once), server RSS idle / with every
 * client / at the end, and the delay from a marker event's acknowledgement (the 202 of its POST) to
 * the websocket message that carries it, for every client and marker (p50/p95/p99). Markers are
 * `agent.state` events with a unique `reason`, 250-450 ms apart so they fall at every phase of the
 * 100 ms tick. From /metrics over the marker window: updates skipped, slow disconnects, refusals,
 * bytes buffered for clients, and event-loop delay.
 *
 *   npm run bench:wallboards -- [--clients 10000] [--processes N] [--rate 200] [--probes 40]
 */
import { parseArgs } from 'node:util';
import {
  Background,
  clientProcessesFor,
  post,
  prefillWall,
  probeEvent,
  startClientProcess,
  stopClientProcesses,
  type ClientProc,
} from './latency.ts';
import type { ClientStats } from './latency-client.ts';
import {
  isMain,
  machineInfo,
  percentile,
  round,
  scrapeMetrics,
  sleep,
  startServer,
  table,
  wallNow,
  type MachineInfo,
} from './lib.ts';

export type WallboardsOptions = {
  clients?: number;
  clientProcesses?: number;
  /** Events per second through POST /api/events, all through the run. */
  rate?: number;
  probes?: number;
  log?: (line: string) => void;
};

export type WallboardsResult = {
  machine: MachineInfo;
  config: { clients: number; clientProcesses: number; rate: number; probes: number };
  connect: { open: number; failed: number; ms: number; perSecond: number };
  serverRssMiB: { idle: number | null; connected: number | null; end: number | null };
  /** Marker acknowledged (202 received) -> message carrying it, over every (client, marker) pair. */
  ackToClientMs: { p50: number; p95: number; p99: number; max: number; pairs: number; missing: number };
  /** Marker POST sent -> message carrying it. */
  postToClientMs: { p50: number; p99: number };
  markerAckMs: { p50: number; p99: number };
  /** From /metrics, over the marker window. */
  server: {
    updatesSkipped: number;
    slowDisconnects: number;
    refused: number;
    wsRefused: number;
    bufferedBytes: number;
    loopDelayMs: { p50: number; p99: number; max: number };
    liveClients: number;
  };
  load: { postedEvents: number; eventsPerSec: number };
  clientStats: ClientStats[];
};

const ms = (seconds: number | undefined) => round((seconds ?? NaN) * 1000, 1);

export async function runWallboards(options: WallboardsOptions = {}): Promise<WallboardsResult> {
  const clientCount = options.clients ?? 10_000;
  const processes = clientProcessesFor(clientCount, options.clientProcesses);
  const rate = options.rate ?? 200;
  const probes = options.probes ?? 40;
  const log = options.log ?? ((line: string) => console.log(line));
  const tickMs = 100;

  // startServer raises the websocket limits: every client comes from one address and one session.
  const server = await startServer();
  const procs: ClientProc[] = [];
  let loadTimer: NodeJS.Timeout | null = null;
  try {
    const tag = `wb${Date.now().toString(36)}`;
    const background = new Background(tag);
    await prefillWall(server, background, tag, 'Wallboard probe');
    await sleep(1000);
    const rssIdle = server.rssMiB();

    // Load from the start, so clients connect to a server that is working.
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    let posted = 0;
    let loadError: unknown = null;
    let lastTick = Date.now();
    const loadStart = performance.now();
    loadTimer = setInterval(() => {
      const now = Date.now();
      const events = background.take(perTick, lastTick - tickMs, now - tickMs);
      lastTick = now;
      post(server, events)
        .then(() => (posted += events.length))
        .catch((err: unknown) => (loadError ??= err));
    }, tickMs);

    const wsUrl = `${server.url.replace(/^http/, 'ws')}/ws/live`;
    const t0 = performance.now();
    const connected = await Promise.all(
      Array.from({ length: processes }, (_, i) => {
        const count = Math.floor(clientCount / processes) + (i < clientCount % processes ? 1 : 0);
        const proc = startClientProcess();
        procs.push(proc);
        const reply = proc.next('connected');
        proc.send({
          type: 'connect',
          url: wsUrl,
          count,
          concurrency: 50,
          headers: { cookie: server.cookie, origin: server.url },
        });
        return reply;
      }),
    );
    const connectMs = performance.now() - t0;
    const open = connected.reduce((n, c) => n + c.open, 0);
    const failed = connected.reduce((n, c) => n + c.failed, 0);
    log(`wallboards: ${open} of ${clientCount} connected in ${round(connectMs / 1000, 1)} s (${failed} failed)`);
    await sleep(3000);
    const rssConnected = server.rssMiB();

    const before = await scrapeMetrics(server); // resets the event-loop delay window
    const sent = new Map<string, { postAt: number; ackAt: number | null }>();
    for (let i = 0; i < probes; i++) {
      if (loadError) throw loadError;
      await sleep(250 + Math.random() * 200);
      const { id, event } = probeEvent(tag, i);
      const entry = { postAt: wallNow(), ackAt: null as number | null };
      sent.set(id, entry);
      void post(server, [event]).then(
        () => (entry.ackAt = wallNow()),
        (err: unknown) => (loadError ??= err),
      );
    }
    // Every marker acknowledged, then time for the last one to reach every client.
    for (let i = 0; i < 300 && [...sent.values()].some((e) => e.ackAt === null) && !loadError; i++) await sleep(100);
    await sleep(3000);
    const after = await scrapeMetrics(server);
    clearInterval(loadTimer);
    loadTimer = null;
    const loadSec = (performance.now() - loadStart) / 1000;
    if (loadError) throw loadError;
    const rssEnd = server.rssMiB();

    const reports = await Promise.all(
      procs.map((p) => {
        const r = p.next('report');
        p.send({ type: 'report' });
        return r;
      }),
    );
    const fromAck: number[] = [];
    const fromPost: number[] = [];
    const acks: number[] = [];
    let missing = 0;
    for (const [id, { postAt, ackAt }] of sent) {
      if (ackAt !== null) acks.push(ackAt - postAt);
      for (const report of reports) {
        const row = report.arrivals[id];
        for (let c = 0; c < report.stats.clients; c++) {
          const t = row?.[c];
          if (t === null || t === undefined || ackAt === null) missing++;
          else {
            fromAck.push(t - ackAt);
            fromPost.push(t - postAt);
          }
        }
      }
    }
    for (const xs of [fromAck, fromPost, acks]) xs.sort((a, b) => a - b);
    const counter = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    const q = (x: string) => `tandem_event_loop_delay_seconds{quantile="${x}"}`;
    return {
      machine: machineInfo(),
      config: { clients: clientCount, clientProcesses: processes, rate, probes },
      connect: { open, failed, ms: Math.round(connectMs), perSecond: Math.round(open / (connectMs / 1000)) },
      serverRssMiB: { idle: rssIdle, connected: rssConnected, end: rssEnd },
      ackToClientMs: {
        p50: round(percentile(fromAck, 50)),
        p95: round(percentile(fromAck, 95)),
        p99: round(percentile(fromAck, 99)),
        max: round(fromAck[fromAck.length - 1] ?? NaN),
        pairs: fromAck.length,
        missing,
      },
      postToClientMs: { p50: round(percentile(fromPost, 50)), p99: round(percentile(fromPost, 99)) },
      markerAckMs: { p50: round(percentile(acks, 50)), p99: round(percentile(acks, 99)) },
      server: {
        updatesSkipped: counter('tandem_live_updates_skipped_total'),
        slowDisconnects: counter('tandem_live_clients_disconnected_slow_total'),
        refused: counter('tandem_live_clients_refused_total'),
        wsRefused: [...after]
          .filter(([k]) => k.startsWith('tandem_ws_connections_refused_total'))
          .reduce((n, [, v]) => n + v, 0),
        bufferedBytes: after.get('tandem_live_buffered_bytes') ?? NaN,
        loopDelayMs: { p50: ms(after.get(q('0.5'))), p99: ms(after.get(q('0.99'))), max: ms(after.get(q('1'))) },
        liveClients: after.get('tandem_live_clients') ?? NaN,
      },
      load: { postedEvents: posted, eventsPerSec: Math.round(posted / loadSec) },
      clientStats: reports.map((r) => r.stats),
    };
  } finally {
    if (loadTimer) clearInterval(loadTimer);
    await stopClientProcesses(procs);
    await server.stop();
  }
}

export function wallboardsSummary(r: WallboardsResult): string {
  const rows: (string | number)[][] = [
    ['measure', 'p50', 'p95', 'p99', 'max'],
    ['marker ack -> client, ms', r.ackToClientMs.p50, r.ackToClientMs.p95, r.ackToClientMs.p99, r.ackToClientMs.max],
    ['marker POST -> client, ms', r.postToClientMs.p50, '', r.postToClientMs.p99, ''],
    ['marker POST -> 202, ms', r.markerAckMs.p50, '', r.markerAckMs.p99, ''],
    ['server event-loop delay, ms', r.server.loopDelayMs.p50, '', r.server.loopDelayMs.p99, r.server.loopDelayMs.max],
  ];
  const s = r.server;
  return (
    `${table(rows)}\n` +
    `connected ${r.connect.open}/${r.config.clients} in ${round(r.connect.ms / 1000, 1)} s (${r.connect.perSecond}/s, ` +
    `${r.connect.failed} failed); server counts ${s.liveClients} live clients\n` +
    `server RSS MiB: idle ${r.serverRssMiB.idle}, connected ${r.serverRssMiB.connected}, end ${r.serverRssMiB.end}\n` +
    `pairs ${r.ackToClientMs.pairs}, missing ${r.ackToClientMs.missing}; skipped updates ${s.updatesSkipped}, ` +
    `slow disconnects ${s.slowDisconnects}, refused ${s.refused}, buffered ${s.bufferedBytes} B; ` +
    `ingest ${r.load.eventsPerSec} events/s`
  );
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string' },
      processes: { type: 'string' },
      rate: { type: 'string' },
      probes: { type: 'string' },
    },
  });
  const num = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: expected a whole number of at least 1, got "${v}"`);
    return n;
  };
  const result = await runWallboards({
    ...(num('clients', values.clients) ? { clients: num('clients', values.clients) } : {}),
    ...(num('processes', values.processes) ? { clientProcesses: num('processes', values.processes) } : {}),
    ...(num('rate', values.rate) ? { rate: num('rate', values.rate) } : {}),
    ...(num('probes', values.probes) ? { probes: num('probes', values.probes) } : {}),
  });
  console.log(`\n${wallboardsSummary(result)}`);
  const { clientStats, machine } = result;
  console.log(JSON.stringify({ machine, clientStats }, null, 2));
}
