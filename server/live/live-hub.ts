/**
 * Pushes the live snapshot to every connected wallboard: a full snapshot on connect, then small
 * deltas, coalesced to one message per tick (100 ms). All clients share one serialised delta.
 * A client that falls behind is never queued for: it skips ticks and gets the latest full
 * snapshot once its socket drains; one that stays blocked is disconnected.
 */
import { diffSnapshots, isDeltaEmpty, type LiveSnapshot, type ServerMessage } from '../contract/live.ts';
import type { LiveEngine } from './live-engine.ts';

export type LiveSocket = {
  /** A text frame; a Buffer is the UTF-8 of the text, encoded once for all clients. */
  send(data: string | Buffer): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
};

type Client = { socket: LiveSocket; needsSnapshot: boolean; blockedSince: number | null };

export type LiveHubOptions = {
  tickMs?: number;
  heartbeatMs?: number;
  /** Above this many unsent bytes a client skips updates. */
  softLimitBytes?: number;
  /** A client above the soft limit for this long is disconnected. */
  blockedTimeoutMs?: number;
  maxClients?: number;
  now?: () => number;
};

export class LiveHub {
  #engine: LiveEngine;
  #clients = new Set<Client>();
  #timer: NodeJS.Timeout | null = null;
  #seq = 0;
  #last: LiveSnapshot | null = null;
  #lastVersion = -1;
  #lastSentAt = 0;
  #readCache: { version: number; snapshot: LiveSnapshot } | null = null;
  #opts: Required<LiveHubOptions>;

  constructor(engine: LiveEngine, options: LiveHubOptions = {}) {
    this.#engine = engine;
    this.#opts = {
      tickMs: 100,
      heartbeatMs: 1000,
      softLimitBytes: 512 * 1024,
      blockedTimeoutMs: 30_000,
      maxClients: 20_000,
      now: Date.now,
      ...options,
    };
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(), this.#opts.tickMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const c of this.#clients) c.socket.close(1001, 'server shutting down');
    this.#clients.clear();
  }

  /** The latest snapshot (computed now if the engine changed since the last tick). */
  /**
   * The latest state for a one-off reader (GET /api/live). It never moves the baseline the next tick
   * diffs against: only a tick does, so every change reaches every connected client.
   */
  current(): LiveSnapshot {
    if (this.#last && this.#engine.version === this.#lastVersion) return this.#last;
    if (!this.#readCache || this.#readCache.version !== this.#engine.version) {
      this.#readCache = { version: this.#engine.version, snapshot: this.#engine.snapshot(this.#opts.now()) };
    }
    return this.#readCache.snapshot;
  }

  /** Registers a socket; returns a handle to deliver its messages and to remove it. */
  connect(socket: LiveSocket): { resync(): void; disconnect(): void } | null {
    if (this.#clients.size >= this.#opts.maxClients) {
      socket.close(1013, 'too many live clients, try again later');
      return null;
    }
    const client: Client = { socket, needsSnapshot: false, blockedSince: null };
    this.#clients.add(client);
    // The first message must be the tick baseline itself, so the next delta applies to it exactly.
    // When events arrived since the last tick, the client waits for the next tick (at most 100 ms).
    if (this.#last && this.#engine.version === this.#lastVersion) {
      this.#sendSnapshot(client, this.#last);
    } else {
      client.needsSnapshot = true;
      if (!this.#last) this.tick(true);
    }
    return {
      resync: () => {
        client.needsSnapshot = true;
      },
      disconnect: () => {
        this.#clients.delete(client);
      },
    };
  }

  #sendSnapshot(client: Client, snapshot: LiveSnapshot, serialised?: Buffer): void {
    const msg: ServerMessage = { type: 'snapshot', seq: this.#seq, snapshot };
    client.socket.send(serialised ?? JSON.stringify(msg));
    client.needsSnapshot = false;
  }

  /** One coalescing step: called by the timer, and directly by tests. */
  tick(force = false): void {
    // Nobody to tell: skip the work. A client that connects later gets a fresh snapshot.
    if (!force && this.#clients.size === 0) return;
    const now = this.#opts.now();
    const changed = this.#engine.version !== this.#lastVersion;
    if (!force && !changed && now - this.#lastSentAt < this.#opts.heartbeatMs) return;
    const prev = this.#last;
    this.#lastVersion = this.#engine.version;
    const next = this.#engine.snapshot(now);
    this.#last = next;
    this.#lastSentAt = now;
    // Serialised and UTF-8 encoded once per tick, then the same bytes go to every client.
    let payload: Buffer;
    const delta = prev ? diffSnapshots(prev, next, this.#seq + 1) : null;
    if (delta && !isDeltaEmpty(delta)) {
      this.#seq++;
      payload = Buffer.from(JSON.stringify(delta));
    } else {
      payload = Buffer.from(JSON.stringify({ type: 'heartbeat', seq: this.#seq, now } satisfies ServerMessage));
    }
    let snapshotPayload: Buffer | undefined;
    for (const client of this.#clients) {
      if (client.socket.bufferedAmount > this.#opts.softLimitBytes) {
        client.blockedSince ??= now;
        client.needsSnapshot = true;
        if (now - client.blockedSince > this.#opts.blockedTimeoutMs) {
          this.#clients.delete(client);
          client.socket.close(1008, 'client too slow to receive live updates');
        }
        continue;
      }
      client.blockedSince = null;
      try {
        if (client.needsSnapshot) {
          snapshotPayload ??= Buffer.from(
            JSON.stringify({ type: 'snapshot', seq: this.#seq, snapshot: next } satisfies ServerMessage),
          );
          this.#sendSnapshot(client, next, snapshotPayload);
        } else {
          client.socket.send(payload);
        }
      } catch {
        this.#clients.delete(client);
      }
    }
  }
}
