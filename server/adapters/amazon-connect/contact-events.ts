/**
 * Contact events (EventBridge: INITIATED, QUEUED, CONNECTED_TO_AGENT, DISCONNECTED) → the contact's
 * start, queue entry, answer or abandon, and end. These events carry no queue name, only the queue
 * ARN: the name is the one other records taught, else the id in the ARN (docs/adapters.md, gaps).
 */
import type { Collector } from '../adapter.ts';
import { idOf, timeMs } from '../vendor-fields.ts';
import { acId, agentIdOf, channelOf, endedByOf, type QueueNames } from './common.ts';
import type { ContactEvent } from './types.ts';

export function mapContactEvent(
  out: Collector,
  record: number,
  e: ContactEvent,
  eventTime: number | undefined,
  queues: QueueNames,
): void {
  const contactId = idOf(e.contactId);
  if (!contactId) {
    out.issue(record, 'malformed', 'contactId is longer than 256 characters');
    return;
  }
  const type = e.eventType.toUpperCase();
  const queue = queues.nameOf(e.queueInfo?.queueArn);
  const queuedAt = timeMs(e.queueInfo?.enqueueTimestamp);
  const agentId = agentIdOf(e.agentInfo?.agentArn);
  const answeredAt = timeMs(e.agentInfo?.connectedToAgentTimestamp);
  const startedAt = timeMs(e.initiationTimestamp) ?? (type === 'INITIATED' ? eventTime : undefined);
  const channel = channelOf(e.channel);
  let emitted = 0;
  const emit: Collector['emit'] = (r, ev) => {
    emitted++;
    out.emit(r, ev);
  };

  if (startedAt !== undefined && channel) {
    emit(record, { id: acId(contactId, 'started'), type: 'contact.started', at: startedAt, contactId, channel });
  }
  if (queue && queuedAt !== undefined) {
    emit(record, { id: acId(contactId, 'queue.entered'), type: 'queue.entered', at: queuedAt, contactId, queue });
  }
  if (queue && agentId && answeredAt !== undefined) {
    emit(record, {
      id: acId(contactId, 'queue.left'),
      type: 'queue.left',
      at: answeredAt,
      contactId,
      queue,
      outcome: 'answered',
      agentId,
    });
  }
  if (type === 'DISCONNECTED') {
    const endedAt = timeMs(e.disconnectTimestamp) ?? eventTime;
    if (endedAt === undefined) {
      out.issue(record, 'malformed', 'DISCONNECTED without disconnectTimestamp or event time');
      return;
    }
    // Queued and never connected to an agent: the customer gave up waiting.
    if (queue && queuedAt !== undefined && answeredAt === undefined) {
      emit(record, {
        id: acId(contactId, 'queue.left'),
        type: 'queue.left',
        at: endedAt,
        contactId,
        queue,
        outcome: 'abandoned',
      });
    }
    const endedBy = endedByOf(e.disconnectReason);
    emit(record, {
      id: acId(contactId, 'ended'),
      type: 'contact.ended',
      at: endedAt,
      contactId,
      ...(endedBy ? { endedBy } : {}),
    });
  }
  if (emitted === 0) {
    out.issue(record, 'malformed', `${type} event without the times or queue it needs`);
  }
}
