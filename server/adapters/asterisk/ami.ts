/**
 * AMI queue events → events. The caller's channel `Uniqueid` is the contact, as in queue_log's callid;
 * agents are the queue member's `MemberName` (what queue_log writes in its agent column), else its
 * `Interface`. Asterisk 1.4–11 named some events and headers differently (`Join`, `Leave`,
 * `QueueMemberPaused`, `Member`, `Location`); those are read as the current ones.
 */
import type { AgentState } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { amiId, asteriskTimeMs, callFacts, endedByOf, named, requirer } from './common.ts';
import type { AmiEvent } from './types.ts';

/** Device states as app_queue reports them in `Status` (AST_DEVICE_*). */
function deviceState(status: string | undefined, inCall: boolean): AgentState | null {
  if (inCall) return 'on_contact';
  switch (status) {
    case '1':
      return 'available';
    case '2':
    case '3':
    case '7':
    case '8':
      return 'on_contact';
    case '4':
    case '5':
      return 'offline';
    default:
      // 0 unknown, 6 ringing: nothing the wall can say yet.
      return null;
  }
}

export function mapAmiEvent(out: Collector, record: number, e: AmiEvent, now: number): void {
  const name = (e.Event ?? '').trim();
  if (!name) {
    // A reply to an action (Login, Ping...) saved with the events.
    if (e.Response !== undefined) out.ignore();
    else out.issue(record, 'unknown', 'not an AMI event (no Event header)');
    return;
  }
  const kind = name.toLowerCase();
  const stamped = asteriskTimeMs(e.Timestamp);
  if (e.Timestamp !== undefined && stamped === undefined) {
    out.issue(record, 'malformed', `${name}: Timestamp is not epoch seconds`);
    return;
  }
  // Without timestampevents=yes the event is as old as its arrival; its id then leaves the time out.
  const at = stamped ?? now;
  const when: (string | number)[] = stamped === undefined ? [] : [e.Timestamp!.trim()];
  // Agent states need an id time even without Timestamp: their arrival's.
  const fact = callFacts((x) => out.emit(record, x), amiId, at, when, when.length ? when : [now]);
  const contactId = named(e.Uniqueid);
  const queue = named(e.Queue);
  const agentId = named(e.MemberName) ?? named(e.Interface) ?? named(e.Member) ?? named(e.Location);
  const need = requirer(out, record, name);
  const agentState = (state: AgentState, reason?: string) => fact.agentState(agentId!, state, reason);

  switch (kind) {
    case 'queuecallerjoin':
    case 'join':
      if (need({ Uniqueid: contactId, Queue: queue })) fact.entered(contactId!, queue!);
      return;
    case 'queuecallerabandon':
      if (!need({ Uniqueid: contactId, Queue: queue })) return;
      fact.left(contactId!, queue!, 'abandoned');
      fact.ended(contactId!, 'customer');
      return;
    case 'agentconnect':
      if (!need({ Uniqueid: contactId, Queue: queue, MemberName: agentId })) return;
      fact.answered(contactId!, queue!, agentId!);
      agentState('on_contact');
      return;
    case 'agentcomplete': {
      if (!need({ Uniqueid: contactId, MemberName: agentId })) return;
      const reason = (e.Reason ?? '').trim().toLowerCase();
      // Reason transfer: the caller goes on elsewhere; only this agent's part has ended.
      if (reason !== 'transfer') fact.ended(contactId!, endedByOf(reason));
      fact.wrapup(contactId!, agentId!);
      agentState('available');
      return;
    }
    case 'queuememberstatus':
    case 'queuememberadded': {
      if (!need({ MemberName: agentId })) return;
      if (e.Paused === '1') return agentState('break', e.PausedReason || 'paused');
      const state = kind === 'queuememberadded' ? 'available' : deviceState(e.Status?.trim(), e.InCall === '1');
      if (state) agentState(state);
      else out.ignore();
      return;
    }
    case 'queuememberpause':
    case 'queuememberpaused':
      if (!need({ MemberName: agentId, Paused: e.Paused })) return;
      if (e.Paused === '1') agentState('break', e.PausedReason || e.Reason || 'paused');
      else agentState('available');
      return;
  }
  // QueueCallerLeave is not an abandon: the caller left because it was connected, timed out or moved on
  // (AgentConnect or QueueCallerAbandon tell which). AgentCalled and AgentRingNoAnswer are offers, and AMI
  // streams every other event class the login may read (channels, bridges...): none is a problem.
  out.ignore();
}
