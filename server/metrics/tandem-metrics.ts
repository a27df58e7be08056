/**
 * Every metric Tandem exposes on /metrics (docs/operations.md lists them with their meaning). The
 * counters and histograms are fed where the work happens; gauges read from the hub and the database
 * at scrape time, so nothing polls between scrapes.
 */
import type { Database } from '../db/duckdb.ts';
import { followerLag } from '../ingest/follower-lag.ts';
import type { LiveHub } from '../live/live-hub.ts';
import type { StreamFollower } from '../cluster/stream-follower.ts';
import { VERSION } from '../version.ts';
import { Registry, type Counter, type Histogram } from './metrics-registry.ts';
import { processMetrics } from './process-metrics.ts';

/** Seconds: from a fast commit or API call (a few ms) to a slow rebuild-sized query. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type TandemMetrics = {
  registry: Registry;
  /** Events received, by how they came (`via`) and what became of them (`outcome`). */
  ingestEvents: Counter;
  /** One group commit of the event store (event-store.ts), in seconds. */
  ingestCommit: Histogram;
  ingestCommitFailures: Counter;
  /** API and page requests by route pattern, method and status class. */
  httpRequests: Histogram;
  /** KPI and summary computations, by query. */
  queries: Histogram;
  /** One step of a background job that holds the writer (KPI facts, rollups, transcript index), by job. */
  backgroundSteps: Histogram;
  /** Websocket handshakes refused at a connection limit, by socket (live, ingest) and reason (per_ip, per_principal). */
  wsRefused: Counter;
  /** Reads the hub, the database and the process at scrape time. */
  watch(sources: { hub: LiveHub; db: Database; startedAt: number }): void;
  /** Reads the shared event stream's follower at scrape time (scale-out only). */
  watchStream(source: { connected: () => boolean; follower: Pick<StreamFollower, 'state' | 'lag'> }): void;
  stop(): void;
};

export function createTandemMetrics(): TandemMetrics {
  const registry = new Registry();
  const stops: (() => void)[] = [];
  registry
    .gauge('tandem_build_info', 'Always 1; the version label says which Tandem is running.')
    .set(1, { version: VERSION });
  const metrics: TandemMetrics = {
    registry,
    ingestEvents: registry.counter(
      'tandem_ingest_events_total',
      'Events received, by source (via: http, websocket, an adapter platform, qa-import, demo) and outcome (accepted, duplicate, rejected, rate_limited).',
    ),
    ingestCommit: registry.histogram(
      'tandem_ingest_commit_duration_seconds',
      'Duration of one group commit of events to DuckDB (all batches waiting at that moment).',
      DURATION_BUCKETS,
    ),
    ingestCommitFailures: registry.counter(
      'tandem_ingest_commit_failures_total',
      'Group commits that failed (the producers got 503 and nothing was acknowledged).',
    ),
    backgroundSteps: registry.histogram(
      'tandem_background_step_duration_seconds',
      'One step of a background job that did work, by job (kpi_facts, kpi_rollups, transcript_index): it holds the single writer, so commits arriving meanwhile wait.',
      DURATION_BUCKETS,
    ),
    httpRequests: registry.histogram(
      'tandem_http_request_duration_seconds',
      'HTTP request duration, by route pattern, method and status class (2xx, 4xx, ...).',
      DURATION_BUCKETS,
    ),
    queries: registry.histogram(
      'tandem_query_duration_seconds',
      'Duration of KPI and executive-summary computations, by query (kpis, kpi_intervals, summary).',
      DURATION_BUCKETS,
    ),
    wsRefused: registry.counter(
      'tandem_ws_connections_refused_total',
      'Websocket handshakes answered 429 at a connection limit, by socket (live, ingest) and reason (per_ip, per_principal).',
    ),
    watch({ hub, db, startedAt }) {
      const clients = registry.gauge('tandem_live_clients', 'Wallboard websocket clients connected (/ws/live).');
      const skipped = registry.counter(
        'tandem_live_updates_skipped_total',
        'Live updates not sent to a client whose socket had too much unsent data; it gets a full snapshot once it drains.',
      );
      const slow = registry.counter(
        'tandem_live_clients_disconnected_slow_total',
        'Live clients disconnected because their socket stayed blocked past the timeout.',
      );
      const refused = registry.counter(
        'tandem_live_clients_refused_total',
        'Live connections refused because the client limit was reached.',
      );
      const buffered = registry.gauge(
        'tandem_live_buffered_bytes',
        'Bytes written to live sockets that the kernel has not taken yet (server memory held for slow clients).',
      );
      const events = registry.gauge('tandem_events_stored', 'Events in the event log.');
      const factsLag = registry.gauge(
        'tandem_kpi_facts_lag_events',
        'Events stored but not yet in the KPI facts (KPI queries bring them in first, so this is work deferred, not wrong figures).',
      );
      const indexLag = registry.gauge(
        'tandem_transcript_index_lag_events',
        'Events stored but not yet in the transcript search index.',
      );
      const scrapeErrors = registry.counter(
        'tandem_metrics_collect_errors_total',
        'Scrapes where the database could not be read for the lag gauges (they are then left out).',
      );
      registry.onCollect(async () => {
        const s = hub.stats;
        clients.set(hub.clientCount);
        buffered.set(hub.bufferedBytes);
        skipped.mirror(s.updatesSkipped);
        slow.mirror(s.slowDisconnects);
        refused.mirror(s.refused);
        try {
          const lag = await followerLag(db);
          events.set(lag.events);
          factsLag.set(lag.kpiFacts);
          indexLag.set(lag.transcriptIndex);
        } catch {
          scrapeErrors.inc();
          events.set(NaN);
          factsLag.set(NaN);
          indexLag.set(NaN);
        }
      });
      stops.push(processMetrics(registry, startedAt).stop);
    },
    watchStream({ connected, follower }) {
      const up = registry.gauge(
        'tandem_stream_connected',
        '1 while this node is connected to NATS, 0 while it reconnects.',
      );
      const position = registry.gauge(
        'tandem_stream_position',
        "The last event stream sequence stored in this node's database.",
      );
      const lag = registry.gauge(
        'tandem_stream_lag_events',
        'Events on the shared stream not yet stored by this node (its wallboards and KPIs are this far behind).',
      );
      const invalid = registry.counter(
        'tandem_stream_invalid_messages_total',
        'Messages on the event stream skipped because they were not valid events.',
      );
      const missed = registry.counter(
        'tandem_stream_missed_events_total',
        'Events the stream dropped (its age limit) before this node read them: restore the node from a backup.',
      );
      registry.onCollect(() => {
        const s = follower.state;
        up.set(connected() ? 1 : 0);
        position.set(s.position);
        lag.set(follower.lag);
        invalid.mirror(s.invalid);
        missed.mirror(s.missed);
      });
    },
    stop() {
      for (const stop of stops) stop();
    },
  };
  return metrics;
}
