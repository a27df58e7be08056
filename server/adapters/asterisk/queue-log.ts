/**
 * queue_log lines → events. A line is `time|callid|queuename|agent|event|data1|data2|...`, as
 * app_queue writes it to /var/log/asterisk/queue_log (and, spaced, as a database table prints it).
 * Each event's data fields are those of the Asterisk "Queue Logs" page; older releases wrote fewer of
 * them (CONNECT without ringtime, TRANSFER without holdtime), so only the fields used are required.
 */
import type { AgentState } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { asteriskTimeMs, callFacts, endedByOf, named, qlId, requirer } from './common.ts';
import type { QueueLogLine } from './types.ts';

/** Splits one line into its fields; null when it has fewer than the five fixed ones. */
export function parseQueueLogLine(line: string): QueueLogLine | null {
  const f = line.split('|').map((x) => x.trim());
  if (f.length < 5) return null;
  const [time, callid, queuename, agent, event, ...data] = f as [string, string, string, string, string, ...string[]];
  return { time, callid, queuename, agent, event: event.toUpperCase(), data };
}

/** Events that say something Tandem does not count, or that only repeat another line's fact. */
const IGNORED = new Set([
  'RINGNOANSWER',
  'RINGCANCELED',
  'AGENTDUMP',
  'DID',
  'INFO',
  'CONFIGRELOAD',
  'QUEUESTART',
  'SYSCOMPAT',
  'JOINEMPTY',
  'JOINUNAVAIL',
  'REMOVEMEMBER',
  'PENALTY',
  'CALLOUTBOUND',
]);
/** The queue let the caller go unanswered (timeout, no members left, a key pressed): moved on, not given up. */
const EXITS = new Set(['EXITWITHTIMEOUT', 'EXITEMPTY', 'EXITWITHKEY']);
const TRANSFERS = new Set(['TRANSFER', 'BLINDTRANSFER', 'ATTENDEDTRANSFER']);

export function mapQueueLogLine(out: Collector, record: number, l: QueueLogLine): void {
  const at = asteriskTimeMs(l.time);
  if (at === undefined) {
    out.issue(record, 'malformed', `${l.event || 'line'}: time is not epoch seconds`);
    return;
  }
  const fact = callFacts((e) => out.emit(record, e), qlId, at, [Math.floor(at / 1000)]);
  const contactId = named(l.callid);
  const queue = named(l.queuename);
  const agentId = named(l.agent);
  const need = requirer(out, record, l.event);
  const agentState = (state: AgentState, reason?: string) => {
    if (need({ agent: agentId })) fact.agentState(agentId!, state, reason);
  };

  switch (l.event) {
    case 'ENTERQUEUE':
      if (need({ callid: contactId, queuename: queue })) fact.entered(contactId!, queue!);
      return;
    case 'CONNECT':
      if (!need({ callid: contactId, queuename: queue, agent: agentId })) return;
      fact.answered(contactId!, queue!, agentId!);
      agentState('on_contact');
      return;
    case 'COMPLETECALLER':
    case 'COMPLETEAGENT':
      if (!need({ callid: contactId, agent: agentId })) return;
      fact.ended(contactId!, endedByOf(l.event === 'COMPLETECALLER' ? 'caller' : 'agent'));
      // queue_log has no wrap-up line: the agent is free again when the call ends.
      fact.wrapup(contactId!, agentId!);
      agentState('available');
      return;
    case 'ABANDON':
      if (!need({ callid: contactId, queuename: queue })) return;
      fact.left(contactId!, queue!, 'abandoned');
      fact.ended(contactId!, 'customer');
      return;
    case 'PAUSE':
    case 'PAUSEALL':
      agentState('break', l.data[0] || 'paused');
      return;
    case 'UNPAUSE':
    case 'UNPAUSEALL':
    case 'ADDMEMBER':
    case 'AGENTLOGIN':
    case 'AGENTCALLBACKLOGIN':
      agentState('available');
      return;
    case 'AGENTLOGOFF':
    case 'AGENTCALLBACKLOGOFF':
      agentState('offline');
      return;
  }
  if (EXITS.has(l.event)) {
    if (need({ callid: contactId, queuename: queue })) fact.left(contactId!, queue!, 'transferred');
  } else if (TRANSFERS.has(l.event)) {
    // The agent passed the caller on: the agent's handling ends here, the call goes on elsewhere.
    if (!need({ callid: contactId, agent: agentId })) return;
    fact.wrapup(contactId!, agentId!);
    agentState('available');
  } else if (IGNORED.has(l.event)) {
    out.ignore();
  } else {
    out.issue(record, 'unknown', `queue_log event ${JSON.stringify(l.event.slice(0, 40))} is not one Tandem knows`);
  }
}

/** Reads a body of queue_log text: one record per non-empty line (a JSON array of lines is read by the caller). */
export function splitQueueLogLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}
