/**
 * Durable, idempotent event storage with group commit.
 * Concurrent callers' batches are queued and flushed together in one transaction: the appender
 * writes straight into `events`; only when an id is already stored (the primary key fails the
 * transaction, which rolls back) does the batch go through `events_incoming` and
 * INSERT .. ON CONFLICT DO NOTHING. A caller's promise resolves only after the COMMIT, so an
 * acknowledgement means "on disk".
 */
import type { StoredEvent } from '../contract/events.ts';
import type { AppendRow, ColumnKind, Database, WriteTx } from '../db/duckdb.ts';

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

  constructor(db: Database, options: EventStoreOptions = {}) {
    this.#db = db;
    this.#delay = options.flushDelayMs ?? 2;
    this.#onCommitted = options.onCommitted;
    this.#onFlushed = options.onFlushed;
  }

  /** Re-inserts rows left in the incoming table by a crash mid-flush (none were acknowledged). */
  async recover(): Promise<number> {
    return this.#db.write(async (tx) => {
      const rows = await tx.query<{ n: number }>(
        'INSERT INTO events SELECT * FROM events_incoming ON CONFLICT DO NOTHING RETURNING 1 AS n',
      );
      await tx.query('DELETE FROM events_incoming');
      return rows.length;
    });
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
    // Batches are flushed in the order they came, so the last position of a stream is its furthest.
    const positions = new Map<string, number>();
    for (const p of batch) {
      if (p.position) positions.set(p.position.stream, p.position.seq);
      for (const se of p.events) {
        if (seen.has(se.event.id)) continue;
        seen.add(se.event.id);
        rows.push(rowOf(se, now));
      }
    }
    const started = performance.now();
    const flushed = (ok: boolean, error?: unknown) =>
      this.#onFlushed?.({ rows: rows.length, seconds: (performance.now() - started) / 1000, ok, error });
    try {
      const insertedIds = await this.#insert(rows, [...positions]);
      flushed(true);
      const committed: StoredEvent[] = [];
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
      for (const p of batch) p.reject(err);
    }
  }

  /**
   * Appends straight into `events` (the fast path: no staging copy); if an id is already stored the
   * primary key fails the whole transaction, which rolls back, and the batch goes through the staging
   * table with ON CONFLICT DO NOTHING instead. Returns the ids that were new.
   */
  async #insert(rows: AppendRow[], positions: [string, number][]): Promise<Set<string>> {
    const savePositions = async (tx: WriteTx) => {
      for (const [stream, seq] of positions) {
        await tx.query(
          'INSERT INTO stream_positions VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq',
          [stream, seq],
        );
      }
    };
    try {
      await this.#db.write(async (tx) => {
        if (rows.length) await tx.append('events', COLUMNS, rows);
        await savePositions(tx);
      });
      return new Set(rows.map((r) => r[0] as string));
    } catch (err) {
      if (!/constraint|duplicate key/i.test(String((err as Error).message))) throw err;
    }
    return this.#db.write(async (tx) => {
      await tx.append('events_incoming', COLUMNS, rows);
      const ids = await tx.query<{ id: string }>(
        'INSERT INTO events SELECT * FROM events_incoming ON CONFLICT DO NOTHING RETURNING id',
      );
      await tx.query('DELETE FROM events_incoming');
      await savePositions(tx);
      return new Set(ids.map((r) => r.id));
    });
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
