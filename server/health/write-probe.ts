/**
 * Whether the database still takes writes (disk full, file made read-only, a failed volume): one tiny
 * write transaction, at most every PROBE_INTERVAL_MS per database, so a load balancer asking every
 * second does not add a write a second. Writes queue behind ingest commits and the background refreshes
 * (one writer, duckdb.ts), so a probe that waits long says "busy", which is not the same as "broken".
 */
import type { Database } from '../db/duckdb.ts';

export type WriteProbeResult = { status: 'ok' } | { status: 'busy' } | { status: 'failed'; error: string };

const PROBE_INTERVAL_MS = 10_000;
export const PROBE_TIMEOUT_MS = 3000;

type Probe = { at: number; result: Promise<WriteProbeResult> };
const probes = new WeakMap<Database, Probe>();

export function probeWrites(db: Database, now = Date.now()): Promise<WriteProbeResult> {
  const last = probes.get(db);
  if (last && now - last.at < PROBE_INTERVAL_MS) return last.result;
  const result = run(db, now);
  probes.set(db, { at: now, result });
  return result;
}

async function run(db: Database, now: number): Promise<WriteProbeResult> {
  // Created here rather than by a migration: it holds nothing but the probe's own row, and the check
  // must work on any database, whatever its schema version.
  const write = db
    .write(async (tx) => {
      await tx.query('CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY, at_ms BIGINT NOT NULL)');
      await tx.query('INSERT OR REPLACE INTO health_probe VALUES (1, ?)', [now]);
    })
    .then(
      (): WriteProbeResult => ({ status: 'ok' }),
      (err: unknown): WriteProbeResult => ({ status: 'failed', error: (err as Error).message }),
    );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<WriteProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'busy' }), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([write, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
