/**
 * Wires the core together: database, event store, live engine, hub, ingest.
 * Transport-free, so tests and the CLI can use it without a port.
 */
import pino, { type Logger } from 'pino';
import { Admin } from './auth/admin.ts';
import { Auth } from './auth/auth.ts';
import { Boards } from './boards/boards.ts';
import { RedactionSettings } from './qa/redaction-settings.ts';
import { CostSettingsStore } from './executive/cost-settings.ts';
import { Calibrations } from './qa/calibrations.ts';
import { Scorecards } from './qa/scorecards.ts';
import type { Config } from './config.ts';
import type { StoredEvent, TandemEvent } from './contract/events.ts';
import { openDatabase, type Database } from './db/duckdb.ts';
import { migrate } from './db/migrate.ts';
import { EventStore, type EventSink } from './ingest/event-store.ts';
import { Ingest } from './ingest/ingest.ts';
import { IngestRateLimit } from './ingest/rate-limit.ts';
import { LiveEngine } from './live/live-engine.ts';
import { LiveHub } from './live/live-hub.ts';
import { MINUTE, startOfDay } from './time.ts';
import { toKpiSettings, type KpiSettingsView, type Targets } from './contract/kpi-settings.ts';
import type { QueueKpiSettings } from './contract/kpis.ts';
import { KpiSettingsStore } from './kpi/kpi-settings-store.ts';
import { refreshFacts } from './kpi/kpi-facts.ts';
import { warmRollups } from './kpi/kpi-rollups.ts';
import { backgroundLoop } from './background-loop.ts';
import { compactTranscriptIndex, refreshTranscriptIndex } from './qa/transcript-index.ts';
import { createTandemMetrics, type TandemMetrics } from './metrics/tandem-metrics.ts';
import { NatsEventLog } from './cluster/nats-event-log.ts';
import { StreamFollower } from './cluster/stream-follower.ts';
import type { StreamHealth } from './health/health-check.ts';

/** This node's part in a scale-out (docs/scaling.md): the shared stream and its reader. */
export type ClusterNode = {
  eventLog: NatsEventLog;
  follower: StreamFollower;
  health(): StreamHealth;
};

export type Tandem = {
  config: Config;
  log: Logger;
  db: Database;
  store: EventStore;
  ingest: Ingest;
  /** Events per second per ingest key, shared by every ingest route so a key cannot dodge it by switching. */
  ingestRate: IngestRateLimit;
  readonly engine: LiveEngine;
  hub: LiveHub;
  /** KPI definitions and targets in force (environment defaults, then the admin's saved ones). */
  kpiSettings: KpiSettingsView;
  /** The contact center's time zone (TANDEM_TZ until an admin saves another). */
  readonly timeZone: string;
  /**
   * Saves new KPI settings for the defaults (`queue` null) or one queue (`settings` null removes the
   * queue's own), then rebuilds the live state with them: every figure is recomputed, not just new ones.
   */
  updateKpiSettings(
    queue: string | null,
    update: {
      settings: Partial<QueueKpiSettings> & { fcrHorizonDays?: number; timeZone?: string };
      targets: Targets;
    } | null,
    by: string,
  ): Promise<KpiSettingsView>;
  auth: Auth;
  admin: Admin;
  /** Boards and playlists that walls show. */
  boards: Boards;
  /** The kinds of personal data redacted from transcripts at ingest. */
  redaction: RedactionSettings;
  /** What the executive summary prices contacts with. */
  costs: CostSettingsStore;
  /** QA scorecards and the evaluations made with them. */
  scorecards: Scorecards;
  /** Blind calibration sessions over those evaluations. */
  calibrations: Calibrations;
  /** Counters, histograms and gauges served on /metrics. */
  metrics: TandemMetrics;
  /** Set when this node shares a NATS JetStream event stream with others (TANDEM_NATS_URL). */
  cluster: ClusterNode | null;
  startedAt: number;
  close(): Promise<void>;
};

const REBUILD_HOURS = 26;

/** Replays stored events into a fresh engine: the last day and a bit, plus each agent's state before it. */
async function rebuild(db: Database, engine: LiveEngine, now: number): Promise<number> {
  // Today needs yesterday's tail too: a contact that queued before midnight is answered after it.
  const from = Math.min(startOfDay(now, engine.timeZone), now - REBUILD_HOURS * 60 * MINUTE);
  let count = 0;
  const replay = (rows: { body: string; at_ms: number }[]) => {
    engine.apply(rows.map((r) => ({ event: JSON.parse(r.body) as TandemEvent, atMs: r.at_ms }) satisfies StoredEvent));
    count += rows.length;
  };
  replay(
    await db.query(
      `SELECT body, at_ms FROM events WHERE type = 'agent.state' AND at_ms < ?
       QUALIFY row_number() OVER (PARTITION BY agent_id ORDER BY at_ms DESC, id DESC) = 1`,
      [from],
    ),
  );
  // Hour by hour, so a busy day never has to fit in memory at once; only hours that hold events, so a
  // stray far-future timestamp cannot turn start-up into a walk through empty hours.
  const hours = await db.query<{ h: number }>(
    'SELECT DISTINCT at_ms // 3600000 AS h FROM events WHERE at_ms >= ? ORDER BY h',
    [from],
  );
  for (const { h } of hours) {
    const lo = Math.max(from, h * 3_600_000);
    replay(
      await db.query('SELECT body, at_ms FROM events WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, id', [
        lo,
        (h + 1) * 3_600_000,
      ]),
    );
  }
  return count;
}

/** How long an acknowledgement waits for this node to store what JetStream confirmed. */
const OWN_WRITE_WAIT_MS = 2000;

/**
 * Publishes to the shared stream, then waits (briefly) until this node has read the events back into
 * its database, so that a producer that reads after its acknowledgement, from the node it sent to, sees
 * its events, as it does embedded. The events are safe once JetStream confirmed them: if this node
 * cannot store them in time (its disk, say) the acknowledgement goes out anyway.
 */
function readOwnWrites({ eventLog, follower }: ClusterNode): EventSink {
  return {
    async store(events) {
      const result = await eventLog.store(events);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        follower.reached(result.lastSeq),
        new Promise((resolve) => (timer = setTimeout(resolve, OWN_WRITE_WAIT_MS))),
      ]);
      clearTimeout(timer);
      return result;
    },
  };
}

export async function createTandem(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<Tandem> {
  const now = config.clock ?? Date.now;
  const startedAt = Date.now();
  const metrics = createTandemMetrics();
  // First, so that a wrong address fails the start before anything is opened.
  const eventLog = config.nats ? await NatsEventLog.open({ ...config.nats, log }) : null;
  const opened = await openDatabase(config.dbPath, { memoryLimit: config.dbMemoryLimit });
  const db = config.wrapDatabase ? config.wrapDatabase(opened) : opened;
  await migrate(db);
  const settingsStore = new KpiSettingsStore(db, { ...config.kpi, timeZone: config.timeZone });
  let kpiSettings = await settingsStore.load();
  const newEngine = () =>
    new LiveEngine(
      {
        timeZone: kpiSettings.defaults.timeZone,
        settings: toKpiSettings(kpiSettings),
        targets: {
          defaults: kpiSettings.defaults.targets,
          queues: Object.fromEntries(Object.entries(kpiSettings.queues).map(([q, v]) => [q, v.targets])),
        },
        demo: config.demo,
      },
      now(),
    );
  let engine = newEngine();
  let unrefreshed = false;
  const store = new EventStore(db, {
    onCommitted: (events) => {
      engine.apply(events);
      unrefreshed ||= events.length > 0;
    },
    onFlushed: ({ rows, seconds, ok, error }) => {
      metrics.ingestCommit.observe(seconds);
      if (ok) return;
      metrics.ingestCommitFailures.inc();
      // Once per group commit, with the database's own words: producers got 503 and a reason only.
      log.error({ err: error, rows }, 'a group commit failed; its producers got 503 and will resend');
    },
  });
  const loading = performance.now();
  const recovered = await store.recover();
  if (recovered > 0) log.warn({ recovered }, 'recovered events from an interrupted commit');
  log.info(
    { ids: store.storedIds, seconds: Math.round(performance.now() - loading) / 1000 },
    'stored event ids loaded for the duplicate check',
  );
  // The KPI facts catch up with the log before the server answers (a rebuild after an upgrade can take
  // minutes on a large history), then follow it so that queries find little left to do. A refresh
  // holds the writer, so the pause after one is four times as long as it took (background-loop.ts):
  // under heavy ingest the facts fall a little further behind instead of slowing every commit.
  const facts = await refreshFacts(db);
  if (facts.events > 0) log.info(facts, 'KPI facts brought up to date');
  const follower = backgroundLoop({
    firstDelayMs: 1000,
    idleMs: 1000,
    step: async () => {
      if (!unrefreshed) return false;
      unrefreshed = false;
      try {
        await refreshFacts(db);
      } catch (err) {
        unrefreshed = true;
        throw err;
      }
      return true;
    },
    onError: (err) => log.error({ err }, 'could not refresh the KPI facts'),
    onWorked: (seconds) => metrics.backgroundSteps.observe(seconds, { job: 'kpi_facts' }),
  });
  // Recent days are rolled up ahead of any question (kpi-rollups.ts), a few days per step; once all
  // are current, it looks again each minute (a day ended, settings changed).
  const warmer = backgroundLoop({
    firstDelayMs: 5000,
    idleMs: MINUTE,
    step: async () =>
      (await warmRollups(db, toKpiSettings(kpiSettings), kpiSettings.defaults.timeZone, Date.now())) > 0,
    onError: (err) => log.error({ err }, 'could not roll up past days'),
    onWorked: (seconds) => metrics.backgroundSteps.observe(seconds, { job: 'kpi_rollups' }),
  });
  // The transcript index follows the log too, so a search's own refresh finds little left, and merges its
  // unsorted tail into the sorted postings once that grows (transcript-index.ts): the merge holds the
  // writer for seconds on a large index, so it is done here, never in a search.
  const indexer = backgroundLoop({
    firstDelayMs: 2000,
    idleMs: 5000,
    step: async () => (await refreshTranscriptIndex(db)) > 0 || (await compactTranscriptIndex(db)),
    onError: (err) => log.error({ err }, 'could not refresh the transcript index'),
    onWorked: (seconds) => metrics.backgroundSteps.observe(seconds, { job: 'transcript_index' }),
  });
  const replayed = await rebuild(db, engine, now());
  log.info({ replayed, db: config.dbPath }, 'live state rebuilt from the database');
  // Scale-out: events reach this node's database (and, through the store, its live state) only by the
  // shared stream, read from where the database ends. Started after the rebuild, so nothing is counted
  // twice; the node catches up before it answers, as the facts do.
  let cluster: ClusterNode | null = null;
  if (eventLog) {
    const follower = new StreamFollower(eventLog, store, db, log);
    follower.start();
    await follower.catchUp((s) =>
      log.info({ position: s.position, streamLast: s.streamLast }, 'catching up with the shared event stream'),
    );
    log.info({ stream: eventLog.stream, position: follower.state.position }, 'following the shared event stream');
    metrics.watchStream({ connected: () => eventLog.connected, follower });
    cluster = {
      eventLog,
      follower,
      health: () => ({
        connected: eventLog.connected,
        lag: follower.lag,
        missed: follower.state.missed,
        failing: follower.state.failing,
      }),
    };
  }
  const hub = new LiveHub(engine, { ...config.liveHub, now });
  hub.start();
  metrics.watch({ hub, db, startedAt });
  const auth = new Auth(db, { sessionLifetimeMs: config.sessionLifetimeMs });
  await auth.init();
  const redaction = await new RedactionSettings(db, auth.audit).load();
  const costs = await new CostSettingsStore(db, auth.audit).load();
  const scorecards = new Scorecards(db, auth.audit);
  const calibrations = new Calibrations(db, auth.audit, auth.users, scorecards);
  const pruner = setInterval(() => {
    engine.prune(now());
    void auth.sessions.purgeExpired().catch((err: unknown) => log.warn({ err }, 'could not purge sessions'));
  }, 5 * MINUTE);
  pruner.unref();
  return {
    config,
    log,
    db,
    store,
    // Embedded, accepted events are committed here; in a scale-out, to the shared stream (and come back).
    ingest: new Ingest(cluster ? readOwnWrites(cluster) : store, {
      redaction: () => redaction.kinds,
      onAck: (via, ack) => {
        if (ack.accepted) metrics.ingestEvents.inc({ via, outcome: 'accepted' }, ack.accepted);
        if (ack.duplicates) metrics.ingestEvents.inc({ via, outcome: 'duplicate' }, ack.duplicates);
        if (ack.rejected.length) metrics.ingestEvents.inc({ via, outcome: 'rejected' }, ack.rejected.length);
      },
    }),
    ingestRate: new IngestRateLimit({
      rate: config.ingestRate,
      onRefuse: (via, events) => metrics.ingestEvents.inc({ via, outcome: 'rate_limited' }, events),
    }),
    redaction,
    costs,
    get engine() {
      return engine;
    },
    hub,
    get kpiSettings() {
      return kpiSettings;
    },
    get timeZone() {
      return kpiSettings.defaults.timeZone;
    },
    async updateKpiSettings(queue, update, by) {
      if (update) await settingsStore.save(queue, update.settings, update.targets, by);
      else if (queue !== null) await settingsStore.remove(queue);
      // No commit may land between the rebuild's reads and the switch, or it would count twice or never.
      await store.exclusive(async () => {
        kpiSettings = await settingsStore.load();
        const next = newEngine();
        await rebuild(db, next, now());
        engine = next;
        hub.setEngine(next);
      });
      return kpiSettings;
    },
    auth,
    admin: new Admin(auth),
    boards: new Boards(db, auth.audit),
    scorecards,
    calibrations,
    metrics,
    cluster,
    startedAt,
    async close() {
      clearInterval(pruner);
      await cluster?.follower.stop();
      await eventLog?.close();
      metrics.stop();
      await follower.stop();
      await warmer.stop();
      await indexer.stop();
      hub.stop();
      await store.drain();
      await db.close();
    },
  };
}
