/** What the two Asterisk feeds share: their source names, ids, times and the app_queue vocabulary. */
import type { AgentState, TandemEvent } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { LIMITS } from '../../contract/events.ts';
import { eventId, idOf } from '../vendor-fields.ts';

export const QUEUE_LOG_SOURCE = 'asterisk-queue-log';
export const AMI_SOURCE = 'asterisk-ami';

/**
 * Ids name the call (the caller channel's uniqueid), the fact, the queue and the second it happened,
 * so a replayed file or a resent event is stored once while a caller who enters the same queue again
 * later (a dialplan loop after a timeout) is a new visit. The two feeds keep their own prefixes: their
 * clocks differ (seconds in queue_log, microseconds in AMI), so one fact told by both cannot be matched.
 */
export const qlId = (...parts: (string | number)[]) => eventId('ast-ql', ...parts);
export const amiId = (...parts: (string | number)[]) => eventId('ast-ami', ...parts);

/**
 * Epoch seconds as Asterisk writes them (`1366720340`, AMI's `1366720340.303267`), or a database
 * row's `2012-07-03 15:27:23.896208` (read as UTC), to epoch ms; undefined when not a time.
 */
export function asteriskTimeMs(value: string | undefined): number | undefined {
  const v = (value ?? '').trim();
  let ms = NaN;
  if (/^\d{9,11}(\.\d{1,9})?$/.test(v)) ms = Math.floor(Number(v) * 1000);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(v)) {
    ms = Date.parse(`${v.replace(' ', 'T').slice(0, 23)}Z`);
  }
  return Number.isFinite(ms) && ms >= LIMITS.minAt && ms < LIMITS.maxAt ? ms : undefined;
}

/** A queue_log field or AMI value that stands for "none" in Asterisk's own words. */
export function named(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  return v === '' || v.toUpperCase() === 'NONE' || v === '(null)' ? undefined : idOf(v);
}

/** Who hung up, from the completing side. */
export function endedByOf(who: 'caller' | 'agent' | string): EndedBy {
  return who === 'caller' ? 'customer' : who === 'agent' ? 'agent' : 'system';
}

type Id = (...parts: (string | number)[]) => string;
type EndedBy = Extract<TandemEvent, { type: 'contact.ended' }>['endedBy'];

/**
 * The facts one Asterisk line or event tells, built alike for both feeds: `id` is the feed's id
 * function, `when` the time in its ids (queue_log's second; AMI's Timestamp, or nothing), `agentWhen`
 * that of agent states. The caller checks first that the call, queue and agent it passes are named.
 */
export function callFacts(
  emit: (e: TandemEvent) => void,
  id: Id,
  at: number,
  when: readonly (string | number)[],
  agentWhen = when,
) {
  return {
    entered(contactId: string, queue: string): void {
      emit({ id: id(contactId, 'started'), type: 'contact.started', at, contactId, channel: 'voice' });
      emit({ id: id(contactId, 'queue.entered', queue, ...when), type: 'queue.entered', at, contactId, queue });
    },
    left(contactId: string, queue: string, outcome: 'abandoned' | 'transferred'): void {
      emit({ id: id(contactId, 'queue.left', queue, ...when), type: 'queue.left', at, contactId, queue, outcome });
    },
    answered(contactId: string, queue: string, agentId: string): void {
      emit({
        id: id(contactId, 'queue.left', queue, ...when),
        type: 'queue.left',
        at,
        contactId,
        queue,
        outcome: 'answered',
        agentId,
      });
    },
    ended(contactId: string, endedBy: EndedBy): void {
      emit({ id: id(contactId, 'ended'), type: 'contact.ended', at, contactId, endedBy });
    },
    wrapup(contactId: string, agentId: string): void {
      emit({ id: id(contactId, 'wrapup', agentId, ...when), type: 'wrapup.completed', at, contactId, agentId });
    },
    agentState(agentId: string, state: AgentState, reason?: string): void {
      const why = idOf(reason);
      emit({
        id: id('agent', agentId, state, ...agentWhen),
        type: 'agent.state',
        at,
        agentId,
        state,
        ...(why ? { reason: why } : {}),
      });
    },
  };
}

/** Checks that the fields an event needs are there, and reports the ones missing by name. */
export function requirer(out: Collector, record: number, label: string) {
  return (what: Record<string, string | undefined>): boolean => {
    const missing = Object.entries(what)
      .filter(([, v]) => v === undefined)
      .map(([k]) => k);
    if (missing.length) out.issue(record, 'malformed', `${label}: needs ${missing.join(' and ')}`);
    return missing.length === 0;
  };
}
