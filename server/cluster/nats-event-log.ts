/**
 * The shared event log of a scale-out (docs/scaling.md): one NATS JetStream stream. Ingest on any node
 * publishes each accepted event to it and acknowledges the producer only once JetStream has stored them
 * all; every node reads the stream back into its own database (stream-follower.ts). This is the only
 * module that talks to NATS.
 *
 * Each event is its own message with the event id as `Nats-Msg-Id`, so JetStream drops a resend inside
 * its duplicate window; past the window each node's primary key still stores the event once.
 */
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import {
  DeliverPolicy,
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import type { Logger } from 'pino';
import type { StoredEvent } from '../contract/events.ts';
import type { EventSink, StoreResult } from '../ingest/event-store.ts';

/** The header that carries when the first node received the event, so every node stores the same row. */
export const RECEIVED_HEADER = 'Tandem-Received-Ms';

export type EventLogOptions = {
  url: string;
  /** The JetStream stream's name; its subject is `<stream>.events`. */
  stream: string;
  /** How long the stream keeps events: a node down longer than this must be restored from a backup. */
  maxAgeDays: number;
  /** How long JetStream remembers an event id to drop resends. */
  duplicateWindowSeconds: number;
  /** Copies JetStream keeps of each event (1 on a single NATS server; 3 on a cluster of three). */
  replicas: number;
  /** How long to wait for JetStream to confirm a publish before the batch is refused (503). */
  publishTimeoutMs?: number;
  log: Logger;
};

/** The log could not take or confirm the events: the producer is told 503 and sends them again. */
export class EventLogUnavailable extends Error {
  constructor(cause: unknown) {
    super(`event log unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'EventLogUnavailable';
  }
}

export type StreamTail = { firstSeq: number; lastSeq: number; messages: number };

const NANOS = 1_000_000_000;

export class NatsEventLog implements EventSink {
  readonly stream: string;
  readonly subject: string;
  #nc: NatsConnection;
  #js: JetStreamClient;
  #jsm: JetStreamManager;
  #timeout: number;
  #connected = true;
  #onReconnect = new Set<() => void>();

  private constructor(nc: NatsConnection, jsm: JetStreamManager, options: EventLogOptions) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.stream = options.stream;
    this.subject = `${options.stream}.events`;
    this.#timeout = options.publishTimeoutMs ?? 5000;
  }

  /** Connects and makes sure the stream exists. Fails at once when NATS cannot be reached: a wrong address. */
  static async open(options: EventLogOptions): Promise<NatsEventLog> {
    const { log } = options;
    let nc: NatsConnection;
    try {
      nc = await connect({
        servers: options.url.split(',').map((s) => s.trim()),
        name: 'tandem',
        // Once up, a node keeps trying for ever: NATS restarting must not take the node down with it.
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
      });
    } catch (err) {
      throw new Error(`cannot reach NATS at ${options.url} (TANDEM_NATS_URL): ${(err as Error).message}`, {
        cause: err,
      });
    }
    const jsm = await jetstreamManager(nc);
    const self = new NatsEventLog(nc, jsm, options);
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') {
          self.#connected = false;
          log.warn({ nats: options.url }, 'lost the connection to NATS; reconnecting');
        } else if (s.type === 'reconnect') {
          self.#connected = true;
          log.info({ nats: options.url }, 'reconnected to NATS');
          for (const fn of self.#onReconnect) fn();
        }
      }
    })().catch(() => undefined);
    await self.#ensureStream(options);
    return self;
  }

  async #ensureStream(options: EventLogOptions): Promise<void> {
    try {
      const info = await this.#jsm.streams.info(this.stream);
      if (!info.config.subjects.includes(this.subject)) {
        throw new Error(
          `stream ${this.stream} exists but does not take ${this.subject}: choose another TANDEM_NATS_STREAM`,
        );
      }
      return;
    } catch (err) {
      if (!/stream not found/i.test((err as Error).message)) throw err;
    }
    await this.#jsm.streams.add({
      name: this.stream,
      subjects: [this.subject],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: options.maxAgeDays * 86_400 * NANOS,
      duplicate_window: options.duplicateWindowSeconds * NANOS,
      num_replicas: options.replicas,
    });
    options.log.info({ stream: this.stream }, 'created the JetStream stream for events');
  }

  /** Whether the node is connected to NATS now (false while it reconnects). */
  get connected(): boolean {
    return this.#connected && !this.#nc.isClosed();
  }

  /**
   * Publishes the events and resolves once JetStream has stored every one of them. `inserted` are those
   * it had not seen inside its duplicate window; `lastSeq` the furthest sequence among them. Any failure refuses the whole batch: the producer sends
   * it again, and the events that did make it are dropped as duplicates then.
   */
  async store(events: StoredEvent[]): Promise<StoreResult & { lastSeq: number }> {
    if (events.length === 0) return { inserted: [], duplicates: 0, lastSeq: 0 };
    const h = headers();
    h.set(RECEIVED_HEADER, String(Date.now()));
    try {
      const acks = await Promise.all(
        events.map((e) =>
          this.#js.publish(this.subject, e.json ?? JSON.stringify(e.event), {
            msgID: e.event.id,
            headers: h,
            timeout: this.#timeout,
          }),
        ),
      );
      const inserted = events.filter((_, i) => !acks[i]!.duplicate);
      // A duplicate's ack carries the sequence of the copy stored first.
      const lastSeq = acks.reduce((max, a) => Math.max(max, a.seq), 0);
      return { inserted, duplicates: events.length - inserted.length, lastSeq };
    } catch (err) {
      throw new EventLogUnavailable(err);
    }
  }

  /**
   * Calls `fn` after each reconnection. A reader should start again then: the server may have been
   * restarted and forgotten its pull requests, which the client would only notice a heartbeat later.
   */
  onReconnect(fn: () => void): () => void {
    this.#onReconnect.add(fn);
    return () => this.#onReconnect.delete(fn);
  }

  async tail(): Promise<StreamTail> {
    const { state } = await this.#jsm.streams.info(this.stream);
    return { firstSeq: state.first_seq, lastSeq: state.last_seq, messages: state.messages };
  }

  /** The stream from `fromSeq` on, in order, for as long as it is read (an ordered consumer: no acks). */
  async read(fromSeq: number): Promise<ConsumerMessages> {
    const consumer = await this.#js.consumers.get(this.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, fromSeq),
    });
    return consumer.consume({ max_messages: 2000, expires: 10_000 });
  }

  async close(): Promise<void> {
    if (this.#nc.isClosed()) return;
    await this.#nc.drain().catch(() => this.#nc.close());
  }
}
