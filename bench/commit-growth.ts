/**
 * Does a commit get slower as the event log grows? The real event store (group commit, duplicate check)
 * appends batches of 200 events one after another into a DuckDB file already holding N events, with
 * DuckDB's default automatic checkpoints, for two layouts of `events`: with the primary key it had up to
 * migration 016, and without (now). Reports each commit's time (p50, p99, max: a checkpoint lands in one
 * commit and every commit waiting behind it), the fingerprint load at start-up, and migration 016's
 * copy of the log.
 *
 *   npm run bench:commits -- [--sizes 500000,1000000,2000000,4000000] [--batches 600]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type Database } from '../server/db/duckdb.ts';
import { migrate, MIGRATIONS_DIR } from '../server/db/migrate.ts';
import { EventStore } from '../server/ingest/event-store.ts';
import type { StoredEvent } from '../server/contract/events.ts';
import { isMain, machineInfo, median, percentile, round, table } from './lib.ts';

type Layout = 'primary key' | 'no key';

export type CommitGrowthRow = {
  layout: Layout;
  events: number;
  loadIdsSec: number;
  commitMs: { p50: number; p99: number; max: number; over100: number };
  migrateSec: number | null;
};

const COLUMNS_SQL = `id VARCHAR NOT NULL, type VARCHAR NOT NULL, at_ms BIGINT NOT NULL, received_ms BIGINT NOT NULL,
  contact_id VARCHAR, agent_id VARCHAR, queue VARCHAR, body JSON NOT NULL, outcome VARCHAR, reason VARCHAR,
  channel VARCHAR, customer_id VARCHAR, state VARCHAR, team VARCHAR`;

/** The log as it was before migration 016, keyed by id. */
async function withPrimaryKey(db: Database): Promise<void> {
  await db.write(async (tx) => {
    await tx.query('DROP TABLE events');
    await tx.query(`CREATE TABLE events (${COLUMNS_SQL.replace('id VARCHAR NOT NULL', 'id VARCHAR PRIMARY KEY')})`);
  });
}

/** Grows the log to `target` events in steps of 500,000, as many commits would (the index grows by parts). */
async function grow(db: Database, from: number, target: number): Promise<void> {
  for (let n = from; n < target; n += 500_000) {
    const to = Math.min(target, n + 500_000);
    await db.write((tx) =>
      tx.query(
        `INSERT INTO events SELECT uuid()::VARCHAR, 'contact.started',
           1700000000000 + i * 10, 1700000000000 + i * 10, 'c-' || i, NULL, 'billing',
           ('{"type":"contact.started","contactId":"c-' || i || '","channel":"chat"}')::JSON,
           NULL, NULL, 'chat', 'cust-' || (i % 50000), NULL, NULL
         FROM range(?, ?) t(i)`,
        [n, to],
      ),
    );
  }
  await db.query('CHECKPOINT');
}

/** Ids as most platforms make them, random (UUIDs): each lands somewhere else in an index. */
const batchOf = (k: number, at: number): StoredEvent[] =>
  Array.from({ length: 200 }, (_, i) => {
    const id = randomUUID();
    return { event: { id, type: 'contact.started', at, contactId: `n-${k}-${i}`, channel: 'chat' }, atMs: at };
  });

export async function runCommitGrowth(
  sizes: number[],
  batches: number,
  log: (line: string) => void = console.log,
): Promise<CommitGrowthRow[]> {
  const rows: CommitGrowthRow[] = [];
  for (const layout of ['primary key', 'no key'] as Layout[]) {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-commits-'));
    const db = await openDatabase(join(dir, 'bench.duckdb'));
    try {
      await migrate(db);
      if (layout === 'primary key') await withPrimaryKey(db);
      let have = 0;
      for (const size of sizes) {
        await grow(db, have, size);
        have = size;
        const store = new EventStore(db);
        const t0 = performance.now();
        await store.recover();
        const loadIdsSec = (performance.now() - t0) / 1000;
        const times: number[] = [];
        for (let k = 0; k < batches; k++) {
          const started = performance.now();
          await store.store(batchOf(have + k, Date.now()));
          times.push(performance.now() - started);
        }
        have += batches * 200;
        times.sort((a, b) => a - b);
        const row: CommitGrowthRow = {
          layout,
          events: size,
          loadIdsSec: round(loadIdsSec, 2),
          commitMs: {
            p50: round(median(times)),
            p99: round(percentile(times, 99)),
            max: round(times.at(-1)!),
            over100: times.filter((t) => t > 100).length,
          },
          migrateSec: null,
        };
        log(`${layout}, ${size} events: ${JSON.stringify(row.commitMs)}, ids loaded in ${row.loadIdsSec} s`);
        rows.push(row);
      }
      if (layout === 'primary key') {
        const sql = readFileSync(join(MIGRATIONS_DIR, '016_events_without_key.sql'), 'utf8');
        const t0 = performance.now();
        await db.write((tx) => tx.query(sql));
        rows.at(-1)!.migrateSec = round((performance.now() - t0) / 1000, 2);
        log(`migration 016 on ${have} events: ${rows.at(-1)!.migrateSec} s`);
      }
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '500000,1000000,2000000,4000000' },
      batches: { type: 'string', default: '600' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const rows = await runCommitGrowth(sizes, Number(values.batches));
  console.log(JSON.stringify(machineInfo()));
  console.log(
    table([
      ['layout', 'events', 'commit p50 ms', 'p99 ms', 'max ms', 'commits > 100 ms', 'ids loaded s', 'migration 016 s'],
      ...rows.map((r) => [
        r.layout,
        r.events,
        r.commitMs.p50,
        r.commitMs.p99,
        r.commitMs.max,
        r.commitMs.over100,
        r.loadIdsSec,
        r.migrateSec ?? '',
      ]),
    ]),
  );
}
