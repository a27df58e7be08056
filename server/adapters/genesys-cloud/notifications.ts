/**
 * Notification events (topicName + eventBody, from a notification channel's websocket, EventBridge or
 * a saved log) → agent states and conversation events. Heartbeats (`channel.metadata`) are ignored.
 *
 * A conversation notification is the whole conversation as it stands, sent again on every change, so
 * each one is mapped in full and the derived ids make what was already told a duplicate.
 */
import type { AgentState, TandemEvent } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { idOf, timeMs, zodReason } from '../vendor-fields.ts';
import { BOT_PURPOSES, channelOf, CUSTOMER_PURPOSES, endedByOf, gcId, presenceState, routingState } from './common.ts';
import {
  activityBody,
  conversationBody,
  MEDIA_KEYS,
  presence as presenceSchema,
  routingStatusBody,
  type Communication,
  type ConversationParticipant,
  type Presence,
  type RoutingStatus,
} from './types.ts';

const USER_TOPIC = /^v2\.users\.([^.]+)\.(activity|routingStatus|presence)$/;
const CONVERSATION_TOPIC = /^v2\.(?:routing\.queues|users)\.[^.]+\.conversations(?:\.[a-z]+)?$/i;

export function mapNotification(out: Collector, record: number, topicName: string, body: unknown): void {
  if (topicName === 'channel.metadata') {
    out.ignore();
    return;
  }
  const user = USER_TOPIC.exec(topicName);
  if (user) return mapUser(out, record, user[1]!, user[2]!, body);
  if (CONVERSATION_TOPIC.test(topicName)) return mapConversation(out, record, body);
  out.issue(record, 'unknown', `topic ${topicName.slice(0, 120)} is not one Tandem maps`);
}

function mapUser(out: Collector, record: number, userId: string, kind: string, body: unknown): void {
  const agentId = idOf(userId);
  let routing: RoutingStatus | null | undefined;
  let pres: Presence | null | undefined;
  let queues: string[] | undefined;
  if (kind === 'activity') {
    const b = activityBody.safeParse(body);
    if (!b.success) return out.issue(record, 'malformed', `activity: ${zodReason(b.error.issues)}`);
    routing = b.data.routingStatus;
    pres = b.data.presence;
    queues = b.data.activeQueueIds?.filter((q) => idOf(q) !== undefined).slice(0, 100);
  } else if (kind === 'routingStatus') {
    const b = routingStatusBody.safeParse(body);
    if (!b.success) return out.issue(record, 'malformed', `routingStatus: ${zodReason(b.error.issues)}`);
    routing = b.data.routingStatus;
  } else {
    const b = presenceSchema.safeParse(body);
    if (!b.success) return out.issue(record, 'malformed', `presence: ${zodReason(b.error.issues)}`);
    pres = b.data;
  }
  if (!routing && !pres) return out.issue(record, 'malformed', `${kind}: neither routingStatus nor presence`);
  const fromRouting = routing ? routingState(routing.status) : null;
  const fromPresence = pres ? presenceState(pres.presenceDefinition.systemPresence) : null;
  let state: { state: AgentState; reason?: string } | null = fromRouting ?? fromPresence;
  if (!state && routing?.status.toUpperCase() === 'OFF_QUEUE') state = { state: 'break', reason: 'off_queue' };
  const at = Math.max(timeMs(routing?.startTime) ?? -Infinity, timeMs(pres?.modifiedDate) ?? -Infinity);
  if (!agentId || !Number.isFinite(at)) {
    return out.issue(
      record,
      'malformed',
      !agentId ? 'topic names no user' : `${kind}: no valid startTime or modifiedDate`,
    );
  }
  if (!state) {
    // On Queue presence alone: the routing status that goes with it says idle or interacting.
    if (kind === 'presence') return out.ignore();
    return out.issue(record, 'unknown', `${kind}: status ${routing?.status ?? '(none)'} is not one Tandem knows`);
  }
  out.emit(record, {
    id: gcId('user', agentId, kind, at, state.state, state.reason ?? ''),
    type: 'agent.state',
    at,
    agentId,
    ...state,
    ...(queues?.length ? { queues } : {}),
  });
}

const comms = (p: ConversationParticipant): Communication[] => MEDIA_KEYS.flatMap((k) => p[k] ?? []);
const mediaOf = (p: ConversationParticipant) => MEDIA_KEYS.find((k) => (p[k] ?? []).length > 0);
const startOf = (p: ConversationParticipant) =>
  timeMs(p.connectedTime) ??
  timeMs(p.startTime) ??
  Math.min(...comms(p).map((c) => timeMs(c.connectedTime) ?? Infinity));
const endOf = (p: ConversationParticipant) =>
  timeMs(p.endTime) ?? Math.max(...comms(p).map((c) => timeMs(c.disconnectedTime) ?? -Infinity));
const disconnectOf = (p: ConversationParticipant) => comms(p).find((c) => c.disconnectType)?.disconnectType;

function mapConversation(out: Collector, record: number, body: unknown): void {
  const b = conversationBody.safeParse(body);
  if (!b.success) return out.issue(record, 'malformed', `conversation: ${zodReason(b.error.issues)}`);
  const contactId = idOf(b.data.id);
  if (!contactId) return out.issue(record, 'malformed', 'conversation id is longer than 256 characters');
  const emit = (e: TandemEvent) => out.emit(record, e);
  const ps = b.data.participants;
  const customers = ps.filter((p) => CUSTOMER_PURPOSES.includes(p.purpose.toLowerCase()));
  const agents = ps.filter((p) => p.purpose.toLowerCase() === 'agent' && idOf(p.userId));
  const started = Math.min(...(customers.length ? customers : ps).map(startOf));
  const channel = channelOf(ps.map(mediaOf).find(Boolean));
  if (Number.isFinite(started) && channel) {
    emit({ id: gcId(contactId, 'started'), type: 'contact.started', at: started, contactId, channel });
  }
  for (const p of ps) {
    const purpose = p.purpose.toLowerCase();
    const begin = startOf(p);
    const end = endOf(p);
    if (BOT_PURPOSES.includes(purpose) && Number.isFinite(begin)) {
      emit({
        id: gcId(contactId, 'bot.started', p.id),
        type: 'bot.started',
        at: begin,
        contactId,
        ...(p.name && idOf(p.name) ? { botId: p.name } : {}),
      });
      if (Number.isFinite(end)) {
        const queuedAfter = ps.some((q) => q.purpose.toLowerCase() === 'acd' && startOf(q) >= begin);
        const outcome = queuedAfter
          ? 'escalated'
          : disconnectOf(p)?.toLowerCase() === 'peer'
            ? 'abandoned'
            : 'contained';
        emit({ id: gcId(contactId, 'bot.ended', p.id), type: 'bot.ended', at: end, contactId, outcome });
      }
    }
    const queue = idOf(p.queueId);
    if (purpose === 'acd' && queue && Number.isFinite(begin)) {
      emit({ id: gcId(contactId, 'queue.entered', p.id), type: 'queue.entered', at: begin, contactId, queue });
      const routed = agents.filter((a) => a.queueId === p.queueId && startOf(a) >= begin);
      const answer = routed
        .map((a) => ({
          a,
          at: Math.min(
            ...comms(a).map((c) => timeMs(c.connectedTime) ?? Infinity),
            timeMs(a.connectedTime) ?? Infinity,
          ),
        }))
        .filter((x) => Number.isFinite(x.at))
        .sort((x, y) => x.at - y.at)[0];
      const left = { id: gcId(contactId, 'queue.left', p.id), type: 'queue.left', contactId, queue } as const;
      if (answer) emit({ ...left, at: answer.at, outcome: 'answered', agentId: answer.a.userId! });
      // Ended with an agent still alerting: the answer (or the next try) is yet to come.
      else if (Number.isFinite(end) && routed.length === 0) {
        emit({
          ...left,
          at: end,
          outcome: disconnectOf(p)?.toLowerCase() === 'transfer' ? 'transferred' : 'abandoned',
        });
      }
    }
  }
  for (const a of agents) agentFacts(out, record, contactId, a);
  const ended = customers.length ? Math.max(...customers.map(endOf)) : -Infinity;
  if (Number.isFinite(ended) && customers.every((c) => Number.isFinite(endOf(c)))) {
    const answered = agents.some((a) => comms(a).some((c) => timeMs(c.connectedTime) !== undefined));
    const endedBy = endedByOf(disconnectOf(customers[0]!), answered);
    emit({
      id: gcId(contactId, 'ended'),
      type: 'contact.ended',
      at: ended,
      contactId,
      ...(endedBy ? { endedBy } : {}),
    });
  }
}

/** An agent who was connected: in wrap-up once disconnected, wrap-up completed when the code is in. */
function agentFacts(out: Collector, record: number, contactId: string, a: ConversationParticipant): void {
  const agentId = a.userId!;
  const connected =
    comms(a).some((c) => timeMs(c.connectedTime) !== undefined) || timeMs(a.connectedTime) !== undefined;
  const end = endOf(a);
  if (!connected || !Number.isFinite(end)) return;
  const acwEnd = comms(a)
    .map((c) => timeMs(c.afterCallWork?.endTime))
    .find((t) => t !== undefined);
  const wrapped = timeMs(a.wrapup?.endTime) ?? acwEnd ?? (a.wrapupRequired === false ? end : undefined);
  if (wrapped === undefined) {
    out.emit(record, { id: gcId(contactId, 'acw', a.id), type: 'agent.state', at: end, agentId, state: 'wrap_up' });
    return;
  }
  const disposition = idOf(a.wrapup?.code ?? undefined);
  out.emit(record, {
    id: gcId(contactId, 'wrapup', a.id),
    type: 'wrapup.completed',
    at: wrapped,
    contactId,
    agentId,
    ...(disposition ? { disposition } : {}),
  });
}
