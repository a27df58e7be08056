/**
 * Agent event stream records (LOGIN, LOGOUT, STATE_CHANGE, HEART_BEAT) → agent states, answers,
 * holds, contact ends and wrap-ups. Each record carries the agent's snapshot before and after, so
 * the mapping compares the two; ids are derived so that what a later record repeats is a duplicate.
 *
 * After-contact work: Connect keeps a contact listed with state ENDED while the agent is in ACW, and
 * drops it from the list when the agent clears it. So "ENDED in the snapshot" is wrap_up, and a
 * contact that was ENDED in the previous snapshot and is gone (or has moved on) is a completed wrap-up.
 */
import type { AgentState, TandemEvent } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { idOf, timeMs } from '../vendor-fields.ts';
import { acId, agentIdOf, queueOf, statusState } from './common.ts';
import type { AgentEvent, AgentSnapshot, SnapshotContact } from './types.ts';

const ON_CONTACT = new Set(['CONNECTED', 'CONNECTED_ONHOLD']);

/** The agent's state as a snapshot shows it: contacts first (talking, then ACW), else the status. */
export function snapshotState(s: AgentSnapshot | null | undefined): { state: AgentState; reason?: string } | null {
  const contacts = s?.Contacts ?? [];
  if (contacts.some((c) => ON_CONTACT.has(c.State))) return { state: 'on_contact' };
  if (contacts.some((c) => c.State === 'ENDED')) return { state: 'wrap_up' };
  if (s?.AgentStatus?.Name) return statusState(s.AgentStatus.Name);
  return null;
}

function profile(s: AgentSnapshot | null | undefined) {
  const c = s?.Configuration;
  const name = [c?.FirstName, c?.LastName].filter(Boolean).join(' ') || c?.Username || undefined;
  const queues = (c?.RoutingProfile?.InboundQueues ?? [])
    .map((q) => (q.Name ? idOf(q.Name) : undefined))
    .filter((q): q is string => q !== undefined);
  const team = idOf(c?.AgentHierarchyGroups?.Level1?.Name ?? undefined);
  return {
    ...(name && idOf(name) ? { name } : {}),
    ...(team ? { team } : {}),
    ...(queues.length ? { queues: [...new Set(queues)].slice(0, 100) } : {}),
  };
}

export function mapAgentEvent(out: Collector, record: number, e: AgentEvent): void {
  const agentId = agentIdOf(e.AgentARN);
  const at = timeMs(e.EventTimestamp);
  if (!agentId || at === undefined) {
    out.issue(record, 'malformed', !agentId ? 'AgentARN names no agent' : 'EventTimestamp is not a valid time');
    return;
  }
  const current = e.CurrentAgentSnapshot;
  const previous = e.PreviousAgentSnapshot;

  if (e.EventType === 'LOGOUT') {
    out.emit(record, { id: acId('agent', agentId, e.EventId), type: 'agent.state', at, agentId, state: 'offline' });
    return;
  }
  const state = snapshotState(current);
  if (state) {
    // A heartbeat repeats the state it has already reported: its id names the state and since when,
    // so the first heartbeat after a gap refreshes the state and the rest are duplicates.
    const since = e.EventType === 'HEART_BEAT' ? stateSince(current, state.state) : undefined;
    const id =
      e.EventType === 'HEART_BEAT'
        ? acId('agent', agentId, 'hb', state.state, state.reason ?? '', since ?? '')
        : acId('agent', agentId, e.EventId);
    out.emit(record, { id, type: 'agent.state', at, agentId, ...state, ...profile(current) });
  } else if (e.EventType !== 'HEART_BEAT') {
    out.issue(record, 'malformed', 'CurrentAgentSnapshot has neither an AgentStatus nor contacts');
    return;
  }

  const before = new Map((previous?.Contacts ?? []).map((c) => [c.ContactId, c]));
  for (const c of current?.Contacts ?? []) contactFacts(out, record, agentId, c, before.get(c.ContactId));
  // The ACW rule: ENDED before, and gone or no longer ENDED now.
  const now = new Map((current?.Contacts ?? []).map((c) => [c.ContactId, c]));
  for (const [contactId, c] of before) {
    if (c.State !== 'ENDED' || now.get(contactId)?.State === 'ENDED' || !idOf(contactId)) continue;
    out.emit(record, { id: acId(contactId, 'wrapup', agentId), type: 'wrapup.completed', at, contactId, agentId });
  }
}

function stateSince(s: AgentSnapshot | null | undefined, state: AgentState): number | undefined {
  const contacts = s?.Contacts ?? [];
  const c =
    state === 'on_contact'
      ? contacts.find((x) => ON_CONTACT.has(x.State))
      : state === 'wrap_up'
        ? contacts.find((x) => x.State === 'ENDED')
        : undefined;
  return timeMs(c ? c.StateStartTimestamp : s?.AgentStatus?.StartTimestamp);
}

/** What one listed contact tells: its queue wait and answer, holds, and its end. */
function contactFacts(
  out: Collector,
  record: number,
  agentId: string,
  c: SnapshotContact,
  before: SnapshotContact | undefined,
): void {
  const contactId = idOf(c.ContactId);
  if (!contactId) return;
  const emit = (e: TandemEvent) => out.emit(record, e);
  const queue = queueOf(c.Queue);
  const queuedAt = timeMs(c.QueueTimestamp);
  const answeredAt = timeMs(c.ConnectedToAgentTimestamp);
  // Outbound calls are dialled by the agent: they sit in no queue and offer nothing.
  if (queue && queuedAt !== undefined) {
    emit({ id: acId(contactId, 'queue.entered'), type: 'queue.entered', at: queuedAt, contactId, queue });
    if (answeredAt !== undefined) {
      emit({
        id: acId(contactId, 'queue.left'),
        type: 'queue.left',
        at: answeredAt,
        contactId,
        queue,
        outcome: 'answered',
        agentId,
      });
    }
  }
  const since = timeMs(c.StateStartTimestamp);
  if (since === undefined || before?.State === c.State) return;
  if (c.State === 'CONNECTED_ONHOLD') {
    emit({ id: acId(contactId, 'held', agentId, since), type: 'contact.held', at: since, contactId, agentId });
  } else if (c.State === 'CONNECTED' && before?.State === 'CONNECTED_ONHOLD') {
    emit({ id: acId(contactId, 'resumed', agentId, since), type: 'contact.resumed', at: since, contactId, agentId });
  } else if (c.State === 'ENDED') {
    emit({ id: acId(contactId, 'ended'), type: 'contact.ended', at: since, contactId });
  }
}
