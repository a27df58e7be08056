import { describe, expect, it } from 'vitest';
import { applyDelta, serverMessageSchema, type LiveSnapshot, type ServerMessage } from '../contract/live.ts';
import { DEFAULT_KPI_SETTINGS } from '../contract/kpis.ts';
import { LiveEngine } from './live-engine.ts';
import { LiveHub, type LiveSocket } from './live-hub.ts';

const T = Date.UTC(2026, 10, 24, 9);

class FakeSocket implements LiveSocket {
  sent: ServerMessage[] = [];
  bufferedAmount = 0;
  closed: { code?: number; reason?: string } | null = null;
  send(data: string | Buffer) {
    this.sent.push(serverMessageSchema.parse(JSON.parse(data.toString())));
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
}

function setup() {
  let now = T;
  const engine = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, T);
  const hub = new LiveHub(engine, { now: () => now, softLimitBytes: 1000, blockedTimeoutMs: 5000 });
  let id = 0;
  const enter = (queue: string) =>
    engine.apply([
      { event: { id: `e${++id}`, type: 'queue.entered', at: now, contactId: `c${id}`, queue }, atMs: now },
    ]);
  return { engine, hub, enter, advance: (ms: number) => (now += ms) };
}

describe('LiveHub', () => {
  it('keeps each scope on its own stream: a scoped client never receives other queues', () => {
    const { hub, enter, advance } = setup();
    const all = new FakeSocket();
    const sales = new FakeSocket();
    hub.connect(all);
    hub.connect(sales, { queues: new Set(['sales']), teams: null });
    enter('sales');
    enter('billing');
    advance(100);
    hub.tick();
    const state = (s: FakeSocket) =>
      s.sent.reduce<LiveSnapshot | null>(
        (acc, m) => (m.type === 'snapshot' ? m.snapshot : m.type === 'delta' && acc ? applyDelta(acc, m) : acc),
        null,
      )!;
    expect(state(all).queues.map((q) => q.queue)).toEqual(['billing', 'sales']);
    expect(state(sales).queues.map((q) => q.queue)).toEqual(['sales']);
    expect(sales.sent.some((m) => JSON.stringify(m).includes('billing'))).toBe(false);
    expect(hub.current({ queues: new Set(['sales']), teams: null }).today.offered).toBe(1);
    expect(hub.current().today.offered).toBe(2);
    expect(hub.clientCount).toBe(2);
  });

  it('sends a snapshot on connect, then one coalesced delta per tick', () => {
    const { hub, enter, advance } = setup();
    const s = new FakeSocket();
    hub.connect(s);
    expect(s.sent.map((m) => m.type)).toEqual(['snapshot']);
    enter('a');
    enter('b');
    enter('b');
    advance(100);
    hub.tick();
    expect(s.sent.map((m) => m.type)).toEqual(['snapshot', 'delta']);
    const snap = (s.sent[0] as Extract<ServerMessage, { type: 'snapshot' }>).snapshot;
    const delta = s.sent[1] as Extract<ServerMessage, { type: 'delta' }>;
    const state: LiveSnapshot = applyDelta(snap, delta);
    expect(state.queues.map((q) => [q.queue, q.waiting])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    // Nothing changed: no message until the heartbeat is due.
    advance(100);
    hub.tick();
    expect(s.sent).toHaveLength(2);
    advance(1000);
    hub.tick();
    expect(s.sent.at(-1)?.type).toBe('heartbeat');
  });

  it('delivers every change even when a reader takes a snapshot between ticks', () => {
    const { hub, enter, advance } = setup();
    const s = new FakeSocket();
    hub.connect(s);
    let state = (s.sent[0] as Extract<ServerMessage, { type: 'snapshot' }>).snapshot;
    for (let i = 0; i < 3; i++) {
      enter('q');
      expect(hub.current().queues[0]!.waiting).toBe(i + 1);
      advance(100);
      hub.tick();
    }
    for (const m of s.sent.slice(1)) if (m.type === 'delta') state = applyDelta(state, m);
    expect(state.queues[0]!.waiting).toBe(3);
  });

  it('gives a client that connects between ticks the next tick as a snapshot, then deltas in sequence', () => {
    const { hub, enter, advance } = setup();
    hub.connect(new FakeSocket());
    enter('q');
    const late = new FakeSocket();
    hub.connect(late);
    expect(late.sent).toHaveLength(0);
    advance(100);
    hub.tick();
    enter('q');
    advance(100);
    hub.tick();
    expect(late.sent.map((m) => m.type)).toEqual(['snapshot', 'delta']);
    const [snap, delta] = late.sent as [
      Extract<ServerMessage, { type: 'snapshot' }>,
      Extract<ServerMessage, { type: 'delta' }>,
    ];
    expect(delta.seq).toBe(snap.seq + 1);
    expect(applyDelta(snap.snapshot, delta).queues[0]!.waiting).toBe(2);
  });

  it('never queues for a slow client: it skips ticks and later gets the latest snapshot', () => {
    const { hub, enter, advance } = setup();
    const slow = new FakeSocket();
    const fast = new FakeSocket();
    hub.connect(slow);
    hub.connect(fast);
    slow.bufferedAmount = 10_000;
    for (let i = 0; i < 5; i++) {
      enter('q');
      advance(100);
      hub.tick();
    }
    expect(fast.sent.filter((m) => m.type === 'delta')).toHaveLength(5);
    expect(slow.sent).toHaveLength(1);
    expect(hub.stats).toEqual({ updatesSkipped: 5, slowDisconnects: 0, refused: 0 });
    slow.bufferedAmount = 0;
    enter('q');
    advance(100);
    hub.tick();
    const last = slow.sent.at(-1)!;
    expect(last.type).toBe('snapshot');
    if (last.type === 'snapshot') expect(last.snapshot.queues[0]!.waiting).toBe(6);
  });

  it('disconnects a client that stays blocked', () => {
    const { hub, enter, advance } = setup();
    const stuck = new FakeSocket();
    hub.connect(stuck);
    stuck.bufferedAmount = 10_000;
    for (let i = 0; i < 70; i++) {
      enter('q');
      advance(100);
      hub.tick();
    }
    expect(stuck.closed?.code).toBe(1008);
    expect(hub.clientCount).toBe(0);
    expect(hub.stats.slowDisconnects).toBe(1);
  });

  it('refuses clients past the limit', () => {
    const engine = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, T);
    const hub = new LiveHub(engine, { maxClients: 1 });
    expect(hub.connect(new FakeSocket())).not.toBeNull();
    const extra = new FakeSocket();
    expect(hub.connect(extra)).toBeNull();
    expect(extra.closed?.code).toBe(1013);
    expect(hub.stats.refused).toBe(1);
  });
});
