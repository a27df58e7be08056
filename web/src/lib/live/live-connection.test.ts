import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { liveSnapshot, queueLive } from '../../../../tests/helpers/live-fixtures.ts';
import { WS_CLOSE_REVOKED } from '$contract/auth.ts';
import { LiveConnection } from './live-connection.svelte.ts';

/** A stand-in for the browser's WebSocket that the test drives by hand. */
class FakeWebSocket {
  static all: FakeWebSocket[] = [];
  sent: string[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeWebSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  /** 1006 is what a browser reports for a dropped connection or a refused handshake. */
  close(code = 1006) {
    this.onclose?.({ code });
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
}

const snapshot = (waiting: number) => liveSnapshot({ now: Date.now(), queues: [queueLive('q', waiting)] });

describe('LiveConnection', () => {
  beforeEach(() => {
    FakeWebSocket.all = [];
    vi.stubGlobal('WebSocket', FakeWebSocket);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('applies deltas in sequence and asks for a resync on a gap', () => {
    const live = new LiveConnection('ws://test/ws/live');
    live.connect();
    const ws = FakeWebSocket.all[0]!;
    ws.receive({ type: 'snapshot', seq: 4, snapshot: snapshot(1) });
    expect(live.status).toBe('live');
    ws.receive({ type: 'delta', seq: 5, now: Date.now(), queues: { upsert: [snapshot(3).queues[0]], remove: [] } });
    expect(live.snapshot?.queues[0]?.waiting).toBe(3);
    ws.receive({ type: 'delta', seq: 7, now: Date.now(), queues: { upsert: [snapshot(9).queues[0]], remove: [] } });
    expect(live.snapshot?.queues[0]?.waiting).toBe(3);
    expect(ws.sent).toEqual([JSON.stringify({ type: 'resync' })]);
  });

  it('counts messages that break the contract instead of showing them', () => {
    const live = new LiveConnection('ws://test/ws/live');
    live.connect();
    const ws = FakeWebSocket.all[0]!;
    ws.receive({ type: 'snapshot', seq: 1, snapshot: { ...snapshot(1), queues: 'nope' } });
    ws.onmessage?.({ data: '{not json' });
    expect(live.invalidMessages).toBe(2);
    expect(live.snapshot).toBeNull();
  });

  it('reconnects with backoff after a drop and resyncs from the new snapshot', () => {
    const live = new LiveConnection('ws://test/ws/live');
    live.connect();
    FakeWebSocket.all[0]!.receive({ type: 'snapshot', seq: 1, snapshot: snapshot(1) });
    FakeWebSocket.all[0]!.close();
    expect(live.status).toBe('reconnecting');
    expect(FakeWebSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.all).toHaveLength(2);
    // The second drop waits longer than the first.
    FakeWebSocket.all[1]!.close();
    vi.advanceTimersByTime(700);
    expect(FakeWebSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1000);
    expect(FakeWebSocket.all).toHaveLength(3);
    FakeWebSocket.all[2]!.receive({ type: 'snapshot', seq: 40, snapshot: snapshot(6) });
    expect(live.status).toBe('live');
    expect(live.snapshot?.queues[0]?.waiting).toBe(6);
  });

  it('stops reconnecting once closed', () => {
    const live = new LiveConnection('ws://test/ws/live');
    const stop = live.connect();
    stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.all).toHaveLength(1);
  });

  it('stops for good when the server revokes access and the page may no longer watch', async () => {
    const authorize = vi.fn(async () => false);
    const live = new LiveConnection('ws://test/ws/live', { authorize });
    live.connect();
    FakeWebSocket.all[0]!.receive({ type: 'snapshot', seq: 1, snapshot: snapshot(1) });
    FakeWebSocket.all[0]!.close(WS_CLOSE_REVOKED);
    await vi.advanceTimersByTimeAsync(0);
    expect(authorize).toHaveBeenCalledOnce();
    expect(live.status).toBe('denied');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeWebSocket.all).toHaveLength(1);
  });

  it('asks before retrying a refused handshake, and retries while still allowed', async () => {
    let allowed = true;
    const authorize = vi.fn(async () => allowed);
    const live = new LiveConnection('ws://test/ws/live', { authorize });
    live.connect();
    // A changed account is revoked too, but may still watch with its new scope: reconnect.
    FakeWebSocket.all[0]!.close(WS_CLOSE_REVOKED);
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeWebSocket.all).toHaveLength(2);
    expect(live.status).toBe('reconnecting');
    // The session expired meanwhile: the handshake fails and /me says anonymous.
    allowed = false;
    FakeWebSocket.all[1]!.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(authorize).toHaveBeenCalledTimes(2);
    expect(live.status).toBe('denied');
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('keeps retrying when the access check itself cannot reach the server', async () => {
    const authorize = vi.fn(async (): Promise<boolean> => {
      throw new TypeError('fetch failed');
    });
    const live = new LiveConnection('ws://test/ws/live', { authorize });
    live.connect();
    FakeWebSocket.all[0]!.close();
    await vi.advanceTimersByTimeAsync(1000);
    expect(live.status).toBe('reconnecting');
    expect(FakeWebSocket.all).toHaveLength(2);
  });

  it('treats a revoke close as denied when the page has no way to ask', async () => {
    const live = new LiveConnection('ws://test/ws/live');
    live.connect();
    FakeWebSocket.all[0]!.close(WS_CLOSE_REVOKED);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(live.status).toBe('denied');
    expect(FakeWebSocket.all).toHaveLength(1);
  });
});
