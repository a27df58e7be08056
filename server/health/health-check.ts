/**
 * What /api/health reports: each part of the server that can fail on its own, and which of them are
 * degraded now. `down` (HTTP 503) when a critical part fails, the database being unreadable or refusing
 * writes: events could not be acknowledged. `degraded` (HTTP 200) when the server still does its job but
 * something lags or waits: a load balancer keeps sending traffic, an operator looks.
 */
import type { Database } from '../db/duckdb.ts';
import { followerLag, type FollowerLag } from '../ingest/follower-lag.ts';
import { probeWrites, PROBE_TIMEOUT_MS } from './write-probe.ts';

/**
 * Events behind before a background follower counts as degraded. The facts follower normally trails by
 * one commit's worth (seconds); KPI queries catch up first, so a large lag costs time, not correctness.
 * The transcript index is rebuilt after upgrades, which can take a while on a large history.
 */
export const LAG_THRESHOLDS = { kpiFacts: 50_000, transcriptIndex: 200_000 } as const;

export type Degraded = {
  part: 'database' | 'kpiFacts' | 'transcriptIndex' | 'eventStream';
  reason: string;
  critical: boolean;
};

/** Events behind the shared stream before a node counts as degraded (scale-out): a few seconds of ingest. */
export const STREAM_LAG_THRESHOLD = 10_000;

/** The shared event stream as this node sees it (scale-out only). */
export type StreamHealth = { connected: boolean; lag: number; missed: number; failing: string | null };

export type Health = {
  status: 'ok' | 'degraded' | 'down';
  degraded: Degraded[];
  /** null when the database could not be read. */
  lag: FollowerLag | null;
  writes: 'ok' | 'busy' | 'failed' | 'unknown';
};

export async function checkHealth(
  db: Database,
  log: { error(o: object, m: string): void },
  stream: StreamHealth | null = null,
): Promise<Health> {
  const degraded: Degraded[] = [];
  if (stream) degraded.push(...streamDegraded(stream));
  let lag: FollowerLag | null = null;
  try {
    lag = await followerLag(db);
  } catch (err) {
    log.error({ err }, 'health check: the database could not be read');
    degraded.push({ part: 'database', reason: 'the database could not be read', critical: true });
  }
  let writes: Health['writes'] = 'unknown';
  if (lag) {
    const probe = await probeWrites(db);
    writes = probe.status;
    if (probe.status === 'failed') {
      log.error({ err: probe.error }, 'health check: the database refused a write');
      degraded.push({ part: 'database', reason: 'the database refused a write', critical: true });
    } else if (probe.status === 'busy') {
      degraded.push({
        part: 'database',
        reason: `a write waited more than ${PROBE_TIMEOUT_MS / 1000} s for the writer (heavy ingest or a long refresh)`,
        critical: false,
      });
    }
    if (lag.kpiFacts > LAG_THRESHOLDS.kpiFacts) {
      degraded.push({
        part: 'kpiFacts',
        reason: `KPI facts are ${lag.kpiFacts} events behind the log (threshold ${LAG_THRESHOLDS.kpiFacts})`,
        critical: false,
      });
    }
    if (lag.transcriptIndex > LAG_THRESHOLDS.transcriptIndex) {
      degraded.push({
        part: 'transcriptIndex',
        reason: `the transcript index is ${lag.transcriptIndex} events behind the log (threshold ${LAG_THRESHOLDS.transcriptIndex})`,
        critical: false,
      });
    }
  }
  const status = degraded.some((d) => d.critical) ? 'down' : degraded.length ? 'degraded' : 'ok';
  return { status, degraded, lag, writes };
}

/**
 * Without NATS this node can take no event (ingest publishes first): critical. Lagging or failing to
 * store what it reads leaves its figures behind the other nodes': degraded. Missed events (the stream
 * dropped them before this node read them) stay until the node is restored: degraded, named.
 */
function streamDegraded(s: StreamHealth): Degraded[] {
  const out: Degraded[] = [];
  if (!s.connected) {
    out.push({ part: 'eventStream', reason: 'not connected to NATS: events cannot be acknowledged', critical: true });
  }
  if (s.failing) {
    out.push({
      part: 'eventStream',
      reason: 'storing events read from the stream is failing (see the log)',
      critical: false,
    });
  }
  if (s.lag > STREAM_LAG_THRESHOLD) {
    out.push({
      part: 'eventStream',
      reason: `this node is ${s.lag} events behind the shared stream (threshold ${STREAM_LAG_THRESHOLD})`,
      critical: false,
    });
  }
  if (s.missed > 0) {
    out.push({
      part: 'eventStream',
      reason: `${s.missed} events left the stream before this node read them: restore it from another node's backup`,
      critical: false,
    });
  }
  return out;
}
