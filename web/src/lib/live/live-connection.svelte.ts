/**
 * The wallboard's connection to /ws/live: holds the latest snapshot, applies deltas, validates
 * every message against the shared contract, resyncs on a sequence gap, and reconnects with
 * backoff after drops and server restarts.
 */
import { applyDelta, serverMessageSchema, type LiveSnapshot } from '$contract/live.ts';
import { getContext, setContext } from 'svelte';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting';

const KEY = Symbol('live-connection');

export class LiveConnection {
  snapshot = $state<LiveSnapshot | null>(null);
  status = $state<ConnectionStatus>('connecting');
  /** Client time of the last message from the server. */
  lastMessageAt = $state<number | null>(null);
  /** Server clock minus client clock, ms; waits are measured on the server's clock. */
  clockOffset = $state(0);
  /** Messages rejected by the contract (a version mismatch shows here, not as a crash). */
  invalidMessages = $state(0);

  #url: string;
  #ws: WebSocket | null = null;
  #seq = -1;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(url: string) {
    this.#url = url;
  }

  static fromLocation(path = '/ws/live'): LiveConnection {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new LiveConnection(`${proto}//${location.host}${path}`);
  }

  set(): this {
    setContext(KEY, this);
    return this;
  }

  static get(): LiveConnection {
    return getContext<LiveConnection>(KEY);
  }

  connect(): () => void {
    this.#closed = false;
    this.#open();
    return () => this.close();
  }

  close(): void {
    this.#closed = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#ws?.close();
    this.#ws = null;
  }

  #open(): void {
    this.status = this.#attempt === 0 ? 'connecting' : 'reconnecting';
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    ws.onmessage = (e) => this.#receive(ws, e.data);
    ws.onclose = () => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (!this.#closed) this.#scheduleRetry();
    };
    ws.onerror = () => ws.close();
  }

  #scheduleRetry(): void {
    this.status = 'reconnecting';
    // Exponential backoff with jitter, capped at 10 s, so a restarted server is not stampeded.
    const delay = Math.min(10_000, 500 * 2 ** this.#attempt) * (0.75 + Math.random() * 0.5);
    this.#attempt++;
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #receive(ws: WebSocket, data: unknown): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(String(data));
    } catch {
      parsed = undefined;
    }
    const result = serverMessageSchema.safeParse(parsed);
    if (!result.success) {
      this.invalidMessages++;
      return;
    }
    const msg = result.data;
    this.lastMessageAt = Date.now();
    switch (msg.type) {
      case 'snapshot':
        this.snapshot = msg.snapshot;
        this.#seq = msg.seq;
        this.clockOffset = msg.snapshot.now - Date.now();
        this.status = 'live';
        this.#attempt = 0;
        break;
      case 'delta':
        if (!this.snapshot || msg.seq !== this.#seq + 1) {
          // A gap means a missed update: ask for the full state rather than show a wrong one.
          ws.send(JSON.stringify({ type: 'resync' }));
          return;
        }
        this.snapshot = applyDelta(this.snapshot, msg);
        this.#seq = msg.seq;
        this.clockOffset = msg.now - Date.now();
        break;
      case 'heartbeat':
        this.clockOffset = msg.now - Date.now();
        if (msg.seq !== this.#seq) ws.send(JSON.stringify({ type: 'resync' }));
        break;
      case 'error':
        break;
    }
  }
}
