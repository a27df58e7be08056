/**
 * A seeded discrete-event simulation of a contact center where bots and people work together.
 * Arrivals follow a time-of-day curve; bots contain, escalate (with reasons) or lose customers;
 * queues route by skill; agents take breaks and wrap up; handle times are log-normal; customers
 * abandon when their patience runs out. It emits only events of the public contract.
 */
import type { Channel, TandemEvent } from '../contract/events.ts';
import { Random } from './random.ts';
import {
  BOT_FIRST,
  CHANNEL_MIX,
  demoAgents,
  ESCALATION_MIX,
  INTENTS,
  PHRASES,
  type DemoAgent,
  type DemoQueue,
} from './scenario.ts';

export type SimulatorOptions = {
  seed: number;
  /** New contacts per minute at the daily peak. */
  ratePerMinute: number;
  /** Simulated start time (epoch ms). */
  start: number;
  agents?: number;
  /** Prefix of every id, so several runs can share one database. */
  idPrefix?: string;
  /** Hour of day (0-24) in the contact center's zone, for the arrival curve. */
  hourOf?: (ms: number) => number;
  /** Emit transcript segments (on by default). */
  transcripts?: boolean;
};

type Task = { at: number; seq: number; run: () => void };

type SimContact = {
  id: string;
  channel: Channel;
  customerId: string;
  vip: boolean;
  queue: DemoQueue;
  enteredAt: number;
  patienceAt: number;
  escalated: boolean;
  answered: boolean;
  done: boolean;
  priority: number;
};

type SimAgent = DemoAgent & { state: 'available' | 'on_contact' | 'wrap_up' | 'break' | 'offline'; lastBreak: number };

/** Relative arrival intensity by hour of day: quiet nights, a morning and an afternoon peak. */
export function arrivalCurve(hour: number): number {
  const peak = (h: number, width: number) => Math.exp(-((hour - h) ** 2) / (2 * width * width));
  return Math.min(1, 0.3 + 0.7 * Math.max(peak(10.5, 1.8), 0.9 * peak(15, 2)));
}

export class Simulator {
  readonly options: Required<Omit<SimulatorOptions, 'hourOf'>> & Pick<SimulatorOptions, 'hourOf'>;
  #rng: Random;
  /** Draws for the extra transcript lines only, so adding them leaves every other draw as it was. */
  #talk: Random;
  #now: number;
  #tasks: Task[] = [];
  #seq = 0;
  #out: TandemEvent[] = [];
  #eventSeq = 0;
  #contactSeq = 0;
  #agents: SimAgent[];
  #waiting: SimContact[] = [];

  constructor(options: SimulatorOptions) {
    // The roster: enough people for the peak; shifts decide who is logged in (see #rebalance).
    const agents = options.agents ?? Math.max(6, Math.round(options.ratePerMinute * 3.4));
    this.options = { idPrefix: 'sim', transcripts: true, ...options, agents };
    this.#rng = new Random(options.seed);
    this.#talk = new Random(options.seed + 7_919);
    this.#now = options.start;
    this.#agents = demoAgents(this.options.agents).map((a) => ({ ...a, state: 'offline', lastBreak: options.start }));
    this.#rebalance();
    this.#scheduleArrival();
  }

  get now(): number {
    return this.#now;
  }

  /** Runs the simulation up to `until` and returns the events that happened, in time order. */
  advance(until: number): TandemEvent[] {
    while (this.#tasks.length > 0 && this.#tasks[0]!.at <= until) {
      const task = this.#pop();
      this.#now = task.at;
      task.run();
    }
    this.#now = Math.max(this.#now, until);
    const out = this.#out;
    this.#out = [];
    return out;
  }

  // --- scheduling: a binary heap ordered by (time, insertion) ---

  #after(delayMs: number, run: () => void): void {
    const task: Task = { at: Math.round(this.#now + Math.max(0, delayMs)), seq: this.#seq++, run };
    const h = this.#tasks;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p]!, task)) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = task;
  }

  #pop(): Task {
    const h = this.#tasks;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const mv = () => (m === i ? last : h[m]!);
        if (l < h.length && before(h[l]!, mv())) m = l;
        if (r < h.length && before(h[r]!, mv())) m = r;
        if (m === i) break;
        h[i] = h[m]!;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }

  #emit(event: Record<string, unknown> & { type: TandemEvent['type'] }): void {
    this.#out.push({ id: `${this.options.idPrefix}-e${++this.#eventSeq}`, at: this.#now, ...event } as TandemEvent);
  }

  // --- shifts: staff follows the arrival curve, so queues build at the peaks as in real life ---

  #hour(): number {
    return this.options.hourOf ? this.options.hourOf(this.#now) : new Date(this.#now).getUTCHours();
  }

  #rebalance(): void {
    // About 60% of contacts reach a person for about 4.5 minutes: 2.7 Erlangs per contact/minute.
    const load = this.options.ratePerMinute * arrivalCurve(this.#hour()) * 2.7;
    const target = Math.min(this.#agents.length, Math.max(8, Math.round(load * 1.35 + 3)));
    const onShift = this.#agents.filter((a) => a.state !== 'offline');
    if (onShift.length < target) {
      for (const a of this.#agents.filter((x) => x.state === 'offline').slice(0, target - onShift.length)) {
        this.#after(this.#rng.int(0, 30_000), () => {
          a.lastBreak = this.#now;
          this.#setAgent(a, 'available');
        });
      }
    } else {
      for (const a of onShift.filter((x) => x.state === 'available').slice(0, onShift.length - target)) {
        this.#setAgent(a, 'offline', 'end_of_shift');
      }
    }
    this.#after(5 * 60_000, () => this.#rebalance());
  }

  // --- arrivals and bots ---

  #scheduleArrival(): void {
    const hour = this.#hour();
    const perMs = (this.options.ratePerMinute * arrivalCurve(hour)) / 60_000;
    this.#after(this.#rng.exponential(1 / perMs), () => {
      this.#arrive();
      this.#scheduleArrival();
    });
  }

  #arrive(): void {
    const rng = this.#rng;
    const channel = rng.weighted(CHANNEL_MIX);
    const vip = rng.chance(0.08);
    const intent = rng.pick(Object.keys(INTENTS));
    const spec = INTENTS[intent]!;
    const c: SimContact = {
      id: `${this.options.idPrefix}-c${++this.#contactSeq}`,
      channel,
      customerId: `cust-${rng.int(1, 4000)}`,
      vip,
      queue: vip ? 'vip_care' : spec.queue,
      enteredAt: 0,
      patienceAt: 0,
      escalated: false,
      answered: false,
      done: false,
      priority: vip ? 10 : 1,
    };
    this.#emit({
      type: 'contact.started',
      contactId: c.id,
      channel,
      customerId: c.customerId,
      ...(vip ? { segment: 'vip' } : {}),
    });
    this.#say(c, 'customer', rng.pick(PHRASES.customerOpen), 0);
    if (!rng.chance(BOT_FIRST[channel])) {
      this.#after(rng.int(1_000, 5_000), () => this.#enterQueue(c));
      return;
    }
    this.#emit({
      type: 'bot.started',
      contactId: c.id,
      botId: channel === 'voice' ? 'voice-assistant' : 'chat-assistant',
    });
    const botTime = rng.logNormal(70_000, 0.5);
    this.#after(botTime * 0.4, () => this.#say(c, 'bot', rng.pick(PHRASES.bot), botTime * 0.4));
    this.#after(botTime, () => {
      const r = rng.next();
      const contain = vip ? spec.contain * 0.6 : spec.contain;
      if (r < contain * 0.88) {
        this.#emit({ type: 'bot.ended', contactId: c.id, outcome: 'contained', intent });
        this.#emit({ type: 'contact.ended', contactId: c.id, endedBy: 'bot' });
        this.#maybeSurvey(c, 'ai', 0);
      } else if (r < contain) {
        this.#emit({ type: 'bot.ended', contactId: c.id, outcome: 'abandoned', intent });
        this.#emit({ type: 'contact.ended', contactId: c.id, endedBy: 'customer' });
      } else {
        const reason = vip && rng.chance(0.5) ? 'high_value' : rng.weighted(ESCALATION_MIX);
        c.escalated = true;
        if (reason === 'low_confidence' && this.#talk.chance(0.6)) {
          const line = this.#talk.pick(PHRASES.botLoop);
          for (let i = 0; i < 3; i++) this.#say(c, 'bot', line, botTime - 6_000 + i * 1_000);
        }
        this.#say(c, 'customer', rng.pick(PHRASES.customer), botTime - 2_000);
        this.#emit({ type: 'bot.ended', contactId: c.id, outcome: 'escalated', reason, intent });
        this.#enterQueue(c);
      }
    });
  }

  #say(c: SimContact, speaker: 'customer' | 'bot' | 'agent', text: string, offsetMs: number, agentId?: string): void {
    if (!this.options.transcripts) return;
    this.#emit({
      type: 'transcript.segment',
      contactId: c.id,
      speaker,
      text,
      offsetMs: Math.round(offsetMs),
      ...(agentId ? { agentId } : {}),
    });
  }

  // --- queues and routing ---

  #enterQueue(c: SimContact): void {
    c.enteredAt = this.#now;
    // Customers who already spent time with a bot are a little less patient.
    const patience = this.#rng.logNormal(c.escalated ? 80_000 : 110_000, 0.7);
    c.patienceAt = this.#now + patience;
    this.#emit({ type: 'queue.entered', contactId: c.id, queue: c.queue, priority: c.priority });
    this.#waiting.push(c);
    this.#after(patience, () => this.#abandon(c));
    this.#dispatch();
  }

  #abandon(c: SimContact): void {
    if (c.answered || c.done) return;
    this.#waiting = this.#waiting.filter((w) => w !== c);
    c.done = true;
    this.#emit({ type: 'queue.left', contactId: c.id, queue: c.queue, outcome: 'abandoned' });
    this.#emit({ type: 'contact.ended', contactId: c.id, endedBy: 'customer' });
  }

  /** Gives waiting contacts to available agents: priority first, then longest wait. */
  #dispatch(): void {
    if (this.#waiting.length === 0) return;
    this.#waiting.sort((a, b) => b.priority - a.priority || a.enteredAt - b.enteredAt);
    for (const c of [...this.#waiting]) {
      const free = this.#agents.filter((a) => a.state === 'available' && a.queues.includes(c.queue));
      if (free.length === 0) continue;
      const agent = this.#rng.pick(free);
      this.#waiting = this.#waiting.filter((w) => w !== c);
      c.answered = true;
      agent.state = 'on_contact';
      // Ringing / accept time before the customer is connected.
      this.#after(this.#rng.int(1_500, 6_000), () => this.#answer(c, agent));
    }
  }

  #answer(c: SimContact, agent: SimAgent): void {
    const rng = this.#rng;
    this.#emit({ type: 'queue.left', contactId: c.id, queue: c.queue, outcome: 'answered', agentId: agent.id });
    this.#setAgent(agent, 'on_contact');
    const talk = rng.logNormal(c.channel === 'voice' ? 190_000 : 240_000, 0.55);
    this.#after(5_000, () => this.#say(c, 'agent', rng.pick(PHRASES.agent), 0, agent.id));
    if (rng.chance(0.18)) {
      const holdAt = talk * rng.next() * 0.7;
      const hold = rng.logNormal(45_000, 0.5);
      this.#after(holdAt, () => this.#emit({ type: 'contact.held', contactId: c.id, agentId: agent.id }));
      this.#after(holdAt + hold, () => this.#emit({ type: 'contact.resumed', contactId: c.id, agentId: agent.id }));
      this.#after(talk + hold, () => this.#endCall(c, agent));
    } else {
      this.#after(talk, () => this.#endCall(c, agent));
    }
  }

  #endCall(c: SimContact, agent: SimAgent): void {
    const rng = this.#rng;
    c.done = true;
    // How the customer sounds at the end; the outcome below is drawn separately, so the two only roughly agree.
    if (this.#talk.chance(0.5)) {
      const unhappy = this.#talk.chance(c.escalated ? 0.3 : 0.2);
      this.#say(c, 'customer', this.#talk.pick(unhappy ? PHRASES.closeUnhappy : PHRASES.closeHappy), 0);
    }
    this.#emit({ type: 'contact.ended', contactId: c.id, endedBy: rng.chance(0.6) ? 'customer' : 'agent' });
    this.#setAgent(agent, 'wrap_up');
    const resolved = rng.chance(c.escalated ? 0.78 : 0.85);
    if ((c.queue === 'sales' || c.queue === 'vip_care') && rng.chance(c.vip ? 0.4 : 0.25)) {
      const amount = Math.round(rng.logNormal(c.vip ? 900 : 180, 0.6) * 100) / 100;
      this.#emit({ type: 'contact.converted', contactId: c.id, amount, currency: rng.chance(0.7) ? 'USD' : 'CNY' });
    }
    const wrap = rng.logNormal(28_000, 0.5);
    this.#after(wrap, () => {
      this.#emit({
        type: 'wrapup.completed',
        contactId: c.id,
        agentId: agent.id,
        disposition: resolved ? 'resolved' : 'follow_up',
        resolved,
      });
      this.#maybeSurvey(
        c,
        c.escalated ? 'hybrid' : 'human',
        (c.answered ? this.#now - c.enteredAt : 0) / 1000,
        resolved,
      );
      this.#agentFree(agent);
    });
  }

  #agentFree(agent: SimAgent): void {
    // Now and then an agent who has worked a while takes a break instead of the next contact.
    if (this.#now - agent.lastBreak > 40 * 60_000 && this.#rng.chance(0.25)) {
      agent.lastBreak = this.#now;
      this.#setAgent(agent, 'break', this.#rng.pick(['coffee', 'lunch', 'coaching']));
      this.#after(this.#rng.logNormal(8 * 60_000, 0.4), () => this.#agentFree(agent));
      return;
    }
    this.#setAgent(agent, 'available');
    this.#dispatch();
  }

  #setAgent(agent: SimAgent, state: SimAgent['state'], reason?: string): void {
    agent.state = state;
    this.#emit({
      type: 'agent.state',
      agentId: agent.id,
      state,
      name: agent.name,
      team: agent.team,
      queues: agent.queues,
      remote: agent.remote,
      ...(reason ? { reason } : {}),
    });
    if (state === 'available') this.#dispatch();
  }

  #maybeSurvey(c: SimContact, handler: 'ai' | 'hybrid' | 'human', waitSeconds: number, resolved = true): void {
    const rng = this.#rng;
    if (!rng.chance(0.3)) return;
    const base = handler === 'ai' ? 4.1 : handler === 'hybrid' ? 3.8 : 4.2;
    const score = base - Math.min(1.5, waitSeconds / 200) + (resolved ? 0.3 : -0.9) + rng.normal() * 0.7;
    const csat = Math.max(1, Math.min(5, Math.round(score)));
    const nps = Math.max(0, Math.min(10, Math.round(csat * 2 + rng.normal() * 1.2)));
    this.#after(rng.int(20_000, 120_000), () => {
      this.#emit({ type: 'survey.completed', contactId: c.id, csat, nps, resolved });
    });
  }
}

function before(a: Task, b: Task): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
