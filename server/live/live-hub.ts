/**
 * Pushes the live snapshot to every connected wallboard: a full snapshot on connect, then small
 * deltas, coalesced to one message per tick (100 ms). All clients share one serialised delta.
 * A client that falls behind is never queued for: it skips ticks and gets the latest full
 * snapshot once its socket drains; one that stays blocked is disconnected.
 *
 * Clients are grouped by what they may see (their scope): each group has its own baseline, sequence
 * and serialised delta, so a scoped supervisor never receives another queue's numbers.
 */
import { diffSnapshots, isDeltaEmpty, type LiveSnapshot, type ServerMessage } from '../contract/live.ts';
import type { LiveEngine, LiveScope } from './live-engine.ts';

export type LiveSocket = {
  /** A text frame; a Buffer is the UTF-8 of the text, encoded once for all clients. */
  send(data: string | Buffer): void;
  readonly bufferedAmount: number;
  close(code?: number, reason?: string): void;
};

type Client = { socket: LiveSocket; needsSnapshot: boolean; blockedSince: number | null };

/** Everything the hub keeps for one scope. */
class Channel {
  clients = new Set<Client>();
  seq = 0;
  last: LiveSnapshot | null = null;
  lastVersion = -1;
  lastSentAt = 0;
  readCache: { version: number; snapshot: LiveSnapshot } | null = null;
  constructor(readonly scope: LiveScope | null) {}
}

function keyOf(scope: LiveScope | null | undefined): string {
  if (!scope || (scope.queues === null && scope.teams === null)) return '*';
  return JSON.stringify([[...(scope.queues ?? [])].sort(), [...(scope.teams ?? [])].sort()]);
}

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

/** What the hub did to protect itself from slow or too many clients, since it started (for /metrics). */
export type LiveHubStats = { updatesSkipped: number; slowDisconnects: number; refused: number };

export class LiveHub {
  #engine: LiveEngine;
  #stats: LiveHubStats = { updatesSkipped: 0, slowDisconnects: 0, refused: 0 };
  #channels = new Map<string, Channel>();
  #timer: NodeJS.Timeout | null = null;
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
    let n = 0;
    for (const ch of this.#channels.values()) n += ch.clients.size;
    return n;
  }

  /**
   * Bytes written to live sockets that the kernel has not taken yet: the server memory slow clients
   * hold. Bounded by about the soft limit plus one message per client, however slow they are.
   */
  get bufferedBytes(): number {
    let n = 0;
    for (const ch of this.#channels.values()) for (const c of ch.clients) n += c.socket.bufferedAmount;
    return n;
  }

  get stats(): Readonly<LiveHubStats> {
    return this.#stats;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.tick(), this.#opts.tickMs);
    this.#timer.unref?.();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    for (const ch of this.#channels.values()) {
      for (const c of ch.clients) c.socket.close(1001, 'server shutting down');
    }
    this.#channels.clear();
  }

  /**
   * Switches to a rebuilt engine (new KPI definitions). Every client gets a full snapshot at the
   * next tick: deltas against the old engine's numbers would mean nothing.
   */
  setEngine(engine: LiveEngine): void {
    this.#engine = engine;
    for (const ch of this.#channels.values()) {
      ch.last = null;
      ch.lastVersion = -1;
      ch.readCache = null;
      for (const c of ch.clients) c.needsSnapshot = true;
      if (ch.clients.size > 0) this.#tickChannel(ch, true);
    }
  }

  #channel(scope: LiveScope | null | undefined): Channel {
    const key = keyOf(scope);
    let ch = this.#channels.get(key);
    if (!ch) this.#channels.set(key, (ch = new Channel(key === '*' ? null : scope!)));
    return ch;
  }

  /**
   * The latest state for a one-off reader (GET /api/live). It never moves the baseline the next tick
   * diffs against: only a tick does, so every change reaches every connected client.
   */
  current(scope: LiveScope | null = null): LiveSnapshot {
    // Kept, clients or not, so repeated reads of one scope share one snapshot per engine version.
    const ch = this.#channel(scope);
    if (ch.last && this.#engine.version === ch.lastVersion) return ch.last;
    if (!ch.readCache || ch.readCache.version !== this.#engine.version) {
      ch.readCache = { version: this.#engine.version, snapshot: this.#engine.snapshot(this.#opts.now(), ch.scope) };
    }
    return ch.readCache.snapshot;
  }

  /**
   * The queues a scoped viewer may see now: those it names, plus those its teams' agents serve
   * (known from the live roster); `null` when nothing narrows it.
   */
  visibleQueues(scope: LiveScope | null): Set<string> | null {
    if (!scope || (scope.queues === null && scope.teams === null)) return null;
    return new Set([...(scope.queues ?? []), ...this.current(scope).queues.map((q) => q.queue)]);
  }

  /** Registers a socket; returns a handle to deliver its messages and to remove it. */
  connect(socket: LiveSocket, scope: LiveScope | null = null): { resync(): void; disconnect(): void } | null {
    if (this.clientCount >= this.#opts.maxClients) {
      this.#stats.refused++;
      socket.close(1013, 'too many live clients, try again later');
      return null;
    }
    const ch = this.#channel(scope);
    const client: Client = { socket, needsSnapshot: false, blockedSince: null };
    ch.clients.add(client);
    // The first message must be the tick baseline itself, so the next delta applies to it exactly.
    // When events arrived since the last tick, the client waits for the next tick (at most 100 ms).
    if (ch.last && this.#engine.version === ch.lastVersion) {
      this.#sendSnapshot(ch, client, ch.last);
    } else {
      client.needsSnapshot = true;
      if (!ch.last) this.#tickChannel(ch, true);
    }
    return {
      resync: () => {
        client.needsSnapshot = true;
      },
      disconnect: () => {
        ch.clients.delete(client);
        if (ch.clients.size === 0) this.#channels.delete(keyOf(ch.scope));
      },
    };
  }

  #sendSnapshot(ch: Channel, client: Client, snapshot: LiveSnapshot, serialised?: Buffer): void {
    const msg: ServerMessage = { type: 'snapshot', seq: ch.seq, snapshot };
    client.socket.send(serialised ?? JSON.stringify(msg));
    client.needsSnapshot = false;
  }

  /** One coalescing step for every scope: called by the timer, and directly by tests. */
  tick(force = false): void {
    for (const ch of this.#channels.values()) this.#tickChannel(ch, force);
  }

  #tickChannel(ch: Channel, force: boolean): void {
    // Nobody to tell: skip the work. A client that connects later gets a fresh snapshot.
    if (!force && ch.clients.size === 0) return;
    const now = this.#opts.now();
    const changed = this.#engine.version !== ch.lastVersion;
    if (!force && !changed && now - ch.lastSentAt < this.#opts.heartbeatMs) return;
    const prev = ch.last;
    ch.lastVersion = this.#engine.version;
    const next = this.#engine.snapshot(now, ch.scope);
    ch.last = next;
    ch.lastSentAt = now;
    // Serialised and UTF-8 encoded once per tick, then the same bytes go to every client.
    let payload: Buffer;
    const delta = prev ? diffSnapshots(prev, next, ch.seq + 1) : null;
    if (delta && !isDeltaEmpty(delta)) {
      ch.seq++;
      payload = Buffer.from(JSON.stringify(delta));
    } else {
      payload = Buffer.from(JSON.stringify({ type: 'heartbeat', seq: ch.seq, now } satisfies ServerMessage));
    }
    let snapshotPayload: Buffer | undefined;
    for (const client of ch.clients) {
      if (client.socket.bufferedAmount > this.#opts.softLimitBytes) {
        client.blockedSince ??= now;
        client.needsSnapshot = true;
        this.#stats.updatesSkipped++;
        if (now - client.blockedSince > this.#opts.blockedTimeoutMs) {
          this.#stats.slowDisconnects++;
          ch.clients.delete(client);
          client.socket.close(1008, 'client too slow to receive live updates');
        }
        continue;
      }
      client.blockedSince = null;
      try {
        if (client.needsSnapshot) {
          snapshotPayload ??= Buffer.from(
            JSON.stringify({ type: 'snapshot', seq: ch.seq, snapshot: next } satisfies ServerMessage),
          );
          this.#sendSnapshot(ch, client, next, snapshotPayload);
        } else {
          client.socket.send(payload);
        }
      } catch {
        ch.clients.delete(client);
      }
    }
  }
}
