/**
 * What the background steps cost as the soak's data grows, statement by statement, without HTTP or
 * clients: the simulator's events at `--rate` events per second of event time go through the real event
 * store (ten batches a second), and after each second the KPI facts and transcript index steps run, as
 * the server's background loops would. Every statement in a write transaction is timed, and so is the
 * rest of the transaction (its COMMIT, where an automatic checkpoint lands). Every `--report` simulated
 * minutes it prints the statements that took longest in all, with their mean and longest time.
 *
 * `--checkpoint-every N` also runs an explicit CHECKPOINT every N simulated seconds and times it (with
 * `--checkpoint-threshold 1GB` no automatic one interferes); `--skip facts,index,merge` leaves those steps
 * out, to see what each adds to a checkpoint.
 *
 *   npm run bench:steps -- [--minutes 14] [--rate 2000] [--report 2] [--checkpoint-threshold 16MB]
 *                          [--checkpoint-every 10] [--skip facts,index,merge]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { StoredEvent } from '../server/contract/events.ts';
import { openDatabase, type Database, type WriteTx } from '../server/db/duckdb.ts';
import { migrate } from '../server/db/migrate.ts';
import { EventStore } from '../server/ingest/event-store.ts';
import { refreshFacts } from '../server/kpi/kpi-facts.ts';
import { compactTranscriptIndex, refreshTranscriptIndex } from '../server/qa/transcript-index.ts';
import { Background } from './latency.ts';
import { isMain, machineInfo } from './lib.ts';

type Timing = { n: number; ms: number; max: number };

/** The database with every write transaction's statements timed under the current job's name. */
function timedDatabase(real: Database, note: (label: string, ms: number) => void, job: () => string): Database {
  return {
    ...real,
    write: async (fn) => {
      const started = performance.now();
      let inStatements = 0;
      const time = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
        const t0 = performance.now();
        try {
          return await run();
        } finally {
          const ms = performance.now() - t0;
          inStatements += ms;
          note(`${job()}: ${label}`, ms);
        }
      };
      const result = await real.write((tx) =>
        fn({
          query: (sql, params) => time(sql.replace(/\s+/g, ' ').slice(0, 80), () => tx.query(sql, params)),
          append: (table, ...rest) => time(`append ${table}`, () => tx.append(table, ...rest)),
        } satisfies WriteTx),
      );
      const total = performance.now() - started;
      note(`${job()}: [whole write]`, total);
      note(`${job()}: [commit and JavaScript]`, total - inStatements);
      return result;
    },
  };
}

export async function runBackgroundSteps(o: {
  minutes: number;
  rate: number;
  reportMinutes: number;
  checkpointThreshold?: string;
  checkpointEverySec?: number;
  skip?: readonly ('facts' | 'index' | 'merge')[];
  log?: (line: string) => void;
}): Promise<void> {
  const skip = new Set(o.skip ?? []);
  const log = o.log ?? console.log;
  const dir = mkdtempSync(join(tmpdir(), 'tandem-steps-'));
  const real = await openDatabase(join(dir, 'steps.duckdb'));
  try {
    await migrate(real);
    if (o.checkpointThreshold) await real.query(`SET checkpoint_threshold = '${o.checkpointThreshold}'`);
    let timings = new Map<string, Timing>();
    let job = 'ingest';
    const note = (label: string, ms: number) => {
      const t = timings.get(label) ?? { n: 0, ms: 0, max: 0 };
      t.n++;
      t.ms += ms;
      t.max = Math.max(t.max, ms);
      timings.set(label, t);
    };
    const db = timedDatabase(real, note, () => job);
    const store = new EventStore(db);
    await store.recover();
    const source = new Background('steps');
    const start = Date.now() - o.minutes * 60_000;
    const perBatch = o.rate / 10;
    for (let second = 1; second <= o.minutes * 60; second++) {
      const from = start + (second - 1) * 1000;
      job = 'ingest';
      for (let k = 0; k < 10; k++) {
        const events = source.take(perBatch, from + k * 100, from + (k + 1) * 100);
        await store.store(events.map((event) => ({ event, atMs: event.at as number }) as StoredEvent));
      }
      job = 'KPI facts';
      if (!skip.has('facts')) await refreshFacts(db);
      job = 'transcript index';
      if (!skip.has('index')) await refreshTranscriptIndex(db);
      if (!skip.has('merge')) await compactTranscriptIndex(db);
      if (o.checkpointEverySec && second % o.checkpointEverySec === 0) {
        const t0 = performance.now();
        // In the writer's turn, as an automatic one would be.
        await real.write(() => Promise.resolve());
        await real.query('CHECKPOINT');
        note('explicit CHECKPOINT', performance.now() - t0);
      }
      if (second % (o.reportMinutes * 60) === 0) {
        const [size] = await real.query<{ events: number; contacts: number }>(
          'SELECT (SELECT count(*) FROM events) AS events, (SELECT count(*) FROM kpi_contacts) AS contacts',
        );
        log(`\nminute ${second / 60}: ${size!.events} events, ${size!.contacts} contacts`);
        log('   mean ms  longest ms  times  statement');
        const top = [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
        for (const [label, t] of top) {
          log(
            `${(t.ms / t.n).toFixed(1).padStart(10)} ${t.max.toFixed(0).padStart(11)} ${String(t.n).padStart(6)}  ${label}`,
          );
        }
        timings = new Map();
      }
    }
  } finally {
    await real.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '14' },
      rate: { type: 'string', default: '2000' },
      report: { type: 'string', default: '2' },
      'checkpoint-threshold': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      skip: { type: 'string', default: '' },
    },
  });
  const skip = values.skip.split(',').filter(Boolean);
  for (const s of skip) if (!['facts', 'index', 'merge'].includes(s)) throw new Error(`--skip: unknown step "${s}"`);
  console.log(JSON.stringify(machineInfo()));
  await runBackgroundSteps({
    minutes: Number(values.minutes),
    rate: Number(values.rate),
    reportMinutes: Number(values.report),
    ...(values['checkpoint-threshold'] ? { checkpointThreshold: values['checkpoint-threshold'] } : {}),
    ...(values['checkpoint-every'] ? { checkpointEverySec: Number(values['checkpoint-every']) } : {}),
    skip: skip as ('facts' | 'index' | 'merge')[],
  });
}
