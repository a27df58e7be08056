/**
 * Reads the shared event stream into this node's database (scale-out, docs/scaling.md). Every node runs
 * one, so every node stores the same events in the same order and its live state and KPIs follow.
 *
 * Exactly once into the database: the stream position is saved in the same commit as the events it
 * covers (EventStore with a position), and reading resumes after the saved one. One batch is written at
 * a time, so a failed commit can never be overtaken by a later one: after a failure the reader stops and
 * starts again from what the database holds.
 */
import type { Logger } from 'pino';
import { checkEvent, type StoredEvent } from '../contract/events.ts';
import type { Database } from '../db/duckdb.ts';
import type { EventStore } from '../ingest/event-store.ts';
import { RECEIVED_HEADER, type NatsEventLog, type StreamTail } from './nats-event-log.ts';

/** Above this many events read but not yet written, reading waits for the writer. */
const MAX_BUFFERED = 20_000;
const RETRY_MS = [250, 500, 1000, 2000, 5000] as const;
/** How often an idle follower asks the stream how long it is (the lag on /metrics and /api/health). */
const TAIL_EVERY_MS = 5000;

export type FollowerState = {
  /** The last stream sequence stored in this node's database. */
  position: number;
  /** The stream's last sequence, as last seen. */
  streamLast: number;
  /** Events the stream dropped (its age limit) before this node read them: restore from a backup. */
  missed: number;
  /** Messages on the stream that were not valid events (skipped; never from a Tandem node). */
  invalid: number;
  /** The last failure to read or store, cleared by the next stored batch. */
  failing: string | null;
};

type Stoppable = { stop(err?: Error): void };

export class StreamFollower {
  #log: NatsEventLog;
  #store: EventStore;
  #db: Database;
  #logger: Logger;
  #stopped = false;
  #messages: Stoppable | null = null;
  #loop: Promise<void> | null = null;
  #waiters: { seq: number; resolve: () => void }[] = [];
  #tailTimer: NodeJS.Timeout | null = null;
  #unsubscribe: (() => void) | null = null;
  #state: FollowerState = { position: 0, streamLast: 0, missed: 0, invalid: 0, failing: null };

  constructor(log: NatsEventLog, store: EventStore, db: Database, logger: Logger) {
    this.#log = log;
    this.#store = store;
    this.#db = db;
    this.#logger = logger;
  }

  get state(): Readonly<FollowerState> {
    return this.#state;
  }

  /** Events on the stream this node has not stored yet. */
  get lag(): number {
    return Math.max(0, this.#state.streamLast - this.#state.position);
  }

  start(): void {
    // Reading resumes from the database after a reconnection (see NatsEventLog.onReconnect).
    this.#unsubscribe = this.#log.onReconnect(() => this.#messages?.stop());
    this.#loop ??= this.#run();
    this.#tailTimer = setInterval(() => {
      void this.#log
        .tail()
        .then((t) => this.#seeTail(t))
        .catch(() => undefined);
    }, TAIL_EVERY_MS);
    this.#tailTimer.unref();
  }

  /** Resolves once the database holds the stream up to `seq`. */
  reached(seq: number): Promise<void> {
    if (this.#state.position >= seq) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ seq, resolve }));
  }

  /** Reads the stream's tail now and waits until this node has stored up to it. */
  async catchUp(onProgress?: (state: FollowerState) => void): Promise<void> {
    const tail = await this.#log.tail();
    this.#seeTail(tail);
    const progress = onProgress ? setInterval(() => onProgress(this.#state), 5000) : null;
    try {
      await this.reached(tail.lastSeq);
    } finally {
      if (progress) clearInterval(progress);
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#tailTimer) clearInterval(this.#tailTimer);
    this.#messages?.stop();
    await this.#loop;
  }

  #seeTail(tail: StreamTail): void {
    this.#state.streamLast = Math.max(this.#state.streamLast, tail.lastSeq);
  }

  async #savedPosition(): Promise<number> {
    const [row] = await this.#db.query<{ seq: number }>('SELECT seq FROM stream_positions WHERE stream = ?', [
      this.#log.stream,
    ]);
    return row?.seq ?? 0;
  }

  async #run(): Promise<void> {
    let attempt = 0;
    while (!this.#stopped) {
      try {
        await this.#follow();
        attempt = 0;
      } catch (err) {
        this.#state.failing = (err as Error).message;
        this.#logger.error({ err }, 'reading the shared event stream failed; starting again from the database');
        const wait = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  /** One reading session: from the saved position until stopped or something fails. */
  async #follow(): Promise<void> {
    let from = await this.#savedPosition();
    const tail = await this.#log.tail();
    this.#seeTail(tail);
    if (from > tail.lastSeq) {
      // The stream was deleted and made again: its sequences started over. Ids keep the store idempotent.
      this.#logger.warn(
        { saved: from, streamLast: tail.lastSeq },
        'the event stream is shorter than this node has read: it was recreated; reading it from its start',
      );
      from = 0;
      this.#state.streamLast = tail.lastSeq;
    }
    this.#state.position = from;
    this.#release();

    let buffer: StoredEvent[] = [];
    let bufferedTo = from;
    let writing: Promise<void> | null = null;
    let failed: unknown = null;
    const messages = await this.#log.read(from + 1);
    this.#messages = messages;
    if (this.#stopped) messages.stop();

    const write = async () => {
      while (buffer.length > 0 || bufferedTo > this.#state.position) {
        const batch = buffer;
        const seq = bufferedTo;
        buffer = [];
        await this.#store.store(batch, { stream: this.#log.stream, seq });
        this.#state.position = seq;
        this.#state.failing = null;
        this.#release();
      }
    };
    const kick = () => {
      writing ??= write()
        .catch((err: unknown) => {
          failed = err;
          messages.stop();
        })
        .finally(() => {
          writing = null;
        });
      return writing;
    };

    for await (const m of messages) {
      if (failed) break;
      this.#state.streamLast = Math.max(this.#state.streamLast, m.seq + m.info.pending);
      if (m.seq > bufferedTo + 1) this.#missed(m.seq - bufferedTo - 1, bufferedTo);
      const event = this.#parse(m.string(), Number(m.headers?.get(RECEIVED_HEADER)), m.seq);
      if (event) buffer.push(event);
      bufferedTo = m.seq;
      if (buffer.length >= MAX_BUFFERED) await kick();
      else void kick();
    }
    while (writing) await writing;
    if (failed) throw failed;
  }

  /**
   * Sequences skipped between what this node holds and the next message it gets: the stream dropped
   * them (its age limit) before this node read them. Reading goes on; the node's figures lack them.
   */
  #missed(count: number, after: number): void {
    this.#state.missed += count;
    this.#logger.error(
      { missed: count, after },
      'the event stream no longer holds events this node never read (past its age limit): restore this node from a backup of another',
    );
  }

  /** The stored event of a message, or null (logged, counted) when it is not a valid event. */
  #parse(body: string, receivedMs: number, seq: number): StoredEvent | null {
    const received = Number.isFinite(receivedMs) && receivedMs > 0 ? receivedMs : Date.now();
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      value = undefined;
    }
    // Whoever can publish on the subject can put anything there: checked like any producer's event.
    const check = value === undefined ? null : checkEvent(value, received);
    if (!check?.ok) {
      this.#state.invalid++;
      this.#logger.warn(
        { seq, errors: check && !check.ok ? check.errors.slice(0, 3) : 'not JSON' },
        'skipped a message on the event stream that is not a valid event',
      );
      return null;
    }
    return { ...check.value, json: body, receivedMs: received };
  }

  #release(): void {
    const position = this.#state.position;
    this.#waiters = this.#waiters.filter((w) => {
      if (w.seq > position) return true;
      w.resolve();
      return false;
    });
  }
}
