/**
 * The live wallboard contract: the snapshot the server keeps and the websocket messages that carry it.
 * Server and web both import this module; the web validates every message with these schemas.
 */
import { z } from 'zod';
import { AGENT_STATES, CHANNELS } from './events.ts';
import { targetsShape } from './kpi-settings.ts';
import { SL_VARIANTS } from './kpis.ts';

const nullableNumber = z.number().nullable();
const counts = z.record(z.string(), z.number());

export const kpisSchema = z.object({
  contacts: z.number(),
  contactsByHandler: z.object({ ai: z.number(), hybrid: z.number(), human: z.number() }),
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  shortAbandoned: z.number(),
  transferred: z.number(),
  answeredWithinThreshold: z.number(),
  serviceLevel: nullableNumber,
  asaSeconds: nullableNumber,
  ahtSeconds: nullableNumber,
  abandonRate: nullableNumber,
  occupancy: nullableNumber,
  botSessions: z.number(),
  botContained: z.number(),
  botEscalated: z.number(),
  botAbandoned: z.number(),
  containmentRate: nullableNumber,
  escalationRate: nullableNumber,
  escalationReasons: counts,
  csat: nullableNumber,
  csatAverage: nullableNumber,
  csatResponses: z.number(),
  nps: nullableNumber,
  npsResponses: z.number(),
  surveyResolutionRate: nullableNumber,
  fcr: nullableNumber,
  fcrContacts: z.number(),
  conversions: z.number(),
  conversionRate: nullableNumber,
  sales: counts,
});

export const queueLiveSchema = z.object({
  queue: z.string(),
  waiting: z.number(),
  /** Event time the longest-waiting contact entered; the client ticks the wait itself. */
  oldestEnteredAt: nullableNumber,
  escalatedWaiting: z.number(),
  agentsStaffed: z.number(),
  agentsAvailable: z.number(),
  agentsOnContact: z.number(),
  /**
   * Agents Erlang C says the queue needs now: the last 15 minutes' arrivals, today's handle time and the
   * queue's service-level target (80% when none is set) within its threshold. Null until both are known.
   */
  agentsNeeded: nullableNumber,
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  serviceLevel: nullableNumber,
  asaSeconds: nullableNumber,
  abandonRate: nullableNumber,
  ahtSeconds: nullableNumber,
});

export const agentLiveSchema = z.object({
  agentId: z.string(),
  name: z.string().nullable(),
  team: z.string().nullable(),
  state: z.enum(AGENT_STATES),
  since: z.number(),
  reason: z.string().nullable(),
  queues: z.array(z.string()),
  remote: z.boolean().nullable(),
  contactId: z.string().nullable(),
  channel: z.enum(CHANNELS).nullable(),
  onHold: z.boolean(),
});

export const botsLiveSchema = z.object({
  active: z.number(),
  escalatedWaiting: z.number(),
  oldestEscalatedAt: nullableNumber,
});

/** One minute of the last hour: contacts started by handler, and bot sessions that ended escalated. */
export const handlerPointSchema = z.object({
  minute: z.number(),
  ai: z.number(),
  hybrid: z.number(),
  human: z.number(),
  /** Bot sessions that ended `escalated` in this minute (hand-offs to people); 0 in a scoped view. */
  handoffs: z.number(),
});

/** Today's queue figures of one group of contacts, by the same definitions as `today`. */
export const sourceKpisSchema = z.object({
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  serviceLevel: nullableNumber,
  asaSeconds: nullableNumber,
});

/**
 * Today's queue figures of contacts a bot escalated (a bot session of theirs ended `escalated`, whenever
 * that arrived) and of all other queue contacts ("direct"). Together they make up the queues' totals.
 */
export const bySourceSchema = z.object({ escalated: sourceKpisSchema, direct: sourceKpisSchema });

/** One 15-minute slot of today (slots start at the day start in the center's zone). */
export const slPointSchema = z.object({
  /** Start of the slot, epoch ms. */
  start: z.number(),
  offered: z.number(),
  /** Service level of the queue exits in the slot; null when there is nothing to count. */
  serviceLevel: nullableNumber,
});

export const liveSnapshotSchema = z.object({
  /** Server clock when the snapshot was taken (epoch ms); clients derive their clock offset from it. */
  now: z.number(),
  timeZone: z.string(),
  dayStart: z.number(),
  demo: z.boolean(),
  /** The definitions the figures were computed with: defaults and per-queue overrides. */
  settings: z.object({
    slThresholdSeconds: z.number(),
    shortAbandonSeconds: z.number(),
    slVariant: z.enum(SL_VARIANTS),
    fcrHorizonDays: z.number().optional(),
    queues: z
      .record(
        z.string(),
        z.object({
          slThresholdSeconds: z.number().optional(),
          shortAbandonSeconds: z.number().optional(),
          slVariant: z.enum(SL_VARIANTS).optional(),
        }),
      )
      .optional(),
  }),
  /** The targets that colour the figures: the defaults, and each queue's own (over the defaults). */
  targets: z.object({ defaults: targetsShape, queues: z.record(z.string(), targetsShape) }),
  today: kpisSchema,
  rolling15: kpisSchema,
  queues: z.array(queueLiveSchema),
  agents: z.array(agentLiveSchema),
  agentCounts: z.record(z.string(), z.number()),
  bots: botsLiveSchema,
  handlerSeries: z.array(handlerPointSchema),
  bySource: bySourceSchema,
  /** Today's service level per 15-minute slot, from the day start through the current slot. */
  slSeries: z.array(slPointSchema),
});

export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;
export type QueueLive = z.infer<typeof queueLiveSchema>;
export type AgentLive = z.infer<typeof agentLiveSchema>;
export type BotsLive = z.infer<typeof botsLiveSchema>;
export type HandlerPoint = z.infer<typeof handlerPointSchema>;
export type SourceKpis = z.infer<typeof sourceKpisSchema>;
export type BySource = z.infer<typeof bySourceSchema>;
export type SlPoint = z.infer<typeof slPointSchema>;

/** Keyed collections travel as upserts and removals; everything else as whole replacement. */
const keyedChange = <T extends z.ZodType>(item: T) =>
  z.object({ upsert: z.array(item), remove: z.array(z.string()) }).optional();

export const liveDeltaSchema = z.object({
  type: z.literal('delta'),
  seq: z.number(),
  now: z.number(),
  timeZone: z.string().optional(),
  dayStart: z.number().optional(),
  demo: z.boolean().optional(),
  settings: liveSnapshotSchema.shape.settings.optional(),
  targets: liveSnapshotSchema.shape.targets.optional(),
  today: kpisSchema.optional(),
  rolling15: kpisSchema.optional(),
  queues: keyedChange(queueLiveSchema),
  agents: keyedChange(agentLiveSchema),
  agentCounts: liveSnapshotSchema.shape.agentCounts.optional(),
  bots: botsLiveSchema.optional(),
  handlerSeries: z.array(handlerPointSchema).optional(),
  bySource: bySourceSchema.optional(),
  /** Slots by start: a busy floor changes only the current slot, so only that one travels. */
  slSeries: keyedChange(slPointSchema),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), seq: z.number(), snapshot: liveSnapshotSchema }),
  liveDeltaSchema,
  z.object({ type: z.literal('heartbeat'), seq: z.number(), now: z.number() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('resync') }),
  z.object({ type: z.literal('ping') }),
]);

export type LiveDelta = z.infer<typeof liveDeltaSchema>;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** Applies a delta to a snapshot, returning a new snapshot. Pure: used by the web client and tests. */
export function applyDelta(s: LiveSnapshot, d: LiveDelta): LiveSnapshot {
  const next: LiveSnapshot = { ...s, now: d.now };
  if (d.timeZone !== undefined) next.timeZone = d.timeZone;
  if (d.dayStart !== undefined) next.dayStart = d.dayStart;
  if (d.demo !== undefined) next.demo = d.demo;
  if (d.settings) next.settings = d.settings;
  if (d.targets) next.targets = d.targets;
  if (d.today) next.today = d.today;
  if (d.rolling15) next.rolling15 = d.rolling15;
  if (d.agentCounts) next.agentCounts = d.agentCounts;
  if (d.bots) next.bots = d.bots;
  if (d.handlerSeries) next.handlerSeries = d.handlerSeries;
  if (d.bySource) next.bySource = d.bySource;
  if (d.slSeries) next.slSeries = mergeKeyed(s.slSeries, d.slSeries, slotKey);
  if (d.queues) next.queues = mergeKeyed(s.queues, d.queues, (q) => q.queue);
  if (d.agents) next.agents = mergeKeyed(s.agents, d.agents, (a) => a.agentId);
  return next;
}

/** Epoch-ms starts have 13 digits until the year 2286, so their strings sort as the numbers do. */
const slotKey = (p: SlPoint) => String(p.start);

function mergeKeyed<T>(list: T[], change: { upsert: T[]; remove: string[] }, key: (t: T) => string): T[] {
  const map = new Map(list.map((t) => [key(t), t]));
  for (const k of change.remove) map.delete(k);
  for (const t of change.upsert) map.set(key(t), t);
  return [...map.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Computes the delta that turns `prev` into `next` (the server sends it; tests check the round trip). */
export function diffSnapshots(prev: LiveSnapshot, next: LiveSnapshot, seq: number): LiveDelta {
  const d: LiveDelta = { type: 'delta', seq, now: next.now };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (prev.timeZone !== next.timeZone) d.timeZone = next.timeZone;
  if (prev.dayStart !== next.dayStart) d.dayStart = next.dayStart;
  if (prev.demo !== next.demo) d.demo = next.demo;
  if (!same(prev.settings, next.settings)) d.settings = next.settings;
  if (!same(prev.targets, next.targets)) d.targets = next.targets;
  if (!same(prev.today, next.today)) d.today = next.today;
  if (!same(prev.rolling15, next.rolling15)) d.rolling15 = next.rolling15;
  if (!same(prev.agentCounts, next.agentCounts)) d.agentCounts = next.agentCounts;
  if (!same(prev.bots, next.bots)) d.bots = next.bots;
  if (!same(prev.handlerSeries, next.handlerSeries)) d.handlerSeries = next.handlerSeries;
  if (!same(prev.bySource, next.bySource)) d.bySource = next.bySource;
  const slots = diffKeyed(prev.slSeries, next.slSeries, slotKey);
  if (slots) d.slSeries = slots;
  const queues = diffKeyed(prev.queues, next.queues, (q) => q.queue);
  if (queues) d.queues = queues;
  const agents = diffKeyed(prev.agents, next.agents, (a) => a.agentId);
  if (agents) d.agents = agents;
  return d;
}

function diffKeyed<T>(prev: T[], next: T[], key: (t: T) => string): { upsert: T[]; remove: string[] } | undefined {
  const before = new Map(prev.map((t) => [key(t), JSON.stringify(t)]));
  const upsert = next.filter((t) => before.get(key(t)) !== JSON.stringify(t));
  const nextKeys = new Set(next.map(key));
  const remove = [...before.keys()].filter((k) => !nextKeys.has(k));
  return upsert.length || remove.length ? { upsert, remove } : undefined;
}

export function isDeltaEmpty(d: LiveDelta): boolean {
  return Object.keys(d).every((k) => k === 'type' || k === 'seq' || k === 'now');
}
