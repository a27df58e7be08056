/**
 * Durable, idempotent event storage with group commit.
 * Concurrent callers' batches are queued and flushed together in one transaction, appended straight into
 * `events`. An id is stored once: the ids of a flush are first checked against fingerprints of every
 * stored id, kept in memory (id-fingerprints.ts), and only those that may be stored are looked up in the
 * table (resends, in practice). A caller's promise resolves only after the COMMIT, so an acknowledgement
 * means "on disk".
 */
import type { StoredEvent } from '../contract/events.ts';
import type { AppendRow, ColumnKind, Database, WriteTx } from '../db/duckdb.ts';
import { fingerprint, fingerprintSql, IdFingerprints } from './id-fingerprints.ts';

export type StoreResult = { inserted: StoredEvent[]; duplicates: number };

/** Where a batch read from the shared event stream ends (scale-out): saved in the batch's own commit. */
export type StreamPosition = { stream: string; seq: number };

/** What ingest hands accepted events to: this store, or the shared stream when the node is one of several. */
export type EventSink = { store(events: StoredEvent[]): Promise<StoreResult> };

/** id, type, at_ms, received_ms, contact_id, agent_id, queue, body, then the fields KPI queries read as columns. */
export const COLUMNS: ColumnKind[] = [
  'varchar',
  'varchar',
  'bigint',
  'bigint',
  ...Array<ColumnKind>(10).fill('varchar'),
];

/** Events of failed flushes kept to look up (below, #uncertain); past this a long outage keeps no more. */
const MAX_UNCERTAIN = 100_000;

const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

type Pending = {
  events: StoredEvent[];
  position?: StreamPosition;
  resolve: (r: StoreResult) => void;
  reject: (e: unknown) => void;
};

export type EventStoreOptions = {
  /** How long the first batch waits for company before a flush, ms. */
  flushDelayMs?: number;
  /** Called after every commit with the newly stored events, in commit order. */
  onCommitted?: (events: StoredEvent[]) => void;
  /** Told how long each group commit took, and whether it failed and why (for the metrics and the log). */
  onFlushed?: (flush: { rows: number; seconds: number; ok: boolean; error?: unknown }) => void;
};

export function rowOf({ event, atMs, json, receivedMs: received }: StoredEvent, receivedMs: number): AppendRow {
  const e = event as Record<string, unknown>;
  return [
    event.id,
    event.type,
    atMs,
    received ?? receivedMs,
    // Not every type has these fields in the contract; on the others they are free extra fields, of any type.
    text(e.contactId),
    text(e.agentId),
    text(e.queue),
    json ?? JSON.stringify(event),
    // See data/migrations/004_event_columns.sql.
    text(e.outcome),
    text(e.reason),
    text(e.channel),
    text(e.customerId),
    text(e.state),
    text(e.team),
  ];
}

export class EventStore {
  #db: Database;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #delay: number;
  #onCommitted?: (events: StoredEvent[]) => void;
  #onFlushed: EventStoreOptions['onFlushed'];
  /** Null until loaded, and again after a failed flush: the next flush loads them from what was committed. */
  #ids: IdFingerprints | null = null;
  /**
   * Events of failed flushes: a commit can fail after its write (the checkpoint that follows it, on a full
   * disk), so some may be stored though their producers were refused. The next flush that commits looks
   * them up and hands those it finds to `onCommitted`, so the live state has every stored event once.
   */
  #uncertain: { event: StoredEvent; row: AppendRow }[] = [];

  constructor(db: Database, options: EventStoreOptions = {}) {
    this.#db = db;
    this.#delay = options.flushDelayMs ?? 2;
    this.#onCommitted = options.onCommitted;
    this.#onFlushed = options.onFlushed;
  }

  /**
   * Re-inserts rows left in the incoming table by an interrupted commit of an earlier version (none were
   * acknowledged), then loads the stored ids' fingerprints, so that the first flush does not wait for them.
   */
  async recover(): Promise<number> {
    const [left] = await this.#db.query<{ n: number }>('SELECT count(*) AS n FROM events_incoming');
    let recovered = 0;
    if (left!.n > 0) {
      recovered = await this.#db.write(async (tx) => {
        const rows = await tx.query<{ n: number }>(
          `INSERT INTO events SELECT * FROM events_incoming WHERE id NOT IN (SELECT id FROM events)
           QUALIFY row_number() OVER (PARTITION BY id ORDER BY rowid) = 1 ORDER BY rowid RETURNING 1 AS n`,
        );
        await tx.query('DELETE FROM events_incoming');
        return rows.length;
      });
    }
    this.#ids = await this.#loadIds();
    return recovered;
  }

  /** How many ids the duplicate check knows (0 before `recover`). */
  get storedIds(): number {
    return this.#ids?.size ?? 0;
  }

  #loadIds(): Promise<IdFingerprints> {
    return this.#db
      .readDoubles(`SELECT ${fingerprintSql('id')} AS f FROM events ORDER BY f`)
      .then((sorted) => new IdFingerprints(sorted));
  }

  /**
   * Stores a batch; resolves after commit with the events that were new (in input order). `position`
   * (a batch read from the shared stream) is saved in the same commit.
   */
  store(events: StoredEvent[], position?: StreamPosition): Promise<StoreResult> {
    if (events.length === 0 && !position) return Promise.resolve({ inserted: [], duplicates: 0 });
    return new Promise((resolve, reject) => {
      this.#pending.push({ events, ...(position ? { position } : {}), resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer || this.#flushing) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // An exclusive section holds the store; it schedules the pending batches when it ends.
      if (this.#flushing) return;
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = null;
        if (this.#pending.length > 0) this.#schedule();
      });
    }, this.#delay);
  }

  async #flush(): Promise<void> {
    const batch = this.#pending;
    this.#pending = [];
    const now = Date.now();
    // Within one flush the first occurrence of an id wins; later ones are duplicates.
    const seen = new Set<string>();
    const rows: AppendRow[] = [];
    const flushedEvents: StoredEvent[] = [];
    // Batches are flushed in the order they came, so the last position of a stream is its furthest.
    const positions = new Map<string, number>();
    for (const p of batch) {
      if (p.position) positions.set(p.position.stream, p.position.seq);
      for (const se of p.events) {
        if (seen.has(se.event.id)) continue;
        seen.add(se.event.id);
        rows.push(rowOf(se, now));
        flushedEvents.push(se);
      }
    }
    const started = performance.now();
    const flushed = (ok: boolean, error?: unknown) =>
      this.#onFlushed?.({ rows: rows.length, seconds: (performance.now() - started) / 1000, ok, error });
    try {
      const uncertain = this.#uncertain;
      const { insertedIds, landed } = await this.#insert(rows, [...positions], uncertain);
      // Flushes never overlap, so nothing joined the list meanwhile.
      this.#uncertain = [];
      flushed(true);
      const committed: StoredEvent[] = [...landed];
      for (const p of batch) {
        const inserted: StoredEvent[] = [];
        for (const se of p.events) {
          if (insertedIds.delete(se.event.id)) inserted.push(se);
        }
        committed.push(...inserted);
        p.resolve({ inserted, duplicates: p.events.length - inserted.length });
      }
      this.#onCommitted?.(committed);
    } catch (err) {
      flushed(false, err);
      if (this.#uncertain.length < MAX_UNCERTAIN) {
        flushedEvents.forEach((event, i) => this.#uncertain.push({ event, row: rows[i]! }));
      }
      for (const p of batch) p.reject(err);
    }
  }

  /**
   * Appends the rows whose ids are not stored yet; returns their ids. Only ids whose fingerprint is known
   * are looked up, first among events of the same times (a resend is the same event: the look-up reads
   * only the row groups of those times), the rest in the whole table (an id sent again with another time).
   */
  async #insert(
    rows: AppendRow[],
    positions: [string, number][],
    uncertain: readonly { event: StoredEvent; row: AppendRow }[],
  ): Promise<{ insertedIds: Set<string>; landed: StoredEvent[] }> {
    const ids = (this.#ids ??= await this.#loadIds());
    const prints = rows.map((r) => fingerprint(r[0] as string));
    // The fingerprints were loaded again after the flush that failed, so its events that were stored
    // have known fingerprints like any other: one look-up settles them and this flush's resends.
    const landedMaybe = uncertain.filter((u) => ids.has(fingerprint(u.event.event.id)));
    const maybe = rows.filter((_, i) => ids.has(prints[i]!));
    try {
      const { stored, fresh } = await this.#db.write(async (tx) => {
        const lookUp = [...landedMaybe.map((u) => u.row), ...maybe];
        const stored = lookUp.length > 0 ? await storedAmong(tx, lookUp) : new Set<string>();
        const fresh = stored.size > 0 ? rows.filter((r) => !stored.has(r[0] as string)) : rows;
        if (fresh.length) await tx.append('events', COLUMNS, fresh);
        for (const [stream, seq] of positions) {
          await tx.query(
            'INSERT INTO stream_positions VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq',
            [stream, seq],
          );
        }
        return { stored, fresh };
      });
      ids.add(fresh === rows ? prints : prints.filter((_, i) => !stored.has(rows[i]![0] as string)));
      return {
        insertedIds: new Set(fresh.map((r) => r[0] as string)),
        landed: landedMaybe.filter((u) => stored.has(u.event.event.id)).map((u) => u.event),
      };
    } catch (err) {
      // Whether anything was committed is not known for sure (a commit can fail after its write):
      // the fingerprints are loaded again from the table before the next flush.
      this.#ids = null;
      throw err;
    }
  }

  /**
   * Runs `fn` while no flush is in progress or can start: nothing is committed, and no commit's
   * listener runs, until it ends. Producers' batches wait meanwhile and are flushed after.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#flushing) await this.#flushing;
    const run = fn();
    const held = run.then(
      () => undefined,
      () => undefined,
    );
    this.#flushing = held.finally(() => {
      this.#flushing = null;
      if (this.#pending.length > 0) this.#schedule();
    });
    return run;
  }

  /** Waits until everything queued so far is committed. */
  async drain(): Promise<void> {
    while (this.#pending.length > 0 || this.#flushing || this.#timer) {
      if (this.#flushing) await this.#flushing;
      else await new Promise((r) => setTimeout(r, this.#delay + 1));
    }
  }
}

/** Which of these rows' ids are already in `events`. */
async function storedAmong(tx: WriteTx, rows: readonly AppendRow[]): Promise<Set<string>> {
  const idList = (rs: readonly AppendRow[]) => rs.map(() => '?').join(', ');
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, r[2] as number);
    hi = Math.max(hi, r[2] as number);
  }
  const found = await tx.query<{ id: string }>(
    `SELECT id FROM events WHERE at_ms BETWEEN ? AND ? AND id IN (${idList(rows)})`,
    [lo, hi, ...rows.map((r) => r[0] as string)],
  );
  const stored = new Set(found.map((r) => r.id));
  const rest = rows.filter((r) => !stored.has(r[0] as string));
  if (rest.length > 0) {
    const more = await tx.query<{ id: string }>(
      `SELECT id FROM events WHERE id IN (${idList(rest)})`,
      rest.map((r) => r[0] as string),
    );
    for (const r of more) stored.add(r.id);
  }
  return stored;
}
