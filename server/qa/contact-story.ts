/**
 * One contact's story, read from its events: the conversation with a sentiment per segment, the phases it
 * went through (bot, queue, agent, hold, wrap-up), the handoff, and the summary that the QA lists filter
 * on (qa_contacts). Pure: the same events always tell the same story, whichever order they arrived in.
 */
import type { QaContact, QaPhase, QaSegment, RedactionCounts, ReviewFlag } from '../contract/qa.ts';
import type { TandemEvent } from '../contract/events.ts';
import { sentimentOf } from './sentiment.ts';
import { reviewFlags } from './review-flags.ts';

export type ContactEvent = { id: string; atMs: number; event: TandemEvent };
export type ContactSummary = Omit<QaContact, 'qaScore' | 'evaluations'> & {
  customerId: string | null;
  lastMs: number;
  /** The contact's one agent and queue, for per-agent and per-queue figures: see summarize. */
  agent: string | null;
  queue: string | null;
};

/** Events in the order they happened (ties by id, so replays agree). */
export function inOrder(events: readonly ContactEvent[]): ContactEvent[] {
  return [...events].sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function segmentsOf(events: readonly ContactEvent[]): QaSegment[] {
  const out: QaSegment[] = [];
  for (const { id, atMs, event: e } of events) {
    if (e.type !== 'transcript.segment') continue;
    const s = sentimentOf(e.text, e.sentiment);
    out.push({
      eventId: id,
      at: atMs,
      speaker: e.speaker,
      agentId: e.agentId ?? null,
      text: e.text,
      sentiment: s.score,
      sentimentSource: s.source,
      redactions: redactionsOf(e),
    });
  }
  return out;
}

function redactionsOf(e: TandemEvent): RedactionCounts {
  const r = (e as { redactions?: unknown }).redactions;
  return r && typeof r === 'object' ? (r as RedactionCounts) : {};
}

export function addCounts(into: RedactionCounts, more: RedactionCounts): RedactionCounts {
  for (const [k, v] of Object.entries(more) as [keyof RedactionCounts, number][]) into[k] = (into[k] ?? 0) + v;
  return into;
}

/** Stretches of the contact's life. Open ones (still on hold, still waiting) have `to` null. */
export function phasesOf(events: readonly ContactEvent[]): QaPhase[] {
  const phases: QaPhase[] = [];
  const open = new Map<string, QaPhase>();
  const start = (key: string, p: QaPhase) => {
    open.set(key, p);
    phases.push(p);
  };
  const stop = (key: string, at: number) => {
    const p = open.get(key);
    if (p) {
      p.to = at;
      open.delete(key);
    }
  };
  for (const { atMs, event: e } of events) {
    switch (e.type) {
      case 'bot.started':
        start('bot', { kind: 'bot', from: atMs, to: null, label: e.botId ?? null });
        break;
      case 'bot.ended':
        stop('bot', atMs);
        break;
      case 'queue.entered':
        start(`queue:${e.queue}`, { kind: 'queue', from: atMs, to: null, label: e.queue });
        break;
      case 'queue.left':
        stop(`queue:${e.queue}`, atMs);
        if (e.outcome === 'answered' && e.agentId) {
          stop('agent', atMs);
          start('agent', { kind: 'agent', from: atMs, to: null, label: e.agentId });
        }
        break;
      case 'contact.held':
        start(`hold:${e.agentId}`, { kind: 'hold', from: atMs, to: null, label: e.agentId });
        break;
      case 'contact.resumed':
        stop(`hold:${e.agentId}`, atMs);
        break;
      case 'contact.ended': {
        const agent = open.get('agent');
        for (const key of [...open.keys()]) stop(key, atMs);
        if (agent) start('wrapup', { kind: 'wrapup', from: atMs, to: null, label: agent.label });
        break;
      }
      case 'wrapup.completed':
        if (open.has('wrapup')) stop('wrapup', atMs);
        else phases.push({ kind: 'wrapup', from: atMs, to: atMs, label: e.agentId });
        break;
      default:
        break;
    }
  }
  return phases;
}

/** The moment the bot handed over, if it did. */
export function handoffOf(events: readonly ContactEvent[]) {
  let botId: string | null = null;
  for (const { atMs, event: e } of events) {
    if (e.type === 'bot.started') botId = e.botId ?? botId;
    if (e.type === 'bot.ended' && e.outcome === 'escalated') {
      return { at: atMs, reason: e.reason ?? null, intent: e.intent ?? null, botId };
    }
  }
  return null;
}

/**
 * What the QA lists show and filter on, with the review flags raised. Where one value per contact is
 * needed (score rollups per agent, bot, queue): its agent is who answered it last (else who wrapped it
 * up), its queue that answer's (else the last it entered), its bot its first bot session's.
 */
export function summarize(contactId: string, events: readonly ContactEvent[]): ContactSummary {
  const ordered = inOrder(events);
  const segments = segmentsOf(ordered);
  const phases = phasesOf(ordered);
  const queues = new Set<string>();
  const agents = new Set<string>();
  let started: number | null = null;
  let ended: number | null = null;
  let channel: string | null = null;
  let customerId: string | null = null;
  let segment: string | null = null;
  let bot = false;
  let botId: string | null = null;
  let answeredBy: string | null = null;
  let answeredIn: string | null = null;
  let wrappedBy: string | null = null;
  let lastQueue: string | null = null;
  let botOutcome: string | null = null;
  let reason: string | null = null;
  let intent: string | null = null;
  let csat: number | null = null;
  let nps: number | null = null;
  let revenue: number | null = null;
  let disposition: string | null = null;
  for (const { atMs, event: e } of ordered) {
    switch (e.type) {
      case 'contact.started':
        if (started === null) {
          started = atMs;
          channel = e.channel;
          customerId = e.customerId ?? null;
          segment = e.segment ?? null;
        }
        break;
      case 'contact.ended':
        ended = atMs;
        break;
      case 'bot.started':
        bot = true;
        botId ??= e.botId ?? null;
        break;
      case 'bot.ended':
        bot = true;
        // An escalation is what the contact's handler turns on, so it outranks a later containment.
        if (botOutcome !== 'escalated') botOutcome = e.outcome;
        if (e.outcome === 'escalated') reason = e.reason ?? 'other';
        intent = e.intent ?? intent;
        break;
      case 'queue.entered':
        queues.add(e.queue);
        lastQueue = e.queue;
        break;
      case 'queue.left':
        queues.add(e.queue);
        if (e.agentId) agents.add(e.agentId);
        if (e.outcome === 'answered' && e.agentId) {
          answeredBy = e.agentId;
          answeredIn = e.queue;
        }
        break;
      case 'wrapup.completed':
        agents.add(e.agentId);
        wrappedBy = e.agentId;
        disposition = e.disposition ?? disposition;
        break;
      case 'survey.completed':
        csat = e.csat ?? csat;
        nps = e.nps ?? nps;
        break;
      case 'contact.converted':
        revenue = (revenue ?? 0) + e.amount;
        break;
      case 'transcript.segment':
        if (e.speaker === 'agent' && e.agentId) agents.add(e.agentId);
        break;
      default:
        break;
    }
  }
  const customer = segments.filter((s) => s.speaker === 'customer');
  const sentiment = customer.length ? customer.reduce((sum, s) => sum + s.sentiment, 0) / customer.length : null;
  const holdMs = phases
    .filter((p) => p.kind === 'hold')
    .reduce((sum, p) => sum + ((p.to ?? ended ?? ordered.at(-1)!.atMs) - p.from), 0);
  const handler = !bot ? 'human' : botOutcome === 'escalated' ? 'hybrid' : 'ai';
  const redactions = segments.reduce((n, s) => n + Object.values(s.redactions).reduce((a, b) => a + (b ?? 0), 0), 0);
  const summary: ContactSummary = {
    contactId,
    start: started ?? ordered[0]?.atMs ?? null,
    end: ended,
    lastMs: ordered.at(-1)?.atMs ?? 0,
    channel,
    // Like the KPI facts: without its start, a contact's handler is not known.
    handler: started === null ? null : handler,
    queues: [...queues].sort(),
    agents: [...agents].sort(),
    agent: answeredBy ?? wrappedBy,
    queue: answeredIn ?? lastQueue,
    botId,
    botOutcome,
    reason,
    segment,
    intent,
    csat,
    nps,
    converted: revenue !== null,
    revenue,
    disposition,
    customerId,
    segments: segments.length,
    botTurns: segments.filter((s) => s.speaker === 'bot').length,
    sentiment: sentiment === null ? null : Math.round(sentiment * 1000) / 1000,
    sentimentEnd: customer.at(-1)?.sentiment ?? null,
    holdMs,
    redactions,
    flags: [] as ReviewFlag[],
  };
  summary.flags = reviewFlags({ summary, segments, events: ordered });
  return summary;
}
