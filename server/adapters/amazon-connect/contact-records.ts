/**
 * Contact records (CTR) → the contact's whole story: start, queue wait and its outcome, end, and the
 * agent's wrap-up. Connect delivers a record at least once, and again when it changes; within a batch
 * only the newest copy per ContactId (by LastUpdateTimestamp) is mapped, and across batches the
 * derived ids make a repeated fact a duplicate.
 *
 * Old records (format 2017-03-10 as first documented) have no DisconnectReason: an abandon is then a
 * queued contact that never reached an agent, as Amazon's guide says to identify it.
 */
import type { Collector, VendorRecord } from '../adapter.ts';
import { idOf, timeMs } from '../vendor-fields.ts';
import { acId, agentIdOf, channelOf, endedByOf, queueOf } from './common.ts';
import type { ContactRecord } from './types.ts';

export type RecordInBatch = VendorRecord & { ctr: ContactRecord };

/** The newest copy of each contact's record; the others are counted as ignored. */
export function newestRecords(out: Collector, all: readonly RecordInBatch[]): RecordInBatch[] {
  const newest = new Map<string, RecordInBatch>();
  for (const r of all) {
    const seen = newest.get(r.ctr.ContactId);
    const t = timeMs(r.ctr.LastUpdateTimestamp) ?? -Infinity;
    if (!seen || t > (timeMs(seen.ctr.LastUpdateTimestamp) ?? -Infinity)) newest.set(r.ctr.ContactId, r);
  }
  for (const r of all) if (newest.get(r.ctr.ContactId) !== r) out.ignore();
  return [...newest.values()].sort((a, b) => a.index - b.index);
}

export function mapContactRecord(out: Collector, record: number, r: ContactRecord): void {
  const contactId = idOf(r.ContactId);
  const startedAt = timeMs(r.InitiationTimestamp);
  const channel = channelOf(r.Channel);
  if (!contactId || startedAt === undefined || !channel) {
    const why = !contactId
      ? 'ContactId is longer than 256 characters'
      : startedAt === undefined
        ? 'InitiationTimestamp is not a valid time'
        : `Channel ${JSON.stringify(r.Channel)} is not one Tandem knows`;
    out.issue(record, 'malformed', why);
    return;
  }
  out.emit(record, { id: acId(contactId, 'started'), type: 'contact.started', at: startedAt, contactId, channel });

  const queue = queueOf(r.Queue);
  const queuedAt = timeMs(r.Queue?.EnqueueTimestamp);
  const agentId = agentIdOf(r.Agent?.ARN);
  const answeredAt = timeMs(r.Agent?.ConnectedToAgentTimestamp);
  const endedAt = timeMs(r.DisconnectTimestamp);
  if (queue && queuedAt !== undefined) {
    out.emit(record, { id: acId(contactId, 'queue.entered'), type: 'queue.entered', at: queuedAt, contactId, queue });
    const leftAt = timeMs(r.Queue?.DequeueTimestamp) ?? endedAt;
    const left = { id: acId(contactId, 'queue.left'), type: 'queue.left', contactId, queue } as const;
    if (agentId && answeredAt !== undefined) {
      out.emit(record, { ...left, at: answeredAt, outcome: 'answered', agentId });
    } else if (leftAt !== undefined) {
      // Transferred out of Connect from the queue (a flow sent it to an outside number), else abandoned.
      const transferred = timeMs(r.TransferCompletedTimestamp) !== undefined;
      out.emit(record, { ...left, at: leftAt, outcome: transferred ? 'transferred' : 'abandoned' });
    }
  }
  if (endedAt !== undefined) {
    const endedBy = endedByOf(r.DisconnectReason);
    out.emit(record, {
      id: acId(contactId, 'ended'),
      type: 'contact.ended',
      at: endedAt,
      contactId,
      ...(endedBy ? { endedBy } : {}),
    });
  }
  // Without after-contact work the handling ends when the contact does.
  const wrappedAt =
    timeMs(r.Agent?.AfterContactWorkEndTimestamp) ?? (r.Agent?.AfterContactWorkStartTimestamp ? undefined : endedAt);
  if (agentId && answeredAt !== undefined && wrappedAt !== undefined) {
    out.emit(record, {
      id: acId(contactId, 'wrapup', agentId),
      type: 'wrapup.completed',
      at: wrappedAt,
      contactId,
      agentId,
    });
  }
}
