/**
 * Live state, updated incrementally per event: contacts waiting per queue, agents and their states,
 * bot sessions in progress, and KPI counters by minute. Event time drives everything.
 *
 * Metrics that pair two events (a queue exit with its entry, a wrap-up with its answer) are recorded
 * as the contribution of the pair; when a late event changes the pairing, the old contribution is
 * taken back and the new one added, so out-of-order arrival ends at the same numbers as in-order.
 */
import type { AgentState, Channel, EventOf, StoredEvent } from '../contract/events.ts';
import {
  addCounters,
  addServiceLevelCounters,
  computeKpis,
  emptyCounters,
  emptyServiceLevelCounters,
  fcrHorizonMs,
  serviceLevelOf,
  settingsFor,
  type KpiCounters,
  type KpiSettings,
  type ServiceLevelCounters,
} from '../contract/kpis.ts';
import type { AgentLive, HandlerPoint, LiveSnapshot, QueueLive, SlPoint, SourceKpis } from '../contract/live.ts';
import { floorMinute, MINUTE, startOfDay } from '../time.ts';
import { requiredAgents } from '../kpi/erlang-c.ts';
import { ALL, KpiBuckets, SLOT } from './kpi-buckets.ts';
import { RepeatContacts } from './repeat-contacts.ts';

/**
 * What a scoped viewer may see: queues by name, agents by team (and the queues those agents serve);
 * `null` means no narrowing on that axis, both `null` means everything.
 */
export type LiveScope = { queues: ReadonlySet<string> | null; teams: ReadonlySet<string> | null };

type Handler = 'ai' | 'hybrid' | 'human';
const HANDLER_COUNTER = { ai: 'contactsAi', hybrid: 'contactsHybrid', human: 'contactsHuman' } as const;

type Entry = { queue: string; at: number };
type Left = {
  queue: string;
  at: number;
  outcome: 'answered' | 'abandoned' | 'transferred';
  agentId?: string;
  entryAt: number | null;
};
type Answer = { id: string; queue: string; at: number; agentId: string };
type Wrapup = { at: number; agentId: string; answer: Answer | null };

type Contact = {
  id: string;
  startedAt: number | null;
  channel: Channel | null;
  touchedBot: boolean;
  escalated: boolean;
  /** Latest event times of the moments that open and close a bot session or a hold. */
  botStartAt: number | null;
  botEndAt: number | null;
  heldAt: number | null;
  resumedAt: number | null;
  counted: { handler: Handler; at: number } | null;
  entries: Entry[];
  lefts: Left[];
  answers: Answer[];
  wrapups: Wrapup[];
  convertedAt: number | null;
  endedAt: number | null;
  lastAt: number;
};

type AgentMark = { at: number; id: string; state: AgentState; reason: string | null };
type Agent = {
  id: string;
  name: string | null;
  team: string | null;
  queues: string[];
  remote: boolean | null;
  profileAt: number;
  timeline: AgentMark[];
  contactId: string | null;
  contactAt: number;
  /** Closed-interval sums from a range start to the last mark, kept until the timeline changes. */
  occupancy: Map<number, { busyMs: number; availableMs: number; marks: number; lastAt: number }>;
};

export type LiveEngineOptions = {
  timeZone: string;
  settings: KpiSettings;
  /** Passed through to the wall, which colours figures by them. */
  targets?: LiveSnapshot['targets'];
  demo?: boolean;
};

/** How long the engine remembers contacts, minute buckets and agent history, ms. */
const RETAIN_MS = 26 * 60 * MINUTE;

const byTime = <T extends { at: number }>(a: T, b: T) => a.at - b.at;

export class LiveEngine {
  readonly timeZone: string;
  settings: KpiSettings;
  targets: LiveSnapshot['targets'];
  demo: boolean;
  #buckets: KpiBuckets;
  #repeats: RepeatContacts;
  #contacts = new Map<string, Contact>();
  #agents = new Map<string, Agent>();
  /** queue -> contactId -> entry time, for contacts waiting now. */
  #waiting = new Map<string, Map<string, number>>();
  #queuesSeen = new Set<string>();
  /** Contacts in a bot session now, kept per event so a snapshot need not scan every contact. */
  #inBot = new Set<string>();
  #version = 0;

  constructor(options: LiveEngineOptions, now = Date.now()) {
    this.timeZone = options.timeZone;
    this.settings = options.settings;
    this.targets = options.targets ?? { defaults: {}, queues: {} };
    this.demo = options.demo ?? false;
    const dayStart = startOfDay(now, this.timeZone);
    this.#buckets = new KpiBuckets(dayStart, this.#nextDay(dayStart));
    this.#repeats = new RepeatContacts(fcrHorizonMs(this.settings), (at, delta) => this.#buckets.add(at, null, delta));
  }

  /** Bumped on every change; the hub uses it to skip idle ticks. */
  get version(): number {
    return this.#version;
  }

  apply(events: readonly StoredEvent[]): void {
    for (const se of events) this.#applyOne(se);
    if (events.length > 0) this.#version++;
  }

  #contact(id: string, at: number): Contact {
    let c = this.#contacts.get(id);
    if (!c) {
      c = {
        id,
        startedAt: null,
        channel: null,
        touchedBot: false,
        escalated: false,
        botStartAt: null,
        botEndAt: null,
        heldAt: null,
        resumedAt: null,
        counted: null,
        entries: [],
        lefts: [],
        answers: [],
        wrapups: [],
        convertedAt: null,
        endedAt: null,
        lastAt: at,
      };
      this.#contacts.set(id, c);
    }
    c.lastAt = Math.max(c.lastAt, at);
    return c;
  }

  #applyOne(se: StoredEvent): void {
    this.#applyEvent(se);
    const e = se.event;
    if (
      e.type === 'bot.started' ||
      e.type === 'bot.ended' ||
      e.type === 'queue.entered' ||
      e.type === 'contact.ended'
    ) {
      const c = this.#contacts.get(e.contactId);
      if (c && inBot(c)) this.#inBot.add(c.id);
      else this.#inBot.delete(e.contactId);
    }
  }

  #applyEvent({ event: e, atMs: at }: StoredEvent): void {
    const b = this.#buckets;
    switch (e.type) {
      case 'contact.started': {
        const c = this.#contact(e.contactId, at);
        if (c.startedAt === null || at < c.startedAt) {
          if (c.startedAt !== null) b.add(c.startedAt, null, { contacts: 1 }, -1);
          c.startedAt = at;
          c.channel = e.channel;
          b.add(at, null, { contacts: 1 });
          this.#repeats.started(c.id, e.customerId, at);
        }
        this.#classify(c);
        break;
      }
      case 'bot.started': {
        const c = this.#contact(e.contactId, at);
        b.add(at, null, { botSessions: 1 });
        c.touchedBot = true;
        c.botStartAt = Math.max(c.botStartAt ?? at, at);
        this.#classify(c);
        break;
      }
      case 'bot.ended': {
        const c = this.#contact(e.contactId, at);
        const key =
          e.outcome === 'contained' ? 'botContained' : e.outcome === 'escalated' ? 'botEscalated' : 'botAbandoned';
        b.add(
          at,
          null,
          e.outcome === 'escalated' ? { [key]: 1, escalationReasons: { [e.reason ?? 'other']: 1 } } : { [key]: 1 },
        );
        c.touchedBot = true;
        c.botEndAt = Math.max(c.botEndAt ?? at, at);
        if (e.outcome === 'escalated' && !c.escalated) {
          c.escalated = true;
          this.#countEscalated(c);
        }
        this.#classify(c);
        break;
      }
      case 'queue.entered': {
        const c = this.#contact(e.contactId, at);
        this.#queuesSeen.add(e.queue);
        this.#addQueue(c, at, e.queue, { offered: 1 });
        c.entries.push({ queue: e.queue, at });
        c.entries.sort(byTime);
        for (const left of c.lefts) if (left.queue === e.queue) this.#pairLeft(c, left);
        this.#refreshWaiting(c, e.queue);
        break;
      }
      case 'queue.left': {
        const c = this.#contact(e.contactId, at);
        this.#queuesSeen.add(e.queue);
        const left: Left = { queue: e.queue, at, outcome: e.outcome, agentId: e.agentId, entryAt: null };
        c.lefts.push(left);
        this.#addQueue(c, at, e.queue, this.#leftContribution(left));
        this.#pairLeft(c, left);
        if (e.outcome === 'answered' && e.agentId) {
          c.answers.push({ id: e.id, queue: e.queue, at, agentId: e.agentId });
          c.answers.sort(byTime);
          for (const w of c.wrapups) this.#pairWrapup(c, w);
          const agent = this.#agent(e.agentId);
          if (at >= agent.contactAt) {
            agent.contactId = c.id;
            agent.contactAt = at;
          }
        }
        this.#refreshWaiting(c, e.queue);
        break;
      }
      case 'contact.held':
      case 'contact.resumed': {
        const c = this.#contact(e.contactId, at);
        if (e.type === 'contact.held') c.heldAt = Math.max(c.heldAt ?? at, at);
        else c.resumedAt = Math.max(c.resumedAt ?? at, at);
        break;
      }
      case 'contact.ended': {
        const c = this.#contact(e.contactId, at);
        c.endedAt = Math.max(c.endedAt ?? at, at);
        for (const q of new Set(c.entries.map((en) => en.queue))) this.#refreshWaiting(c, q);
        break;
      }
      case 'wrapup.completed': {
        const c = this.#contact(e.contactId, at);
        const w: Wrapup = { at, agentId: e.agentId, answer: null };
        c.wrapups.push(w);
        this.#pairWrapup(c, w);
        const agent = this.#agent(e.agentId);
        if (agent.contactId === c.id) {
          agent.contactId = null;
          agent.contactAt = at;
        }
        break;
      }
      case 'contact.converted': {
        const c = this.#contact(e.contactId, at);
        b.add(at, null, { sales: { [e.currency]: e.amount } });
        if (c.convertedAt === null || at < c.convertedAt) {
          if (c.convertedAt !== null) b.add(c.convertedAt, null, { conversions: 1 }, -1);
          c.convertedAt = at;
          b.add(at, null, { conversions: 1 });
        }
        break;
      }
      case 'survey.completed': {
        this.#contact(e.contactId, at);
        const part: Partial<KpiCounters> = {};
        if (e.csat !== undefined)
          Object.assign(part, { csatResponses: 1, csatTop2: e.csat >= 4 ? 1 : 0, csatSum: e.csat });
        if (e.nps !== undefined)
          Object.assign(part, { npsResponses: 1, npsPromoters: e.nps >= 9 ? 1 : 0, npsDetractors: e.nps <= 6 ? 1 : 0 });
        if (e.resolved !== undefined) Object.assign(part, { resolvedResponses: 1, resolvedYes: e.resolved ? 1 : 0 });
        b.add(at, null, part);
        break;
      }
      case 'agent.state':
        this.#applyAgentState(e, at);
        break;
      case 'transcript.segment':
        this.#contact(e.contactId, at);
        break;
    }
  }

  #handlerOf(c: Contact): Handler {
    return c.escalated ? 'hybrid' : c.touchedBot ? 'ai' : 'human';
  }

  #classify(c: Contact): void {
    if (c.startedAt === null) return;
    const handler = this.#handlerOf(c);
    if (c.counted && c.counted.handler === handler && c.counted.at === c.startedAt) return;
    if (c.counted) this.#buckets.add(c.counted.at, null, { [HANDLER_COUNTER[c.counted.handler]]: 1 }, -1);
    c.counted = { handler, at: c.startedAt };
    this.#buckets.add(c.startedAt, null, { [HANDLER_COUNTER[handler]]: 1 });
  }

  #leftContribution(left: Left): Partial<KpiCounters> {
    const wait = left.entryAt === null ? null : left.at - left.entryAt;
    const { slThresholdSeconds, shortAbandonSeconds } = settingsFor(this.settings, left.queue);
    const within = wait !== null && wait <= slThresholdSeconds * 1000 ? 1 : 0;
    if (left.outcome === 'transferred') return { transferred: 1, exitsWithinThreshold: within };
    if (left.outcome === 'abandoned') {
      return wait !== null && wait < shortAbandonSeconds * 1000
        ? { shortAbandoned: 1, exitsWithinThreshold: within }
        : { abandoned: 1, exitsWithinThreshold: within };
    }
    if (wait === null) return { answered: 1 };
    return {
      answered: 1,
      answeredWithWait: 1,
      answeredWaitMs: wait,
      answeredWithinThreshold: within,
      exitsWithinThreshold: within,
    };
  }

  /** Pairs a queue exit with the latest entry into the same queue at or before it. */
  #pairLeft(c: Contact, left: Left): void {
    let entryAt: number | null = null;
    for (const en of c.entries) if (en.queue === left.queue && en.at <= left.at) entryAt = en.at;
    if (entryAt === left.entryAt) return;
    this.#addQueue(c, left.at, left.queue, this.#leftContribution(left), -1);
    left.entryAt = entryAt;
    this.#addQueue(c, left.at, left.queue, this.#leftContribution(left));
  }

  /**
   * Adds a queue contribution (an entry's `offered`, an exit's outcome and wait) of a contact, and again
   * to the escalated layer when a bot escalated the contact: "escalated versus direct" for `bySource`.
   */
  #addQueue(c: Contact, at: number, queue: string, part: Partial<KpiCounters>, sign = 1): void {
    this.#buckets.add(at, queue, part, sign);
    if (c.escalated) this.#buckets.addEscalated(at, queue, part, sign);
  }

  /**
   * A contact has just turned escalated: what it already contributed to queues joins the escalated layer,
   * at its own times, so an escalation arriving after the queue events ends where in-order arrival would.
   */
  #countEscalated(c: Contact): void {
    for (const en of c.entries) this.#buckets.addEscalated(en.at, en.queue, { offered: 1 });
    for (const left of c.lefts) this.#buckets.addEscalated(left.at, left.queue, this.#leftContribution(left));
  }

  /** Pairs a wrap-up with the latest answer of the contact by the same agent at or before it. */
  #pairWrapup(c: Contact, w: Wrapup): void {
    // Latest by (time, event id): the same order as the SQL engine, so equal times cannot split them.
    let answer: Answer | null = null;
    for (const a of c.answers) {
      if (a.at > w.at || a.agentId !== w.agentId) continue;
      if (!answer || a.at > answer.at || (a.at === answer.at && a.id > answer.id)) answer = a;
    }
    if (answer === w.answer) return;
    if (w.answer) this.#buckets.add(w.at, w.answer.queue, { handled: 1, handleMs: w.at - w.answer.at }, -1);
    w.answer = answer;
    if (answer) this.#buckets.add(w.at, answer.queue, { handled: 1, handleMs: w.at - answer.at });
  }

  /** A contact waits in a queue while its latest entry there has no exit at or after it. */
  #refreshWaiting(c: Contact, queue: string): void {
    let entryAt: number | null = null;
    for (const en of c.entries) if (en.queue === queue) entryAt = en.at;
    const exited = entryAt !== null && c.lefts.some((l) => l.queue === queue && l.at >= entryAt);
    let waiting = this.#waiting.get(queue);
    if (entryAt !== null && !exited && (c.endedAt === null || c.endedAt < entryAt)) {
      if (!waiting) this.#waiting.set(queue, (waiting = new Map()));
      waiting.set(c.id, entryAt);
    } else {
      waiting?.delete(c.id);
    }
  }

  #agent(id: string): Agent {
    let a = this.#agents.get(id);
    if (!a) {
      a = {
        id,
        name: null,
        team: null,
        queues: [],
        remote: null,
        profileAt: -Infinity,
        timeline: [],
        contactId: null,
        contactAt: -Infinity,
        occupancy: new Map(),
      };
      this.#agents.set(id, a);
    }
    return a;
  }

  #applyAgentState(e: EventOf<'agent.state'>, at: number): void {
    const a = this.#agent(e.agentId);
    if (at >= a.profileAt) {
      a.profileAt = at;
      if (e.name !== undefined) a.name = e.name;
      if (e.team !== undefined) a.team = e.team;
      if (e.queues !== undefined) a.queues = [...e.queues];
      if (e.remote !== undefined) a.remote = e.remote;
      for (const q of a.queues) this.#queuesSeen.add(q);
    }
    const mark: AgentMark = { at, id: e.id, state: e.state, reason: e.reason ?? null };
    // Keep the timeline ordered by (time, id), the same order the SQL engine uses.
    let i = a.timeline.length;
    while (i > 0 && compareMarks(a.timeline[i - 1]!, mark) > 0) i--;
    a.timeline.splice(i, 0, mark);
    a.occupancy.clear();
    if (e.state !== 'on_contact' && e.state !== 'wrap_up' && i === a.timeline.length - 1) {
      a.contactId = null;
    }
  }

  /**
   * On-contact/wrap-up and available time of all agents within [from, to). Each agent's closed intervals
   * (mark to next mark) are summed once per range start and cached until its timeline changes, so a
   * tick costs one step per agent, not one per state change of the day.
   */
  #occupancy(from: number, to: number, visible?: (a: Agent) => boolean): Pick<KpiCounters, 'busyMs' | 'availableMs'> {
    let busyMs = 0;
    let availableMs = 0;
    for (const a of this.#agents.values()) {
      if (visible && !visible(a)) continue;
      const t = a.timeline;
      const last = t.at(-1);
      if (!last) continue;
      if (last.at > to) {
        // Marks after the end of the range (clock skew): the slow, exact walk.
        const o = sumIntervals(t, from, to, 0);
        busyMs += o.busyMs;
        availableMs += o.availableMs;
        continue;
      }
      let closed = a.occupancy.get(from);
      if (!closed) {
        if (a.occupancy.size > 4) a.occupancy.clear();
        closed = { ...sumIntervals(t, from, Infinity, 1), marks: t.length, lastAt: last.at };
        a.occupancy.set(from, closed);
      }
      busyMs += closed.busyMs;
      availableMs += closed.availableMs;
      const start = Math.max(last.at, from);
      if (to > start) {
        if (last.state === 'on_contact' || last.state === 'wrap_up') busyMs += to - start;
        else if (last.state === 'available') availableMs += to - start;
      }
    }
    return { busyMs, availableMs };
  }

  /** Raw counters for [dayStart, now) — what the SQL engine must reproduce. */
  todayCounters(now: number): KpiCounters {
    this.#rollDay(now);
    const c = this.#buckets.today();
    Object.assign(c, this.#occupancy(this.#buckets.dayStart, now));
    return c;
  }

  #rollDay(now: number): void {
    const dayStart = startOfDay(now, this.timeZone);
    if (dayStart !== this.#buckets.dayStart) this.#buckets.rollDay(dayStart, this.#nextDay(dayStart));
  }

  /** Start of the following day (23 or 25 hours later across a DST change). */
  #nextDay(dayStart: number): number {
    return startOfDay(dayStart + 30 * 60 * MINUTE, this.timeZone);
  }

  /** Erlang C for the queue's recent arrivals (see `agentsNeeded` in the live contract). */
  #agentsNeeded(queue: string, from: number, now: number, ahtSeconds: number | null, thresholdSeconds: number) {
    const calls = this.#buckets.sum(from, now, queue).offered;
    if (ahtSeconds === null || ahtSeconds <= 0 || now <= from) return null;
    const target = { ...this.targets.defaults, ...this.targets.queues[queue] }.serviceLevel?.target ?? 0.8;
    return requiredAgents({
      calls,
      intervalMinutes: (now - from) / MINUTE,
      ahtSeconds,
      targetSeconds: thresholdSeconds,
      // Erlang C never promises 100%: a target of 100% asks for 99%.
      serviceLevel: Math.min(Math.max(target, 0.01), 0.99),
      shrinkage: 0,
    }).agents;
  }

  /** The rolling window covers the current minute and the 14 before it. */
  static rollingStart(now: number): number {
    return floorMinute(now) - 14 * MINUTE;
  }

  /**
   * The live state. With a scope, only the queues and agents it allows appear, and the KPI totals
   * are the sums of those queues' counters: contact-level figures that belong to no queue (bot
   * sessions, surveys, conversions, the handler split and hand-offs per minute) are left out rather than
   * leaked. `bySource` and `slSeries` are made of queue contributions, so a scope gets its queues' own.
   */
  snapshot(now: number, scope: LiveScope | null = null): LiveSnapshot {
    this.#rollDay(now);
    const dayStart = this.#buckets.dayStart;
    const scoped = scope !== null && (scope.queues !== null || scope.teams !== null);
    const visible = scoped ? (a: Agent) => agentInScope(a, scope) : undefined;
    let allowedQueues: Set<string> | null = null;
    if (scoped) {
      allowedQueues = new Set(scope.queues ?? []);
      if (scope.teams) {
        for (const a of this.#agents.values())
          if (a.team !== null && scope.teams.has(a.team)) for (const q of a.queues) allowedQueues.add(q);
      }
    }
    const rollingFrom = LiveEngine.rollingStart(now);
    let today: KpiCounters;
    let rolling: KpiCounters;
    if (allowedQueues) {
      today = emptyCounters();
      rolling = emptyCounters();
      for (const q of allowedQueues) {
        addCounters(today, this.#buckets.today(q));
        addCounters(rolling, this.#buckets.sum(rollingFrom, now, q));
      }
      Object.assign(today, this.#occupancy(dayStart, now, visible));
    } else {
      today = this.todayCounters(now);
      rolling = this.#buckets.sum(rollingFrom, now);
    }
    Object.assign(rolling, this.#occupancy(rollingFrom, now, visible));

    // Today's queue figures of contacts a bot escalated (their own layer, per queue) and of all the
    // others (the same queues' totals less those): scoped, both cover the allowed queues only.
    const escalatedToday = emptyCounters();
    for (const q of allowedQueues ?? [ALL]) {
      const row = this.#buckets.todayEscalated(q);
      if (row) addCounters(escalatedToday, row);
    }
    const directToday = addCounters(addCounters(emptyCounters(), today), escalatedToday, -1);

    const agents: AgentLive[] = [];
    const agentCounts: Record<string, number> = {};
    for (const a of this.#agents.values()) {
      const current = a.timeline[a.timeline.length - 1];
      if (!current) continue;
      if (visible && !visible(a)) continue;
      agentCounts[current.state] = (agentCounts[current.state] ?? 0) + 1;
      const contact = a.contactId ? this.#contacts.get(a.contactId) : undefined;
      agents.push({
        agentId: a.id,
        name: a.name,
        team: a.team,
        state: current.state,
        since: current.at,
        reason: current.reason,
        queues: a.queues,
        remote: a.remote,
        contactId: contact ? contact.id : null,
        channel: contact?.channel ?? null,
        onHold: contact ? isHeld(contact) : false,
      });
    }
    agents.sort((x, y) => x.agentId.localeCompare(y.agentId));

    // One pass over agents builds the per-queue staffing, instead of queues × agents.
    const staffing = new Map<string, { staffed: number; available: number; onContact: number }>();
    for (const a of agents) {
      if (a.state === 'offline') continue;
      for (const q of a.queues) {
        let st = staffing.get(q);
        if (!st) staffing.set(q, (st = { staffed: 0, available: 0, onContact: 0 }));
        st.staffed++;
        if (a.state === 'available') st.available++;
        if (a.state === 'on_contact') st.onContact++;
      }
    }
    const queueNames = new Set([...this.#queuesSeen, ...this.#buckets.todayQueues()]);
    const queues: QueueLive[] = [];
    let escalatedWaitingAll = 0;
    let oldestEscalatedAt: number | null = null;
    for (const queue of [...queueNames].sort()) {
      if (allowedQueues && !allowedQueues.has(queue)) continue;
      const waiting = this.#waiting.get(queue);
      let oldest: number | null = null;
      let escalated = 0;
      for (const [contactId, enteredAt] of waiting ?? []) {
        if (oldest === null || enteredAt < oldest) oldest = enteredAt;
        if (this.#contacts.get(contactId)?.escalated) {
          escalated++;
          if (oldestEscalatedAt === null || enteredAt < oldestEscalatedAt) oldestEscalatedAt = enteredAt;
        }
      }
      escalatedWaitingAll += escalated;
      const staff = staffing.get(queue);
      const own = settingsFor(this.settings, queue);
      const k = computeKpis(this.#buckets.today(queue), own);
      queues.push({
        queue,
        waiting: waiting?.size ?? 0,
        oldestEnteredAt: oldest,
        escalatedWaiting: escalated,
        agentsStaffed: staff?.staffed ?? 0,
        agentsAvailable: staff?.available ?? 0,
        agentsOnContact: staff?.onContact ?? 0,
        agentsNeeded: this.#agentsNeeded(queue, rollingFrom, now, k.ahtSeconds, own.slThresholdSeconds),
        offered: k.offered,
        answered: k.answered,
        abandoned: k.abandoned,
        serviceLevel: k.serviceLevel,
        asaSeconds: k.asaSeconds,
        abandonRate: k.abandonRate,
        ahtSeconds: k.ahtSeconds,
      });
    }

    // Contacts in a bot have not reached a queue yet, so no scope can claim them.
    const activeBots = allowedQueues ? 0 : this.#inBot.size;

    const handlerSeries: HandlerPoint[] = [];
    const thisMinute = floorMinute(now);
    for (let m = thisMinute - 59 * MINUTE; m <= thisMinute; m += MINUTE) {
      const row = allowedQueues ? undefined : this.#buckets.minute(m, ALL);
      handlerSeries.push({
        minute: m,
        ai: row?.contactsAi ?? 0,
        hybrid: row?.contactsHybrid ?? 0,
        human: row?.contactsHuman ?? 0,
        handoffs: row?.botEscalated ?? 0,
      });
    }

    // Today's service level per 15-minute slot from the day start: running sums per slot and queue,
    // so this is one look-up per slot (and allowed queue), not a sum over minutes. Several queues add
    // up only the counters service level reads.
    const slSeries: SlPoint[] = [];
    const slotQueues = allowedQueues ? [...allowedQueues] : [ALL];
    for (let start = dayStart; start <= now; start += SLOT) {
      let row: ServiceLevelCounters | undefined;
      if (slotQueues.length === 1) {
        row = this.#buckets.slot(start, slotQueues[0]);
      } else {
        for (const q of slotQueues) {
          const own = this.#buckets.slot(start, q);
          if (own) addServiceLevelCounters((row ??= emptyServiceLevelCounters()), own);
        }
      }
      slSeries.push({
        start,
        offered: row?.offered ?? 0,
        serviceLevel: row ? serviceLevelOf(row, this.settings) : null,
      });
    }

    return {
      now,
      timeZone: this.timeZone,
      dayStart,
      demo: this.demo,
      settings: { ...this.settings },
      targets: this.targets,
      today: computeKpis(today, this.settings),
      rolling15: computeKpis(rolling, this.settings),
      queues,
      agents,
      agentCounts,
      bots: { active: activeBots, escalatedWaiting: escalatedWaitingAll, oldestEscalatedAt },
      handlerSeries,
      bySource: { escalated: this.#sourceKpis(escalatedToday), direct: this.#sourceKpis(directToday) },
      slSeries,
    };
  }

  /** The queue figures of `bySource`, by the same definitions as `today`. */
  #sourceKpis(c: KpiCounters): SourceKpis {
    const k = computeKpis(c, this.settings);
    return {
      offered: k.offered,
      answered: k.answered,
      abandoned: k.abandoned,
      serviceLevel: k.serviceLevel,
      asaSeconds: k.asaSeconds,
    };
  }

  /** Contacts waiting in a queue now. */
  waitingContacts(): { contactId: string; queue: string; enteredAt: number }[] {
    const out: { contactId: string; queue: string; enteredAt: number }[] = [];
    for (const [queue, waiting] of this.#waiting) {
      for (const [contactId, enteredAt] of waiting) out.push({ contactId, queue, enteredAt });
    }
    return out;
  }

  /** Forgets what no live view needs any more; keeps memory flat over days. */
  prune(now: number): void {
    const horizon = now - RETAIN_MS;
    this.#buckets.prune(Math.min(horizon, this.#buckets.dayStart));
    this.#repeats.prune(Math.min(horizon, this.#buckets.dayStart));
    for (const [id, c] of this.#contacts) {
      const idle = c.lastAt < horizon || (c.endedAt !== null && c.lastAt < now - 4 * 60 * MINUTE);
      if (!idle) continue;
      this.#contacts.delete(id);
      this.#inBot.delete(id);
      for (const w of this.#waiting.values()) w.delete(id);
    }
    for (const [id, a] of this.#agents) {
      const last = a.timeline.at(-1);
      // An agent logged off (or silent) for the whole retention window leaves the board.
      if (!last || (last.at < horizon && (last.state === 'offline' || last.at < now - 2 * RETAIN_MS))) {
        this.#agents.delete(id);
        continue;
      }
      // Keep the last mark before the horizon: it is the state the agent was in when the horizon began.
      let firstKept = 0;
      while (firstKept + 1 < a.timeline.length && a.timeline[firstKept + 1]!.at <= horizon) firstKept++;
      if (firstKept > 0) {
        a.timeline.splice(0, firstKept);
        a.occupancy.clear();
      }
    }
    // Queues stay listed while they have contacts, counters today, or someone staffing them.
    this.#queuesSeen = new Set(this.#buckets.todayQueues());
    for (const [queue, waiting] of this.#waiting) {
      if (waiting.size > 0) this.#queuesSeen.add(queue);
      else this.#waiting.delete(queue);
    }
    for (const a of this.#agents.values()) {
      if (a.timeline.at(-1)?.state !== 'offline') for (const q of a.queues) this.#queuesSeen.add(q);
    }
  }
}

/**
 * Sums state intervals of a sorted timeline clipped to [from, to); the last `skipLast` marks are left out
 * (the open interval). Starts at the mark in force at `from`, found by binary search.
 */
function sumIntervals(
  t: readonly AgentMark[],
  from: number,
  to: number,
  skipLast: number,
): Pick<KpiCounters, 'busyMs' | 'availableMs'> {
  let lo = 0;
  let hi = t.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t[mid]!.at <= from) lo = mid;
    else hi = mid - 1;
  }
  let busyMs = 0;
  let availableMs = 0;
  for (let i = lo; i < t.length - skipLast; i++) {
    const start = Math.max(t[i]!.at, from);
    const end = Math.min(i + 1 < t.length ? t[i + 1]!.at : to, to);
    if (end <= start) continue;
    const state = t[i]!.state;
    if (state === 'on_contact' || state === 'wrap_up') busyMs += end - start;
    else if (state === 'available') availableMs += end - start;
  }
  return { busyMs, availableMs };
}

function agentInScope(a: Agent, scope: LiveScope): boolean {
  if (scope.teams && a.team !== null && scope.teams.has(a.team)) return true;
  return scope.queues !== null && a.queues.some((q) => scope.queues!.has(q));
}

/** In a bot now: the latest bot start is later than every end of it (bot end, queue entry, contact end). */
function inBot(c: Contact): boolean {
  if (c.botStartAt === null) return false;
  const closedAt = Math.max(c.botEndAt ?? -Infinity, c.endedAt ?? -Infinity, c.entries.at(-1)?.at ?? -Infinity);
  return closedAt < c.botStartAt;
}

function isHeld(c: Contact): boolean {
  if (c.heldAt === null) return false;
  return Math.max(c.resumedAt ?? -Infinity, c.endedAt ?? -Infinity) < c.heldAt;
}

function compareMarks(a: AgentMark, b: AgentMark): number {
  return a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
