/**
 * The event contract: the one runtime schema that producers, the server and the web app share.
 * Every boundary (HTTP, websocket, import, simulator) validates with these schemas.
 */
import { z } from 'zod';

export const LIMITS = {
  /** Longest id, contactId, agentId, queue name... */
  idLength: 256,
  /** Longest free text (transcript segment). */
  textLength: 20_000,
  /** Largest single event, as serialised JSON. */
  eventBytes: 64 * 1024,
  /** Most events in one request or websocket batch. */
  batchEvents: 10_000,
  /** Largest request body or websocket message. */
  bodyBytes: 16 * 1024 * 1024,
  /** Event times outside these bounds are rejected (epoch ms). */
  minAt: Date.UTC(2000, 0, 1),
  maxAt: Date.UTC(2100, 0, 1),
  /** Events are facts that happened: at most this far ahead of the server's clock (clock skew). */
  maxFutureMs: 15 * 60_000,
} as const;

export const CHANNELS = ['voice', 'chat', 'email', 'social', 'app'] as const;
export const BOT_OUTCOMES = ['contained', 'escalated', 'abandoned'] as const;
export const ESCALATION_REASONS = [
  'customer_request',
  'low_confidence',
  'complex_issue',
  'negative_sentiment',
  'high_value',
  'policy',
  'other',
] as const;
export const QUEUE_OUTCOMES = ['answered', 'abandoned', 'transferred'] as const;
export const ENDED_BY = ['customer', 'agent', 'bot', 'system'] as const;
export const AGENT_STATES = ['available', 'on_contact', 'wrap_up', 'break', 'training', 'meeting', 'offline'] as const;
export const SPEAKERS = ['customer', 'bot', 'agent'] as const;

export type Channel = (typeof CHANNELS)[number];
export type BotOutcome = (typeof BOT_OUTCOMES)[number];
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export type QueueOutcome = (typeof QUEUE_OUTCOMES)[number];
export type AgentState = (typeof AGENT_STATES)[number];
export type Speaker = (typeof SPEAKERS)[number];

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses an event time (RFC 3339 with offset, or epoch ms) to epoch ms; NaN when invalid. */
export function eventTimeMs(at: string | number): number {
  if (typeof at === 'number') return Number.isInteger(at) ? at : NaN;
  const m = RFC3339.exec(at);
  if (!m) return NaN;
  // Date.parse rolls 2026-02-30 over to March; a wrong calendar date is an error, not a guess.
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const check = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return NaN;
  return Date.parse(at);
}

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(LIMITS.idLength, `at most ${LIMITS.idLength} characters`)
  // A lone surrogate would be stored as U+FFFD, so two different ids could become one.
  .refine((s) => s.isWellFormed(), 'must be valid Unicode (no lone surrogates)');
const at = z
  .union([z.string().max(40), z.number()])
  .refine((v) => {
    const ms = eventTimeMs(v);
    return Number.isFinite(ms) && ms >= LIMITS.minAt && ms < LIMITS.maxAt;
  }, 'must be an RFC 3339 time with offset (e.g. 2026-11-24T09:30:00+08:00) or integer epoch milliseconds, between 2000 and 2100')
  .meta({
    description:
      'Event time: RFC 3339 with offset (e.g. 2026-11-24T09:30:00+08:00) or integer epoch milliseconds; ' +
      'between 2000 and 2100 and at most 15 minutes ahead of the server clock',
  });

const base = {
  id: id.meta({ description: 'Unique event id; the idempotency key' }),
  at,
};
const contact = { ...base, contactId: id };

export const contactStarted = z.looseObject({
  type: z.literal('contact.started'),
  ...contact,
  channel: z.enum(CHANNELS),
  customerId: id.optional(),
  segment: id.optional(),
});
export const botStarted = z.looseObject({
  type: z.literal('bot.started'),
  ...contact,
  botId: id.optional(),
});
export const botEnded = z.looseObject({
  type: z.literal('bot.ended'),
  ...contact,
  outcome: z.enum(BOT_OUTCOMES),
  reason: z.enum(ESCALATION_REASONS).optional(),
  intent: id.optional(),
});
export const queueEntered = z.looseObject({
  type: z.literal('queue.entered'),
  ...contact,
  queue: id,
  priority: z.number().int().min(0).max(1000).optional(),
});
export const queueLeft = z
  .looseObject({
    type: z.literal('queue.left'),
    ...contact,
    queue: id,
    outcome: z.enum(QUEUE_OUTCOMES),
    agentId: id.optional().meta({ description: 'The agent who answered; required when outcome is answered' }),
  })
  .refine((e) => e.outcome !== 'answered' || e.agentId !== undefined, {
    path: ['agentId'],
    message: 'is required when outcome is answered',
  })
  // JSON Schema cannot carry the refinement itself, so it says it in words and as if/then.
  .meta({
    description: 'A contact leaves a queue. agentId is required when outcome is answered.',
    if: { properties: { outcome: { const: 'answered' } } },
    then: { required: ['agentId'] },
  });
export const contactHeld = z.looseObject({ type: z.literal('contact.held'), ...contact, agentId: id });
export const contactResumed = z.looseObject({ type: z.literal('contact.resumed'), ...contact, agentId: id });
export const contactEnded = z.looseObject({
  type: z.literal('contact.ended'),
  ...contact,
  endedBy: z.enum(ENDED_BY).optional(),
});
export const wrapupCompleted = z.looseObject({
  type: z.literal('wrapup.completed'),
  ...contact,
  agentId: id,
  disposition: id.optional(),
  resolved: z.boolean().optional(),
});
export const contactConverted = z.looseObject({
  type: z.literal('contact.converted'),
  ...contact,
  amount: z.number().min(0).max(1e12),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD or CNY'),
});
export const surveyCompleted = z.looseObject({
  type: z.literal('survey.completed'),
  ...contact,
  csat: z.number().int().min(1).max(5).optional(),
  nps: z.number().int().min(0).max(10).optional(),
  resolved: z.boolean().optional(),
});
export const agentStateEvent = z.looseObject({
  type: z.literal('agent.state'),
  ...base,
  agentId: id,
  state: z.enum(AGENT_STATES),
  reason: id.optional(),
  name: id.optional(),
  team: id.optional(),
  queues: z.array(id).max(100).optional(),
  remote: z.boolean().optional(),
});
export const transcriptSegment = z.looseObject({
  type: z.literal('transcript.segment'),
  ...contact,
  speaker: z.enum(SPEAKERS),
  text: z.string().max(LIMITS.textLength, `at most ${LIMITS.textLength} characters`),
  agentId: id.optional(),
  offsetMs: z.number().int().min(0).optional(),
  sentiment: z.number().min(-1).max(1).optional(),
});

export const tandemEvent = z.discriminatedUnion('type', [
  contactStarted,
  botStarted,
  botEnded,
  queueEntered,
  queueLeft,
  contactHeld,
  contactResumed,
  contactEnded,
  wrapupCompleted,
  contactConverted,
  surveyCompleted,
  agentStateEvent,
  transcriptSegment,
]);

export type TandemEvent = z.infer<typeof tandemEvent>;
export type EventType = TandemEvent['type'];
export type EventOf<T extends EventType> = Extract<TandemEvent, { type: T }>;
export const EVENT_TYPES: readonly EventType[] = tandemEvent.options.map((o) => o.shape.type.value);

/** A validated event with its time resolved to epoch ms (and, once serialised for storage, its JSON). */
/**
 * An event ready to store. `receivedMs` is set when the event arrived at another node (scale-out), so
 * that every node stores the same row; otherwise the commit's own time is used.
 */
export type StoredEvent = { event: TandemEvent; atMs: number; json?: string; receivedMs?: number };

export type FieldError = { path: string; message: string };
export type EventCheck = { ok: true; value: StoredEvent } | { ok: false; id?: string; errors: FieldError[] };

function pathOf(path: PropertyKey[]): string {
  return path.length === 0 ? '(event)' : path.map(String).join('.');
}

/**
 * Validates one untrusted value against the contract. Never throws. With `now`, events dated more than
 * `LIMITS.maxFutureMs` after it are rejected (a producer's clock far ahead would pin the wall).
 */
export function checkEvent(input: unknown, now?: number): EventCheck {
  const maybeId =
    input && typeof input === 'object' && typeof (input as { id?: unknown }).id === 'string'
      ? ((input as { id: string }).id.slice(0, LIMITS.idLength) as string)
      : undefined;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: [{ path: '(event)', message: 'must be a JSON object' }] };
  }
  const type = (input as { type?: unknown }).type;
  if (typeof type !== 'string' || !(EVENT_TYPES as string[]).includes(type)) {
    return {
      ok: false,
      id: maybeId,
      errors: [{ path: 'type', message: `must be one of ${EVENT_TYPES.join(', ')}` }],
    };
  }
  const parsed = tandemEvent.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      id: maybeId,
      errors: parsed.error.issues.slice(0, 20).map((i) => ({ path: pathOf(i.path), message: i.message })),
    };
  }
  const atMs = eventTimeMs(parsed.data.at);
  if (now !== undefined && atMs > now + LIMITS.maxFutureMs) {
    const ahead = Math.round((atMs - now) / 60_000);
    return {
      ok: false,
      id: parsed.data.id,
      errors: [
        {
          path: 'at',
          message: `is ${ahead} minutes in the future (server time ${new Date(now).toISOString()}); at most ${LIMITS.maxFutureMs / 60_000} allowed`,
        },
      ],
    };
  }
  return { ok: true, value: { event: parsed.data, atMs } };
}

/** The contract as JSON Schema (draft 2020-12), served at /api/schema. */
export function eventJsonSchema(): unknown {
  return z.toJSONSchema(tandemEvent, { io: 'input', unrepresentable: 'any' });
}
