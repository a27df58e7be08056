/**
 * Ingest throughput.
 *
 * Headline: durable events/s through `POST /api/events` on a real server (`node bin/tandem.js serve`,
 * demo off, fresh DuckDB file, free port on 127.0.0.1), with several producers posting batches
 * concurrently for a fixed time. Every event is acknowledged only after its COMMIT, and at the end
 * the stored count (/api/health database.events) must equal the acknowledged count.
 *
 * Reference points in the same run, in this process, each on its own fresh DuckDB file:
 *  - raw appender:      db.write(tx => tx.append(...)) into a table with the `events` columns, no key
 *  - raw appender + PK: the same with the table's PRIMARY KEY (so the index cost is visible)
 *  - event store:       the server's EventStore (appender -> events_incoming -> INSERT .. ON CONFLICT)
 *  - core, no HTTP:     createTandem(): zod validation + event store + live engine, without HTTP/JSON
 *
 * The workload is a realistic mix from the seeded Simulator (about 400 agents, transcripts included):
 * a two-hour block is generated once, then repeated with fresh event and contact ids; event times are
 * compressed 4x (a copy spans 30 minutes) and each copy follows the previous one, starting 24 hours
 * ago, so ids never repeat, every agent's timeline stays in time order and no event is in the future
 * (room for 48 copies, about 5.6 million events).
 *
 *   npx tsx bench/ingest.ts [--duration 20] [--runs 3] [--batch 2000 ...] [--producers 4] [--quick] [--http-only]
 *                           [--cpu-prof DIR]   (write a V8 CPU profile of the server to DIR)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import type { StoredEvent, TandemEvent } from '../server/contract/events.ts';
import type { IngestAck } from '../server/contract/ingest.ts';
import { openDatabase } from '../server/db/duckdb.ts';
import { migrate, MIGRATIONS_DIR } from '../server/db/migrate.ts';
import { COLUMNS, EventStore, rowOf } from '../server/ingest/event-store.ts';
import { Simulator } from '../server/simulator/simulator.ts';
import { createTandem } from '../server/tandem.ts';
import { MINUTE } from '../server/time.ts';
import {
  isMain,
  machineBusySeconds,
  machineInfo,
  median,
  percentile,
  round,
  selfCpuSeconds,
  sleep,
  startServer,
  table,
  type MachineInfo,
} from './lib.ts';

// ---------------------------------------------------------------- workload

const HOUR = 60 * MINUTE;
const BLOCK_MS = 2 * HOUR;
/** Event-time compression: a copy of the two-hour block spans 30 minutes. */
const TIME_SCALE = 0.25;
const TEMPLATE_START = Date.UTC(2026, 10, 23, 8, 30); // a morning, so arrivals run near the daily peak

type TemplateEvent = { event: TandemEvent; offset: number };

let templateCache: TemplateEvent[] | null = null;

/** Two simulated hours of a contact center with ~120 new contacts per minute at peak (~117k events). */
export function template(): TemplateEvent[] {
  if (templateCache) return templateCache;
  const sim = new Simulator({ seed: 20261124, ratePerMinute: 120, start: TEMPLATE_START, idPrefix: 't' });
  templateCache = sim.advance(TEMPLATE_START + BLOCK_MS - 1).map((event) => ({
    event,
    offset: (event.at as number) - TEMPLATE_START,
  }));
  return templateCache;
}

/** A long stream of unique, valid events: copies of the template, each 30 minutes of event time. */
export class EventStream {
  #template = template();
  #base: number;
  #tag: string;
  #copy = 0;
  #i = 0;
  produced = 0;

  /** `tag` makes ids unique per database; `base` is the event time of the first copy. */
  constructor(tag: string, base: number) {
    this.#tag = tag;
    this.#base = base;
  }

  next(n: number): TandemEvent[] {
    const out: TandemEvent[] = [];
    while (out.length < n) {
      if (this.#i === this.#template.length) {
        this.#i = 0;
        this.#copy++;
      }
      const { event, offset } = this.#template[this.#i++]!;
      const prefix = `${this.#tag}${this.#copy}`;
      const at = this.#base + Math.round((this.#copy * BLOCK_MS + offset) * TIME_SCALE);
      if (at > Date.now()) throw new Error('the workload ran out of past event times (over 5 million events)');
      const e = { ...event, id: prefix + event.id, at };
      if ('contactId' in e) e.contactId = prefix + e.contactId;
      out.push(e as TandemEvent);
    }
    this.produced += n;
    return out;
  }
}

/** Event times start a day ago, like a backfill that catches up to the present. */
const streamBase = () => Math.floor(Date.now() / HOUR) * HOUR - 24 * HOUR;

// ---------------------------------------------------------------- results

export type HttpRun = {
  batch: number;
  producers: number;
  seconds: number;
  eventsPerSec: number;
  requests: number;
  requestP50Ms: number;
  requestP99Ms: number;
  /** Server process CPU during the window, in cores (1.0 = one core busy). */
  serverCores: number | null;
  /** This (client) process's CPU during the window, in cores. */
  clientCores: number;
  /** Whole machine busy CPU during the window, in cores (2 = both cores of this machine busy). */
  machineCores: number | null;
  serverRssMiB: number | null;
  acknowledged: number;
  stored: number;
  duplicates: number;
  rejected: number;
  verified: boolean;
};

export type LocalRun = { stage: LocalStage; events: number; seconds: number; eventsPerSec: number };
export type LocalStage = 'appender' | 'appenderPk' | 'eventStore' | 'core';

export type IngestResult = {
  machine: MachineInfo;
  config: { durationSec: number; warmupSec: number; producers: number; batches: number[]; runs: number };
  local: Record<LocalStage, { runs: LocalRun[]; medianEventsPerSec: number }>;
  http: { batch: number; runs: HttpRun[]; medianEventsPerSec: number; verified: boolean }[];
  best: { batch: number; medianEventsPerSec: number };
  ratioToAppender: number;
  target: { eventsPerSec: number; met: boolean };
};

export const INGEST_TARGET = 50_000;

// ---------------------------------------------------------------- HTTP (the headline)

async function httpRun(
  batch: number,
  producers: number,
  durationSec: number,
  warmupSec: number,
  nodeArgs: string[] = [],
): Promise<HttpRun> {
  const server = await startServer({}, nodeArgs);
  try {
    const stream = new EventStream(`h${batch}-`, streamBase());
    const endpoint = `${server.url}/api/events`;
    let acknowledged = 0;
    let duplicates = 0;
    let rejected = 0;
    let windowAccepted = 0;
    let inWindow = false;
    const latencies: number[] = [];

    const post = async (): Promise<void> => {
      const body = JSON.stringify(stream.next(batch));
      const t = performance.now();
      const res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.key}` },
        body,
      });
      const ack = (await res.json()) as IngestAck;
      if (res.status !== 202) throw new Error(`POST /api/events answered ${res.status}: ${JSON.stringify(ack)}`);
      acknowledged += ack.accepted;
      duplicates += ack.duplicates;
      rejected += ack.rejected.length;
      if (inWindow) {
        windowAccepted += ack.accepted;
        latencies.push(performance.now() - t);
      }
    };
    const phase = async (seconds: number) => {
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: producers }, async () => {
          while (performance.now() < until) await post();
        }),
      );
    };

    await phase(warmupSec);
    inWindow = true;
    const cpu0 = server.cpuSeconds();
    const self0 = selfCpuSeconds();
    const machine0 = machineBusySeconds();
    const t0 = performance.now();
    await phase(durationSec);
    const seconds = (performance.now() - t0) / 1000;
    const cpu1 = server.cpuSeconds();
    const self1 = selfCpuSeconds();
    const machine1 = machineBusySeconds();
    const rss = server.rssMiB();

    const stored = (await server.health()).database.events;
    latencies.sort((a, b) => a - b);
    return {
      batch,
      producers,
      seconds: round(seconds, 2),
      eventsPerSec: Math.round(windowAccepted / seconds),
      requests: latencies.length,
      requestP50Ms: round(percentile(latencies, 50)),
      requestP99Ms: round(percentile(latencies, 99)),
      serverCores: cpu0 !== null && cpu1 !== null ? round((cpu1 - cpu0) / seconds, 2) : null,
      clientCores: round((self1 - self0) / seconds, 2),
      machineCores: machine0 !== null && machine1 !== null ? round((machine1 - machine0) / seconds, 2) : null,
      serverRssMiB: rss,
      acknowledged,
      stored,
      duplicates,
      rejected,
      verified: stored === acknowledged && duplicates === 0 && rejected === 0,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- in-process reference points

/** The `events` table definition from the migration, optionally without its primary key. */
function eventsTableDdl(withKey: boolean): string {
  const sql = readFileSync(join(MIGRATIONS_DIR, '001_events.sql'), 'utf8');
  const ddl = /CREATE TABLE IF NOT EXISTS events \([\s\S]*?\);/.exec(sql)?.[0];
  if (!ddl) throw new Error('could not find the events table in 001_events.sql');
  // The columns later migrations add to `events`, so the raw appender writes the rows the server writes.
  const added = readFileSync(join(MIGRATIONS_DIR, '004_event_columns.sql'), 'utf8').match(
    /ALTER TABLE events ADD COLUMN [^;]+;/g,
  );
  return [withKey ? ddl : ddl.replace(/\s+PRIMARY KEY/, ''), ...(added ?? [])].join('\n');
}

function tempDb(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-raw-'));
  return { path: join(dir, 'raw.duckdb'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `fn` over `batches` with `concurrency` callers; returns the elapsed seconds. */
async function timed<T>(batches: T[], concurrency: number, fn: (b: T) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches.length) await fn(batches[next++]!);
    }),
  );
  return (performance.now() - t0) / 1000;
}

async function localRun(stage: LocalStage, events: TandemEvent[][], producers: number): Promise<LocalRun> {
  const total = events.reduce((n, b) => n + b.length, 0);
  const tmp = tempDb();
  try {
    let seconds: number;
    if (stage === 'appender' || stage === 'appenderPk') {
      const now = Date.now();
      const rows = events.map((b) => b.map((event) => rowOf({ event, atMs: event.at as number }, now)));
      const db = await openDatabase(tmp.path);
      try {
        await db.write((tx) => tx.query(eventsTableDdl(stage === 'appenderPk')));
        // One transaction per batch, like one group commit; the appender is the only work.
        seconds = await timed(rows, 1, (b) => db.write((tx) => tx.append('events', COLUMNS, b)));
        const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM events');
        if (row?.n !== total) throw new Error(`${stage}: stored ${row?.n} of ${total} rows`);
      } finally {
        await db.close();
      }
    } else if (stage === 'eventStore') {
      const stored: StoredEvent[][] = events.map((b) => b.map((event) => ({ event, atMs: event.at as number })));
      const db = await openDatabase(tmp.path);
      try {
        await migrate(db);
        const store = new EventStore(db);
        seconds = await timed(stored, producers, (b) => store.store(b));
        await store.drain();
        const [row] = await db.query<{ n: number }>('SELECT count(*) AS n FROM events');
        if (row?.n !== total) throw new Error(`${stage}: stored ${row?.n} of ${total} events`);
      } finally {
        await db.close();
      }
    } else {
      const config = { ...loadConfig({}), dbPath: tmp.path, demo: false, timeZone: 'UTC', logLevel: 'silent' };
      const tandem = await createTandem(config);
      try {
        let accepted = 0;
        seconds = await timed(events, producers, async (b) => {
          // Await first: `accepted += await ...` would read `accepted` before the await and lose updates.
          const ack = await tandem.ingest.ingest(b);
          accepted += ack.accepted;
        });
        if (accepted !== total) throw new Error(`${stage}: accepted ${accepted} of ${total} events`);
      } finally {
        await tandem.close();
      }
    }
    return { stage, events: total, seconds: round(seconds, 2), eventsPerSec: Math.round(total / seconds) };
  } finally {
    tmp.cleanup();
  }
}

// ---------------------------------------------------------------- driver

export type IngestOptions = {
  durationSec?: number;
  warmupSec?: number;
  producers?: number;
  batches?: number[];
  runs?: number;
  /** Events per in-process reference run. */
  localEvents?: number;
  /** Skip the in-process reference points (HTTP only). */
  httpOnly?: boolean;
  /** Extra node arguments for the server, e.g. ['--cpu-prof', '--cpu-prof-dir', DIR]. */
  serverNodeArgs?: string[];
  log?: (line: string) => void;
};

export async function runIngest(options: IngestOptions = {}): Promise<IngestResult> {
  const durationSec = options.durationSec ?? 20;
  const warmupSec = options.warmupSec ?? 2;
  const producers = options.producers ?? 4;
  const batches = options.batches ?? [500, 2000];
  const runs = options.runs ?? 3;
  const localEvents = options.localEvents ?? 400_000;
  const log = options.log ?? ((line: string) => console.log(line));

  log(`ingest: generating the workload (${template().length} template events)`);
  const localBatch = 2000;
  const localStream = new EventStream('l-', streamBase());
  const localBatches = Array.from({ length: Math.ceil(localEvents / localBatch) }, () => localStream.next(localBatch));

  const stages: LocalStage[] = ['appender', 'appenderPk', 'eventStore', 'core'];
  const local = {} as IngestResult['local'];
  for (const stage of stages) local[stage] = { runs: [], medianEventsPerSec: 0 };
  for (let r = 0; r < (options.httpOnly ? 0 : runs); r++) {
    for (const stage of stages) {
      const run = await localRun(stage, localBatches, producers);
      local[stage].runs.push(run);
      log(`ingest: ${stage.padEnd(10)} run ${r + 1}/${runs}: ${run.eventsPerSec} events/s (${run.seconds} s)`);
    }
  }
  for (const stage of stages) local[stage].medianEventsPerSec = median(local[stage].runs.map((x) => x.eventsPerSec));

  // Alternate batch sizes run by run, so a noisy minute does not land on one size only.
  const http = batches.map((batch) => ({ batch, runs: [] as HttpRun[], medianEventsPerSec: 0, verified: true }));
  for (let r = 0; r < runs; r++) {
    for (const entry of http) {
      const run = await httpRun(entry.batch, producers, durationSec, warmupSec, options.serverNodeArgs);
      entry.runs.push(run);
      log(
        `ingest: HTTP batch ${entry.batch} run ${r + 1}/${runs}: ${run.eventsPerSec} events/s, ` +
          `request p50 ${run.requestP50Ms} ms p99 ${run.requestP99Ms} ms, CPU server ${run.serverCores} / client ${run.clientCores} / machine ${run.machineCores} cores, ` +
          `stored ${run.stored}/${run.acknowledged} acknowledged${run.verified ? '' : ' — MISMATCH'}`,
      );
      await sleep(500);
    }
  }
  for (const entry of http) {
    entry.medianEventsPerSec = median(entry.runs.map((x) => x.eventsPerSec));
    entry.verified = entry.runs.every((x) => x.verified);
  }
  const best = http.reduce((a, b) => (b.medianEventsPerSec > a.medianEventsPerSec ? b : a));
  return {
    machine: machineInfo(),
    config: { durationSec, warmupSec, producers, batches, runs },
    local,
    http,
    best: { batch: best.batch, medianEventsPerSec: best.medianEventsPerSec },
    ratioToAppender: round(best.medianEventsPerSec / local.appender.medianEventsPerSec, 3),
    target: { eventsPerSec: INGEST_TARGET, met: best.medianEventsPerSec >= INGEST_TARGET },
  };
}

export function ingestSummary(r: IngestResult): string {
  const rows: (string | number)[][] = [['path', 'median events/s', 'runs', 'vs raw appender']];
  const raw = r.local.appender.medianEventsPerSec;
  const labels: Record<LocalStage, string> = {
    appender: 'raw DuckDB appender (no key)',
    appenderPk: 'raw DuckDB appender + primary key',
    eventStore: 'EventStore group commit (in-process)',
    core: 'Tandem core: zod + store + engine (no HTTP)',
  };
  for (const stage of Object.keys(labels) as LocalStage[]) {
    const s = r.local[stage];
    if (s.runs.length === 0) continue;
    rows.push([
      labels[stage],
      s.medianEventsPerSec,
      s.runs.map((x) => x.eventsPerSec).join(' / '),
      `${round((s.medianEventsPerSec / raw) * 100)}%`,
    ]);
  }
  for (const h of r.http) {
    rows.push([
      `POST /api/events, batch ${h.batch}, ${r.config.producers} producers`,
      h.medianEventsPerSec,
      h.runs.map((x) => x.eventsPerSec).join(' / '),
      `${round((h.medianEventsPerSec / raw) * 100)}%`,
    ]);
  }
  const verdict = r.target.met ? 'MET' : `MISSED by ${round((1 - r.best.medianEventsPerSec / INGEST_TARGET) * 100)}%`;
  const verified = r.http.every((h) => h.verified) ? 'stored == acknowledged in every run' : 'COUNT MISMATCH';
  return `${table(rows)}\ntarget >= ${INGEST_TARGET} events/s: ${verdict} (best median ${r.best.medianEventsPerSec} at batch ${r.best.batch}); ${verified}`;
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      runs: { type: 'string' },
      batch: { type: 'string', multiple: true },
      producers: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'http-only': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
    },
  });
  const quick = values.quick;
  const result = await runIngest({
    durationSec: values.duration ? Number(values.duration) : quick ? 5 : 20,
    runs: values.runs ? Number(values.runs) : quick ? 1 : 3,
    localEvents: quick ? 100_000 : 400_000,
    ...(values.batch ? { batches: values.batch.map(Number) } : {}),
    httpOnly: values['http-only'],
    ...(values.producers ? { producers: Number(values.producers) } : {}),
    ...(values['cpu-prof'] ? { serverNodeArgs: ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] } : {}),
  });
  console.log(`\n${ingestSummary(result)}`);
}
