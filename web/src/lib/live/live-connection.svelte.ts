/**
 * The wallboard's connection to /ws/live: holds the latest snapshot, applies deltas, validates
 * every message against the shared contract, resyncs on a sequence gap, and reconnects with
 * backoff after drops and server restarts — unless the page is no longer allowed to watch.
 */
import { WS_CLOSE_REVOKED } from '$contract/auth.ts';
import { applyDelta, serverMessageSchema, type LiveSnapshot } from '$contract/live.ts';

/** 'denied': the credentials are gone (signed out, link revoked); no more attempts. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'denied';

export type LiveConnectionOptions = {
  /**
   * Asked after the socket closes or fails to open, before trying again: may this page still watch?
   * The server refuses a handshake without valid credentials (the browser sees only a failed
   * connection) and closes an open socket with WS_CLOSE_REVOKED when they are revoked, so a drop is
   * when to ask. false stops with status 'denied'; a throw (server unreachable) just retries.
   * Without it, only a WS_CLOSE_REVOKED close counts as denied.
   */
  authorize?: () => Promise<boolean>;
};

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
  #authorize: (() => Promise<boolean>) | null;

  constructor(url: string, options: LiveConnectionOptions = {}) {
    this.#url = url;
    this.#authorize = options.authorize ?? null;
  }

  static fromLocation(path = '/ws/live', options: LiveConnectionOptions = {}): LiveConnection {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return new LiveConnection(`${proto}//${location.host}${path}`, options);
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
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      this.#ws = null;
      if (!this.#closed) void this.#afterDrop(e.code);
    };
    ws.onerror = () => ws.close();
  }

  async #afterDrop(code: number): Promise<void> {
    this.status = 'reconnecting';
    let allowed = code !== WS_CLOSE_REVOKED;
    if (this.#authorize) {
      try {
        allowed = await this.#authorize();
      } catch {
        allowed = true; // cannot tell yet: the next attempt asks again
      }
    }
    if (this.#closed) return;
    if (allowed) return this.#scheduleRetry();
    this.#closed = true;
    this.status = 'denied';
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
