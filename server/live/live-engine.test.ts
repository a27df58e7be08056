import { describe, expect, it } from 'vitest';
import type { StoredEvent, TandemEvent } from '../contract/events.ts';
import { DEFAULT_KPI_SETTINGS } from '../contract/kpis.ts';
import { requiredAgents } from '../kpi/erlang-c.ts';
import { LiveEngine } from './live-engine.ts';

const DAY = Date.UTC(2026, 10, 24);
const T = DAY + 9 * 3_600_000;
let n = 0;
const ev = (e: Record<string, unknown> & { type: TandemEvent['type']; at: number }): StoredEvent => ({
  event: { id: `e${++n}`, ...e } as TandemEvent,
  atMs: e.at,
});
const engine = () => new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, T);

describe('LiveEngine', () => {
  it('tracks a contact waiting in a queue and its oldest wait', () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.entered', at: T, contactId: 'c1', queue: 'billing' }),
      ev({ type: 'queue.entered', at: T + 5000, contactId: 'c2', queue: 'billing' }),
    ]);
    let q = e.snapshot(T + 10_000).queues.find((x) => x.queue === 'billing')!;
    expect(q).toMatchObject({ waiting: 2, oldestEnteredAt: T, offered: 2 });
    e.apply([
      ev({ type: 'queue.left', at: T + 12_000, contactId: 'c1', queue: 'billing', outcome: 'answered', agentId: 'a' }),
    ]);
    q = e.snapshot(T + 13_000).queues.find((x) => x.queue === 'billing')!;
    // Service level counts exits only: the one still waiting does not count yet.
    expect(q).toMatchObject({ waiting: 1, oldestEnteredAt: T + 5000, answered: 1, serviceLevel: 1, asaSeconds: 12 });
  });

  it('reaches the same numbers when a queue exit arrives before its entry', () => {
    const inOrder = engine();
    const late = engine();
    const entered = ev({ type: 'queue.entered', at: T, contactId: 'c', queue: 'q' });
    const left = ev({
      type: 'queue.left',
      at: T + 30_000,
      contactId: 'c',
      queue: 'q',
      outcome: 'answered',
      agentId: 'a',
    });
    inOrder.apply([entered, left]);
    late.apply([left]);
    expect(late.todayCounters(T + 60_000).answeredWithWait).toBe(0);
    late.apply([entered]);
    expect(late.todayCounters(T + 60_000)).toEqual(inOrder.todayCounters(T + 60_000));
    expect(late.snapshot(T + 60_000).queues[0]!.waiting).toBe(0);
  });

  it('counts a quick abandon as short and keeps it out of the service level denominator', () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.entered', at: T, contactId: 'c1', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 3000, contactId: 'c1', queue: 'q', outcome: 'abandoned' }),
      ev({ type: 'queue.entered', at: T, contactId: 'c2', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 90_000, contactId: 'c2', queue: 'q', outcome: 'abandoned' }),
      ev({ type: 'queue.entered', at: T, contactId: 'c3', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 10_000, contactId: 'c3', queue: 'q', outcome: 'answered', agentId: 'a' }),
    ]);
    const k = e.snapshot(T + 100_000).today;
    expect(k).toMatchObject({ offered: 3, shortAbandoned: 1, abandoned: 1, answered: 1 });
    expect(k.serviceLevel).toBe(0.5);
    expect(k.abandonRate).toBe(0.5);
  });

  it('reclassifies a contact from person to AI to hybrid as bot events arrive', () => {
    const e = engine();
    e.apply([ev({ type: 'contact.started', at: T, contactId: 'c', channel: 'chat' })]);
    expect(e.snapshot(T + 1000).today.contactsByHandler).toEqual({ ai: 0, hybrid: 0, human: 1 });
    e.apply([ev({ type: 'bot.started', at: T + 100, contactId: 'c' })]);
    expect(e.snapshot(T + 1000).today.contactsByHandler).toEqual({ ai: 1, hybrid: 0, human: 0 });
    expect(e.snapshot(T + 1000).bots.active).toBe(1);
    e.apply([ev({ type: 'bot.ended', at: T + 500, contactId: 'c', outcome: 'escalated', reason: 'policy' })]);
    const s = e.snapshot(T + 1000);
    expect(s.today.contactsByHandler).toEqual({ ai: 0, hybrid: 1, human: 0 });
    expect(s.today.escalationReasons).toEqual({ policy: 1 });
    expect(s.today.escalationRate).toBe(1);
    expect(s.bots.active).toBe(0);
    expect(s.handlerSeries.at(-1)).toMatchObject({ hybrid: 1 });
  });

  it('measures handle time from answer to wrap-up, hold included', () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.entered', at: T, contactId: 'c', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 10_000, contactId: 'c', queue: 'q', outcome: 'answered', agentId: 'a' }),
      ev({ type: 'contact.held', at: T + 60_000, contactId: 'c', agentId: 'a' }),
      ev({ type: 'contact.resumed', at: T + 90_000, contactId: 'c', agentId: 'a' }),
      ev({ type: 'contact.ended', at: T + 200_000, contactId: 'c' }),
      ev({ type: 'wrapup.completed', at: T + 250_000, contactId: 'c', agentId: 'a' }),
    ]);
    expect(e.snapshot(T + 300_000).today.ahtSeconds).toBe(240);
  });

  it('shows agents, their state, time in state and current contact', () => {
    const e = engine();
    e.apply([
      ev({
        type: 'agent.state',
        at: T,
        agentId: 'a1',
        state: 'available',
        name: '王芳',
        team: 'Care',
        queues: ['q'],
        remote: true,
      }),
      ev({ type: 'contact.started', at: T + 1000, contactId: 'c', channel: 'voice' }),
      ev({ type: 'queue.entered', at: T + 1000, contactId: 'c', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 5000, contactId: 'c', queue: 'q', outcome: 'answered', agentId: 'a1' }),
      ev({ type: 'agent.state', at: T + 5000, agentId: 'a1', state: 'on_contact' }),
    ]);
    const s = e.snapshot(T + 65_000);
    expect(s.agents).toEqual([
      expect.objectContaining({
        agentId: 'a1',
        name: '王芳',
        state: 'on_contact',
        since: T + 5000,
        contactId: 'c',
        channel: 'voice',
        remote: true,
      }),
    ]);
    expect(s.agentCounts).toEqual({ on_contact: 1 });
    expect(s.queues[0]).toMatchObject({ agentsStaffed: 1, agentsOnContact: 1, agentsAvailable: 0 });
    // 5 s available, 60 s on contact
    expect(s.today.occupancy).toBeCloseTo(60 / 65, 6);
  });

  it('keeps the latest agent state when state events arrive out of order', () => {
    const e = engine();
    e.apply([
      ev({ type: 'agent.state', at: T + 60_000, agentId: 'a', state: 'break', reason: 'lunch' }),
      ev({ type: 'agent.state', at: T, agentId: 'a', state: 'available' }),
    ]);
    expect(e.snapshot(T + 120_000).agents[0]).toMatchObject({ state: 'break', reason: 'lunch', since: T + 60_000 });
  });

  it('scores surveys and conversions', () => {
    const e = engine();
    e.apply([
      ev({ type: 'contact.started', at: T, contactId: 'c', channel: 'app' }),
      ev({ type: 'survey.completed', at: T + 1, contactId: 'c', csat: 5, nps: 10, resolved: true }),
      ev({ type: 'survey.completed', at: T + 2, contactId: 'd', csat: 2, nps: 3 }),
      ev({ type: 'contact.converted', at: T + 3, contactId: 'c', amount: 100, currency: 'USD' }),
      ev({ type: 'contact.converted', at: T + 4, contactId: 'c', amount: 50.5, currency: 'USD' }),
    ]);
    const k = e.snapshot(T + 10).today;
    expect(k).toMatchObject({
      csat: 0.5,
      csatAverage: 3.5,
      nps: 0,
      conversions: 1,
      conversionRate: 1,
      sales: { USD: 150.5 },
    });
  });

  it('starts a new day at midnight in its time zone', () => {
    const e = engine();
    e.apply([ev({ type: 'contact.started', at: DAY + 86_400_000 - 1000, contactId: 'c', channel: 'voice' })]);
    expect(e.snapshot(DAY + 86_400_000 - 500).today.contacts).toBe(1);
    const next = e.snapshot(DAY + 86_400_000 + 500);
    expect(next.dayStart).toBe(DAY + 86_400_000);
    expect(next.today.contacts).toBe(0);
    expect(next.rolling15.contacts).toBe(1);
  });

  it('forgets finished contacts and old history when pruned', () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.entered', at: T, contactId: 'old', queue: 'q' }),
      ev({ type: 'contact.ended', at: T + 1000, contactId: 'old' }),
      ev({ type: 'queue.entered', at: T, contactId: 'waiting', queue: 'q' }),
    ]);
    e.prune(T + 5 * 3_600_000);
    expect(e.waitingContacts().map((w) => w.contactId)).toEqual(['waiting']);
    e.prune(T + 27 * 3_600_000);
    expect(e.waitingContacts()).toEqual([]);
  });
});

describe('LiveEngine after a transfer', () => {
  it("pairs each agent's wrap-up with that agent's own answer", () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.entered', at: T, contactId: 'c', queue: 'q1' }),
      ev({ type: 'queue.left', at: T + 10_000, contactId: 'c', queue: 'q1', outcome: 'answered', agentId: 'a1' }),
      ev({ type: 'queue.entered', at: T + 60_000, contactId: 'c', queue: 'q2' }),
      ev({ type: 'queue.left', at: T + 70_000, contactId: 'c', queue: 'q2', outcome: 'answered', agentId: 'a2' }),
      ev({ type: 'wrapup.completed', at: T + 100_000, contactId: 'c', agentId: 'a1' }),
      ev({ type: 'wrapup.completed', at: T + 170_000, contactId: 'c', agentId: 'a2' }),
    ]);
    // a1: 10 s -> 100 s = 90 s; a2: 70 s -> 170 s = 100 s
    expect(e.todayCounters(T + 200_000)).toMatchObject({ handled: 2, handleMs: 190_000 });
  });
});

describe('LiveEngine gauges follow event time, not arrival order', () => {
  it('closes a bot session whose start arrives after its end', () => {
    const e = engine();
    e.apply([
      ev({ type: 'bot.ended', at: T + 30_000, contactId: 'c', outcome: 'escalated', reason: 'policy' }),
      ev({ type: 'queue.entered', at: T + 31_000, contactId: 'c', queue: 'q' }),
      ev({ type: 'bot.started', at: T, contactId: 'c' }),
    ]);
    expect(e.snapshot(T + 60_000).bots.active).toBe(0);
  });

  it('shows a contact resumed when the hold arrives after the resume', () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.left', at: T, contactId: 'c', queue: 'q', outcome: 'answered', agentId: 'a' }),
      ev({ type: 'agent.state', at: T, agentId: 'a', state: 'on_contact' }),
      ev({ type: 'contact.resumed', at: T + 20_000, contactId: 'c', agentId: 'a' }),
      ev({ type: 'contact.held', at: T + 10_000, contactId: 'c', agentId: 'a' }),
    ]);
    expect(e.snapshot(T + 30_000).agents[0]!.onHold).toBe(false);
  });

  it('keeps a contact waiting when an earlier contact.ended arrives late', () => {
    const e = engine();
    e.apply([
      ev({ type: 'queue.entered', at: T + 10_000, contactId: 'c', queue: 'q' }),
      ev({ type: 'contact.ended', at: T, contactId: 'c' }),
    ]);
    expect(e.waitingContacts()).toHaveLength(1);
  });
});

describe('LiveEngine memory', () => {
  it('drops agents logged off for the retention window and queues nobody uses any more', () => {
    const e = engine();
    e.apply([
      ev({ type: 'agent.state', at: T, agentId: 'gone', state: 'offline', queues: ['old_queue'] }),
      ev({ type: 'agent.state', at: T, agentId: 'here', state: 'available', queues: ['q'] }),
    ]);
    const later = T + 30 * 3_600_000;
    e.prune(later);
    const s = e.snapshot(later);
    expect(s.agents.map((a) => a.agentId)).toEqual(['here']);
    expect(s.queues.map((q) => q.queue)).toEqual(['q']);
  });
});

describe('LiveEngine rates', () => {
  it('never shows a service level above 100% when yesterday’s queue is answered today', () => {
    const e = engine();
    const midnight = DAY;
    e.apply(
      [1, 2, 3].flatMap((i) => [
        ev({ type: 'queue.entered', at: midnight - 10_000, contactId: `y${i}`, queue: 'q' }),
        ev({
          type: 'queue.left',
          at: midnight + 5_000,
          contactId: `y${i}`,
          queue: 'q',
          outcome: 'answered',
          agentId: 'a',
        }),
      ]),
    );
    const k = e.snapshot(midnight + 60_000).today;
    expect(k.offered).toBe(0);
    expect(k.serviceLevel).toBe(1);
  });
});

describe('LiveEngine ties', () => {
  it('pairs a wrap-up with the answer of the larger event id when two share a millisecond', () => {
    for (const order of [0, 1]) {
      const e = engine();
      const answers = [
        ev({ type: 'queue.left', at: T, contactId: 'c', queue: 'q1', outcome: 'answered', agentId: 'a' }),
        ev({ type: 'queue.left', at: T, contactId: 'c', queue: 'q2', outcome: 'answered', agentId: 'a' }),
      ];
      const later = answers[1]!.event.id > answers[0]!.event.id ? 'q2' : 'q1';
      e.apply(order ? answers.reverse() : answers);
      e.apply([ev({ type: 'wrapup.completed', at: T + 60_000, contactId: 'c', agentId: 'a' })]);
      const byQueue = Object.fromEntries(e.snapshot(T + 70_000).queues.map((q) => [q.queue, q.ahtSeconds]));
      expect(byQueue[later]).toBe(60);
    }
  });

  it("says how many agents a queue needs now, by Erlang C on the last 15 minutes and the queue's target", () => {
    const now = T + 3_600_000 + 30_000;
    const events: StoredEvent[] = [];
    // 40 contacts over the last hour, answered after 5 s; handle time 4 minutes.
    for (let i = 0; i < 40; i++) {
      const at = now - 3_600_000 + i * 90_000;
      events.push(
        ev({ type: 'queue.entered', at, contactId: `n${i}`, queue: 'q' }),
        ev({
          type: 'queue.left',
          at: at + 5000,
          contactId: `n${i}`,
          queue: 'q',
          outcome: 'answered',
          agentId: `a${i}`,
        }),
        ev({ type: 'wrapup.completed', at: at + 245_000, contactId: `n${i}`, agentId: `a${i}` }),
      );
    }
    const needed = (targets?: ConstructorParameters<typeof LiveEngine>[0]['targets']) => {
      const e = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS, targets }, T);
      e.apply(events);
      return e.snapshot(now).queues.find((q) => q.queue === 'q')!.agentsNeeded;
    };
    // The window is this minute and the 14 before it: 14.5 minutes, holding 9 arrivals.
    const from = Math.floor(now / 60_000) * 60_000 - 14 * 60_000;
    const calls = events.filter((x) => x.event.type === 'queue.entered' && x.atMs >= from).length;
    expect(calls).toBe(9);
    const expected = (serviceLevel: number) =>
      requiredAgents({
        calls,
        intervalMinutes: (now - from) / 60_000,
        ahtSeconds: 240,
        targetSeconds: 20,
        serviceLevel,
        shrinkage: 0,
      }).agents;
    expect(needed()).toBe(expected(0.8));
    const strict = needed({ defaults: {}, queues: { q: { serviceLevel: { target: 0.99, warn: 0.9, alert: 0.8 } } } });
    expect(strict).toBe(expected(0.99));
    expect(strict).toBeGreaterThan(needed()!);
    // No handle time known yet: no answer rather than a guess.
    const fresh = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, T);
    fresh.apply([ev({ type: 'queue.entered', at: now - 1000, contactId: 'x', queue: 'q' })]);
    expect(fresh.snapshot(now).queues[0]!.agentsNeeded).toBeNull();
  });
});

describe('LiveEngine hand-offs per minute', () => {
  it('counts bot sessions that ended escalated in the minute they ended, whatever the arrival order', () => {
    const e = engine();
    const now = T + 5 * 60_000 + 30_000;
    e.apply([
      ev({ type: 'bot.ended', at: T + 4 * 60_000 + 59_999, contactId: 'b', outcome: 'escalated' }),
      ev({ type: 'bot.started', at: T + 2 * 60_000, contactId: 'b' }),
      ev({ type: 'bot.started', at: T, contactId: 'a' }),
      ev({ type: 'bot.ended', at: T + 4 * 60_000, contactId: 'a', outcome: 'escalated', reason: 'policy' }),
      ev({ type: 'bot.ended', at: T + 5 * 60_000, contactId: 'c', outcome: 'escalated' }),
      // Neither a contained session nor one the customer left is a hand-off.
      ev({ type: 'bot.ended', at: T + 4 * 60_000 + 10_000, contactId: 'd', outcome: 'contained' }),
      ev({ type: 'bot.ended', at: T + 4 * 60_000 + 20_000, contactId: 'f', outcome: 'abandoned' }),
      // More than an hour ago: outside the series.
      ev({ type: 'bot.ended', at: now - 61 * 60_000, contactId: 'old', outcome: 'escalated' }),
    ]);
    const s = e.snapshot(now);
    expect(s.handlerSeries).toHaveLength(60);
    const at = (minute: number) => s.handlerSeries.find((p) => p.minute === minute)!.handoffs;
    expect(at(T + 4 * 60_000)).toBe(2);
    expect(at(T + 5 * 60_000)).toBe(1);
    expect(s.handlerSeries.reduce((n, p) => n + p.handoffs, 0)).toBe(3);
    expect(s.today.botEscalated).toBe(4);
  });

  it('shows no hand-offs to a scoped view, as for the rest of the handler figures', () => {
    const e = engine();
    e.apply([
      ev({ type: 'bot.ended', at: T, contactId: 'a', outcome: 'escalated' }),
      ev({ type: 'queue.entered', at: T + 1000, contactId: 'a', queue: 'q' }),
    ]);
    expect(e.snapshot(T + 60_000).handlerSeries.at(-2)!.handoffs).toBe(1);
    const scoped = e.snapshot(T + 60_000, { queues: new Set(['q']), teams: null });
    expect(scoped.handlerSeries.every((p) => p.handoffs === 0 && p.hybrid === 0)).toBe(true);
  });
});

/** A contact a bot hands to a queue, and one that queues directly: entered at `at`, answered after `waitS`. */
const escalatedContact = (id: string, queue: string, at: number, waitS: number) => [
  ev({ type: 'bot.started', at: at - 60_000, contactId: id }),
  ev({ type: 'bot.ended', at: at - 1000, contactId: id, outcome: 'escalated', reason: 'complex_issue' }),
  ...directContact(id, queue, at, waitS),
];
const directContact = (id: string, queue: string, at: number, waitS: number) => [
  ev({ type: 'queue.entered', at, contactId: id, queue }),
  ev({ type: 'queue.left', at: at + waitS * 1000, contactId: id, queue, outcome: 'answered', agentId: `ag-${id}` }),
];

function permutations<X>(xs: X[]): X[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe('LiveEngine service level by source: bot-escalated contacts and direct ones', () => {
  it('splits today’s queue figures between escalated and direct contacts', () => {
    const e = engine();
    e.apply([
      ...escalatedContact('x1', 'q', T, 10),
      ...escalatedContact('x2', 'q', T, 30),
      ...directContact('d1', 'q', T, 40),
      ev({ type: 'queue.entered', at: T, contactId: 'd2', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 60_000, contactId: 'd2', queue: 'q', outcome: 'abandoned' }),
      // A bot session contained (or left) is not an escalation: this contact queues as a direct one.
      ev({ type: 'bot.ended', at: T - 1000, contactId: 'd3', outcome: 'contained' }),
      ev({ type: 'queue.entered', at: T, contactId: 'd3', queue: 'q' }),
    ]);
    const s = e.snapshot(T + 120_000);
    expect(s.bySource.escalated).toEqual({ offered: 2, answered: 2, abandoned: 0, serviceLevel: 0.5, asaSeconds: 20 });
    expect(s.bySource.direct).toEqual({ offered: 3, answered: 1, abandoned: 1, serviceLevel: 0, asaSeconds: 40 });
    // Together they are the queues' totals.
    expect(s.bySource.escalated.offered + s.bySource.direct.offered).toBe(s.today.offered);
    expect(s.bySource.escalated.answered + s.bySource.direct.answered).toBe(s.today.answered);
  });

  it('has no rates before anything is counted', () => {
    const s = engine().snapshot(T);
    const none = { offered: 0, answered: 0, abandoned: 0, serviceLevel: null, asaSeconds: null };
    expect(s.bySource).toEqual({ escalated: none, direct: none });
  });

  it('moves a contact from direct to escalated when the escalation arrives after the answer', () => {
    const inOrder = engine();
    const events = [...escalatedContact('x', 'q', T, 5), ...directContact('d', 'q', T, 50)];
    inOrder.apply(events);
    const late = engine();
    const [botStarted, botEnded, ...rest] = events;
    late.apply([botStarted!, ...rest]);
    const before = late.snapshot(T + 120_000).bySource;
    expect(before.escalated.offered).toBe(0);
    expect(before.direct).toMatchObject({ offered: 2, answered: 2, serviceLevel: 0.5 });
    late.apply([botEnded!]);
    const after = late.snapshot(T + 120_000);
    expect(after.bySource.escalated).toEqual({ offered: 1, answered: 1, abandoned: 0, serviceLevel: 1, asaSeconds: 5 });
    expect(after.bySource.direct).toEqual({ offered: 1, answered: 1, abandoned: 0, serviceLevel: 0, asaSeconds: 50 });
    expect(after.bySource).toEqual(inOrder.snapshot(T + 120_000).bySource);
    // A second escalation of the same contact moves nothing twice.
    late.apply([ev({ type: 'bot.ended', at: T + 70_000, contactId: 'x', outcome: 'escalated' })]);
    expect(late.snapshot(T + 120_000).bySource.escalated.offered).toBe(1);
  });

  it('ends at the same figures in every arrival order, re-pairing the wait of an escalated contact', () => {
    const events = [
      ev({ type: 'bot.started', at: T - 60_000, contactId: 'x' }),
      ev({ type: 'bot.ended', at: T - 1000, contactId: 'x', outcome: 'escalated' }),
      ev({ type: 'queue.entered', at: T, contactId: 'x', queue: 'q' }),
      ev({ type: 'queue.left', at: T + 15_000, contactId: 'x', queue: 'q', outcome: 'answered', agentId: 'a' }),
      ev({ type: 'queue.entered', at: T + 20_000, contactId: 'x', queue: 'r' }),
      ev({ type: 'queue.left', at: T + 50_000, contactId: 'x', queue: 'r', outcome: 'abandoned' }),
    ];
    const results = new Set<string>();
    for (const order of permutations(events)) {
      const e = engine();
      for (const one of order) e.apply([one]);
      const s = e.snapshot(T + 120_000);
      results.add(JSON.stringify([s.bySource, s.slSeries, s.queues]));
    }
    expect(results.size).toBe(1);
    const s = JSON.parse([...results][0]!)[0];
    expect(s.escalated).toEqual({ offered: 2, answered: 1, abandoned: 1, serviceLevel: 0.5, asaSeconds: 15 });
    expect(s.direct).toMatchObject({ offered: 0, serviceLevel: null });
  });

  it("honours each queue's service-level threshold, also for a contribution moved by a late escalation", () => {
    const settings = { ...DEFAULT_KPI_SETTINGS, queues: { fast: { slThresholdSeconds: 10 } } };
    const e = new LiveEngine({ timeZone: 'UTC', settings }, T);
    e.apply([
      // 15 s: outside fast's 10 s, within the default 20 s.
      ...directContact('x1', 'fast', T, 15),
      ...directContact('x2', 'slow', T, 15),
      ...directContact('d1', 'fast', T, 5),
      ...directContact('d2', 'slow', T, 25),
    ]);
    e.apply([
      ev({ type: 'bot.ended', at: T - 1000, contactId: 'x1', outcome: 'escalated' }),
      ev({ type: 'bot.ended', at: T - 1000, contactId: 'x2', outcome: 'escalated' }),
    ]);
    const s = e.snapshot(T + 60_000);
    expect(s.bySource.escalated).toMatchObject({ offered: 2, answered: 2, serviceLevel: 0.5, asaSeconds: 15 });
    expect(s.bySource.direct).toMatchObject({ offered: 2, answered: 2, serviceLevel: 0.5, asaSeconds: 15 });
    expect(s.queues.find((q) => q.queue === 'fast')!.serviceLevel).toBe(0.5);
  });

  it('gives a scoped view the figures of its own queues only', () => {
    const e = engine();
    e.apply([
      ev({ type: 'agent.state', at: T, agentId: 'ana', state: 'available', team: 'north', queues: ['mine'] }),
      ...escalatedContact('x1', 'mine', T, 10),
      ...directContact('d1', 'mine', T, 30),
      ...escalatedContact('x2', 'other', T, 40),
      ...escalatedContact('x3', 'other', T, 40),
      ...directContact('d2', 'other', T, 5),
      ...directContact('d3', 'other', T, 5),
    ]);
    const mine = { offered: 1, answered: 1, abandoned: 0 };
    for (const scope of [
      { queues: new Set(['mine']), teams: null },
      { queues: null, teams: new Set(['north']) },
    ]) {
      const s = e.snapshot(T + 120_000, scope);
      expect(s.bySource.escalated).toEqual({ ...mine, serviceLevel: 1, asaSeconds: 10 });
      expect(s.bySource.direct).toEqual({ ...mine, serviceLevel: 0, asaSeconds: 30 });
      expect(s.slSeries.reduce((n, p) => n + p.offered, 0)).toBe(2);
      expect(s.slSeries.find((p) => p.offered > 0)!.serviceLevel).toBe(0.5);
    }
    const none = e.snapshot(T + 120_000, { queues: new Set(['nobody']), teams: null });
    expect(none.bySource.escalated.offered + none.bySource.direct.offered).toBe(0);
    expect(none.slSeries.every((p) => p.offered === 0 && p.serviceLevel === null)).toBe(true);
    const all = e.snapshot(T + 120_000);
    expect(all.bySource.escalated).toMatchObject({ offered: 3, serviceLevel: 1 / 3 });
    expect(all.bySource.direct).toMatchObject({ offered: 3, serviceLevel: 2 / 3 });
  });
});

describe('LiveEngine service level per 15-minute slot', () => {
  // New York's day of the end of daylight saving time: 25 hours from 04:00 UTC, 100 slots.
  const NY = 'America/New_York';
  const day = Date.UTC(2026, 10, 1, 4);
  const nextDay = Date.UTC(2026, 10, 2, 5);
  const SLOT = 15 * 60_000;
  const nyEngine = (now: number, settings = DEFAULT_KPI_SETTINGS) => new LiveEngine({ timeZone: NY, settings }, now);
  /** A contact entering `queue` at `left - waitS`, answered at `left`. */
  const answeredAt = (id: string, left: number, waitS: number, queue = 'q') =>
    directContact(id, queue, left - waitS * 1000, waitS);

  it('cuts slots from the local day start through the current slot, empty ones null', () => {
    const e = nyEngine(day + 3_600_000);
    e.apply([
      // Yesterday, local time: not in today's series.
      ...answeredAt('y', day - 1, 5),
      // The day's first instant, and the last of its first slot: slot 0, one within 20 s and one not.
      ...answeredAt('a', day, 5),
      ...answeredAt('b', day + SLOT - 1, 30),
      // The first instant of the second slot.
      ...answeredAt('c', day + SLOT, 1),
    ]);
    const s = e.snapshot(day + 3 * SLOT + 1);
    expect(s.dayStart).toBe(day);
    expect(s.slSeries.map((p) => p.start)).toEqual([day, day + SLOT, day + 2 * SLOT, day + 3 * SLOT]);
    // Offered counts queue entries in the slot (`a` and `y` entered yesterday), service level exits.
    expect(s.slSeries.map((p) => p.offered)).toEqual([2, 0, 0, 0]);
    expect(s.slSeries.map((p) => p.serviceLevel)).toEqual([0.5, 1, null, null]);
  });

  it('runs to 100 slots on a 25-hour day and starts again at the next local midnight', () => {
    const e = nyEngine(day + 3_600_000);
    const last = day + 99 * SLOT;
    e.apply([
      ...answeredAt('late', last + 60_000, 2),
      // Counted before its day has begun (the engine still shows the 25-hour day), and after it has.
      ev({ type: 'bot.ended', at: nextDay + 1000, contactId: 'ahead', outcome: 'escalated' }),
      ...answeredAt('ahead', nextDay + 30_000, 25),
    ]);
    const s = e.snapshot(nextDay - 1);
    expect(s.slSeries).toHaveLength(100);
    expect(s.slSeries.at(-1)).toEqual({ start: last, offered: 1, serviceLevel: 1 });
    const next = e.snapshot(nextDay + 10 * 60_000);
    expect(next.dayStart).toBe(nextDay);
    expect(next.slSeries).toEqual([{ start: nextDay, offered: 1, serviceLevel: 0 }]);
    expect(next.bySource.escalated).toMatchObject({ offered: 1, answered: 1, serviceLevel: 0 });
    expect(next.bySource.direct.offered).toBe(0);
    // Late events of the day before stay out of the new day's series.
    e.apply([...answeredAt('yesterday', nextDay - 1000, 1)]);
    expect(e.snapshot(nextDay + 10 * 60_000).slSeries).toEqual([{ start: nextDay, offered: 1, serviceLevel: 0 }]);
  });

  it('aligns slots to the day start in a zone a quarter of an hour off the hour (Kathmandu, +5:45)', () => {
    const kathmanduDay = Date.UTC(2026, 10, 23, 18, 15);
    const e = new LiveEngine({ timeZone: 'Asia/Kathmandu', settings: DEFAULT_KPI_SETTINGS }, kathmanduDay);
    e.apply([...answeredAt('a', kathmanduDay + SLOT + 5 * 60_000, 1)]);
    const s = e.snapshot(kathmanduDay + 2 * SLOT);
    expect(s.slSeries.map((p) => new Date(p.start).toISOString())).toEqual([
      '2026-11-23T18:15:00.000Z',
      '2026-11-23T18:30:00.000Z',
      '2026-11-23T18:45:00.000Z',
    ]);
    expect(s.slSeries.map((p) => p.offered)).toEqual([0, 1, 0]);
  });

  it("uses each queue's threshold and sums only a scope's queues", () => {
    const settings = { ...DEFAULT_KPI_SETTINGS, queues: { fast: { slThresholdSeconds: 10 } } };
    const e = nyEngine(day + 3_600_000, settings);
    e.apply([...answeredAt('f', day + 60_000, 15, 'fast'), ...answeredAt('s', day + 60_000, 15, 'slow')]);
    const point = (scope: Parameters<LiveEngine['snapshot']>[1]) => e.snapshot(day + 2 * 60_000, scope).slSeries[0];
    expect(point(null)).toEqual({ start: day, offered: 2, serviceLevel: 0.5 });
    expect(point({ queues: new Set(['fast']), teams: null })).toEqual({ start: day, offered: 1, serviceLevel: 0 });
    expect(point({ queues: new Set(['slow', 'fast']), teams: null })).toEqual({
      start: day,
      offered: 2,
      serviceLevel: 0.5,
    });
  });
});
