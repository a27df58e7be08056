/**
 * The QA contract: what personal data is redacted from transcripts at ingest, and the admin's choice of
 * it. Server and web both import this module.
 */
import { z } from 'zod';
import { BOT_OUTCOMES, CHANNELS, eventTimeMs, LIMITS, SPEAKERS } from './events.ts';

/** Every kind of personal data the redaction knows, in the order its rules run (docs/qa.md). */
export const REDACTION_KINDS = ['CN_ID', 'CARD', 'SSN', 'EMAIL', 'PHONE'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];
export type RedactionCounts = Partial<Record<RedactionKind, number>>;

/** PUT /api/settings/redaction: the kinds to redact; an empty list redacts nothing (and says so in the audit). */
export const redactionSettings = z.strictObject({
  kinds: z
    .array(z.enum(REDACTION_KINDS))
    .max(REDACTION_KINDS.length)
    .transform((kinds) => REDACTION_KINDS.filter((k) => kinds.includes(k))),
});
export type RedactionSettings = z.output<typeof redactionSettings>;
/** What GET answers: the kinds in force, and who chose them when (null while the default holds). */
export type RedactionSettingsView = RedactionSettings & { updatedAt: number | null; updatedBy: string | null };

/**
 * Review flags: rules that pick contacts worth a QA reviewer's time (server/qa/review-flags.ts, docs/qa.md).
 * - negative_end: the customer's last words were negative.
 * - long_hold: the customer was on hold for long, in total.
 * - bot_loop: the bot said the same thing again and again (stuck on one intent).
 * - late_escalation: the bot escalated only after many turns.
 * - low_csat: the survey's CSAT was low.
 * - abandoned_after_handoff: the bot handed off and the customer gave up waiting for a person.
 */
export const REVIEW_FLAGS = [
  'negative_end',
  'long_hold',
  'bot_loop',
  'late_escalation',
  'low_csat',
  'abandoned_after_handoff',
] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];
/** The thresholds behind the flags; fixed for now, printed in docs/qa.md and on the search page. */
export const FLAG_RULES = {
  negativeEndBelow: -0.25,
  longHoldMs: 120_000,
  botLoopRepeats: 3,
  lateEscalationBotTurns: 6,
  lowCsatAtMost: 2,
} as const;

export const HANDLERS = ['ai', 'hybrid', 'human'] as const;
export const SENTIMENT_BANDS = ['negative', 'neutral', 'positive'] as const;
export type SentimentBand = (typeof SENTIMENT_BANDS)[number];
/** A score below -0.05 is negative, above 0.05 positive (VADER's convention). */
export function sentimentBand(score: number): SentimentBand {
  return score < -0.05 ? 'negative' : score > 0.05 ? 'positive' : 'neutral';
}
export const CONTACT_SORTS = ['newest', 'oldest', 'sentiment', 'csat', 'qa_score', 'relevance'] as const;

/** A list in the address is the key repeated (?queue=a&queue=b); one value is a list of one. */
const list = <T extends z.ZodType<string, string>>(item: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(item).max(50, 'at most 50 values'));
const text = z.string().trim().min(1).max(LIMITS.idLength, `at most ${LIMITS.idLength} characters`);
const num = (min: number, max: number) =>
  z.coerce.number().refine(Number.isFinite, 'must be a number').pipe(z.number().min(min).max(max));
const yesNo = z.enum(['yes', 'no']);
/**
 * A range bound in an address: epoch milliseconds, RFC 3339 with offset, or a day alone (YYYY-MM-DD) meaning
 * that day in the contact center's time zone (as `from` its start; as `to` the day is included). The QA
 * search and the score rollups take the same; server/time.ts `boundMs` resolves it.
 */
/** A range bound as the APIs take it: an instant, or a day (YYYY-MM-DD) in the center's zone. */
export type TimeBound = { ms: number } | { day: string };
export const timeBound = z.union([z.number(), z.string()]).transform((v, ctx): TimeBound => {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(v))) return { day: v };
  const ms = typeof v === 'number' || /^\d{1,15}$/.test(v) ? Number(v) : eventTimeMs(v);
  if (!Number.isFinite(ms) || ms < LIMITS.minAt || ms > LIMITS.maxAt) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a day (YYYY-MM-DD), RFC 3339 with offset or epoch milliseconds, between 2000 and 2100',
    });
    return z.NEVER;
  }
  return { ms };
});

/**
 * What the QA search page filters on, as the address carries it (GET /api/qa/contacts and the page's
 * URL share this schema, so a link is a query). Every filter narrows; within one filter, values are OR.
 */
export const contactFilters = z.strictObject({
  q: z.string().max(500, 'at most 500 characters').optional(),
  speaker: z.enum(SPEAKERS).optional(),
  from: timeBound.optional(),
  to: timeBound.optional(),
  queue: list(text).optional(),
  channel: list(z.enum(CHANNELS)).optional(),
  handler: list(z.enum(HANDLERS)).optional(),
  agent: list(text).optional(),
  bot: list(text).optional(),
  botOutcome: list(z.enum(BOT_OUTCOMES)).optional(),
  reason: list(text).optional(),
  segment: list(text).optional(),
  csatMin: num(1, 5).optional(),
  csatMax: num(1, 5).optional(),
  npsMin: num(0, 10).optional(),
  npsMax: num(0, 10).optional(),
  sentiment: list(z.enum(SENTIMENT_BANDS)).optional(),
  converted: yesNo.optional(),
  disposition: list(text).optional(),
  qaMin: num(0, 100).optional(),
  qaMax: num(0, 100).optional(),
  evaluated: yesNo.optional(),
  flag: list(z.enum(REVIEW_FLAGS)).optional(),
  sort: z.enum(CONTACT_SORTS).optional(),
  page: z.coerce.number().int().min(1).max(5_000).optional(),
  size: z.coerce.number().int().min(1).max(200).optional(),
});
export type ContactFilters = z.output<typeof contactFilters>;
export type ContactFiltersInput = z.input<typeof contactFilters>;

/** One contact as the QA lists show it (a row of qa_contacts). */
export type QaContact = {
  contactId: string;
  start: number | null;
  end: number | null;
  channel: string | null;
  handler: string | null;
  queues: string[];
  agents: string[];
  botId: string | null;
  botOutcome: string | null;
  reason: string | null;
  /** The customer segment its start names (e.g. vip). */
  segment: string | null;
  intent: string | null;
  csat: number | null;
  nps: number | null;
  converted: boolean;
  revenue: number | null;
  disposition: string | null;
  segments: number;
  botTurns: number;
  sentiment: number | null;
  sentimentEnd: number | null;
  holdMs: number;
  redactions: number;
  flags: ReviewFlag[];
  qaScore: number | null;
  evaluations: number;
};
/** A matching segment, when the search has words. */
export type QaHit = {
  eventId: string;
  speaker: string;
  at: number;
  score: number;
  snippet: { text: string; highlights: [number, number][] };
};
/** GET /api/qa/contacts: contacts (newest first, or by relevance when searching), with counts. */
export type QaContactList = {
  total: number;
  page: number;
  size: number;
  /** With words: how many segments matched, and each row's best one. */
  segments: number | null;
  rows: (QaContact & { hit: QaHit | null })[];
};

/** One segment of the conversation as the contact view shows it. */
export type QaSegment = {
  eventId: string;
  at: number;
  speaker: 'customer' | 'bot' | 'agent';
  agentId: string | null;
  text: string;
  sentiment: number;
  sentimentSource: 'producer' | 'lexicon';
  redactions: RedactionCounts;
};
/** A stretch of the contact's life: in the bot, waiting in a queue, with an agent, on hold, in wrap-up. */
export type QaPhase = {
  kind: 'bot' | 'queue' | 'agent' | 'hold' | 'wrapup';
  from: number;
  to: number | null;
  label: string | null;
};
/** GET /api/qa/contacts/:id */
export type QaContactView = {
  contact: QaContact;
  customerId: string | null;
  segments: QaSegment[];
  phases: QaPhase[];
  /** The moment the bot handed over, with why and on what intent. */
  handoff: { at: number; reason: string | null; intent: string | null; botId: string | null } | null;
  survey: { at: number; csat: number | null; nps: number | null; resolved: boolean | null } | null;
  conversions: { at: number; amount: number; currency: string }[];
  redactions: RedactionCounts;
  events: { id: string; type: string; at: number; summary: string }[];
};

/** POST /api/qa/import: whole conversations, one object per contact. */
const importSegment = z.looseObject({
  speaker: z.enum(SPEAKERS),
  text: z.string().max(LIMITS.textLength, `at most ${LIMITS.textLength} characters`),
  at: z.union([z.string().max(40), z.number()]).optional(),
  offsetMs: z.number().int().min(0).max(86_400_000).optional(),
  agentId: z.string().min(1).max(LIMITS.idLength).optional(),
  sentiment: z.number().min(-1).max(1).optional(),
});
export const conversationImport = z.strictObject({
  conversations: z
    .array(
      z.looseObject({
        contactId: z.string().min(1, 'must not be empty').max(LIMITS.idLength),
        /** When the conversation started: RFC 3339 or epoch ms; segments are placed by offsetMs from it. */
        startedAt: z.union([z.string().max(40), z.number()]),
        segments: z.array(importSegment).min(1, 'must hold at least one segment').max(2_000, 'at most 2000 segments'),
      }),
    )
    .min(1, 'must hold at least one conversation')
    .max(5_000, 'at most 5000 conversations'),
});
export type ConversationImport = z.input<typeof conversationImport>;
export type ConversationImportResult = { conversations: number; segments: number; duplicates: number };
