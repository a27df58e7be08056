/**
 * The Amazon Connect adapter: one endpoint for every Connect feed. Each record is recognised by the
 * fields its documented shape has (agent event, contact event, contact record, Contact Lens output);
 * anything else is reported as unknown, and a recognised record that fails its shape as malformed.
 */
import type { Collector as CollectorT, PlatformAdapter, VendorRecord } from '../adapter.ts';
import { Collector } from '../adapter.ts';
import { asObject, idOf, timeMs, withDocumentedCase, zodReason } from '../vendor-fields.ts';
import { mapAgentEvent } from './agent-events.ts';
import { QueueNames, SOURCE } from './common.ts';
import { mapTurns } from './contact-lens.ts';
import { mapContactEvent } from './contact-events.ts';
import { mapContactRecord, newestRecords, type RecordInBatch } from './contact-records.ts';
import {
  AGENT_EVENT_TYPES,
  agentEvent,
  CONTACT_EVENT_KEYS,
  CONTACT_EVENT_TYPES,
  contactEvent,
  contactRecord,
  lensPostCall,
  lensRealTime,
} from './types.ts';

type Kind = 'agent' | 'contactEvent' | 'ctr' | 'lensPostCall' | 'lensRealTime';

function kindOf(o: Record<string, unknown>): Kind | null {
  if ('AgentARN' in o || (AGENT_EVENT_TYPES as readonly unknown[]).includes(o.EventType)) return 'agent';
  if ('AWSContactTraceRecordFormatVersion' in o || ('ContactId' in o && 'LastUpdateTimestamp' in o)) return 'ctr';
  if (Array.isArray(o.Transcript)) return 'lensPostCall';
  if ('ContactId' in o && 'Version' in o && ('Segments' in o || typeof o.EventType === 'string')) return 'lensRealTime';
  const type = o.eventType ?? o.EventType;
  if (typeof type === 'string' && (CONTACT_EVENT_TYPES as readonly string[]).includes(type.toUpperCase())) {
    return 'contactEvent';
  }
  return null;
}

/** Contact Lens offsets count from the agent connect (voice) or the contact start, whichever is known. */
function contactTimes(records: readonly { kind: Kind; value: Record<string, unknown> }[]): Map<string, number> {
  const times = new Map<string, number>();
  const note = (contactId: unknown, ...candidates: unknown[]) => {
    const id = idOf(contactId);
    const t = candidates.map(timeMs).find((x) => x !== undefined);
    if (id && t !== undefined && !times.has(id)) times.set(id, t);
  };
  for (const { kind, value } of records) {
    if (kind === 'ctr') {
      const r = contactRecord.safeParse(value);
      if (r.success) note(r.data.ContactId, r.data.Agent?.ConnectedToAgentTimestamp, r.data.InitiationTimestamp);
    } else if (kind === 'contactEvent') {
      const e = contactEvent.safeParse(value);
      if (e.success) note(e.data.contactId, e.data.agentInfo?.connectedToAgentTimestamp, e.data.initiationTimestamp);
    } else if (kind === 'agent') {
      const e = agentEvent.safeParse(value);
      for (const c of e.success ? (e.data.CurrentAgentSnapshot?.Contacts ?? []) : []) {
        note(c.ContactId, c.ConnectedToAgentTimestamp);
      }
    }
  }
  return times;
}

function mapBatch(records: readonly VendorRecord[], now: number, queues: QueueNames): CollectorT['out'] {
  const out = new Collector(SOURCE);
  const known: { index: number; kind: Kind; value: Record<string, unknown>; eventTime?: number }[] = [];
  for (const { index, value } of records) {
    let o = asObject(value);
    let eventTime: number | undefined;
    if (!o) {
      out.issue(index, 'malformed', 'a record must be a JSON object');
      continue;
    }
    // EventBridge wraps a contact event in an envelope; its own fields are in `detail`.
    const detail = asObject(o.detail ?? o.Detail);
    if (detail && typeof (o['detail-type'] ?? o['Detail-Type']) === 'string') {
      eventTime = timeMs(o.time);
      o = detail;
    }
    const kind = kindOf(o) ?? kindOf(asObject(withDocumentedCase(o, CONTACT_EVENT_KEYS)) ?? {});
    if (!kind) {
      out.issue(index, 'unknown', 'not an agent event, contact event, contact record or Contact Lens output');
      continue;
    }
    known.push({ index, kind, value: o, ...(eventTime !== undefined ? { eventTime } : {}) });
  }

  const ctrs: RecordInBatch[] = [];
  const times = contactTimes(known);
  learnQueues(known, queues);
  for (const { index, kind, value, eventTime } of known) {
    switch (kind) {
      case 'agent': {
        const e = agentEvent.safeParse(value);
        if (e.success) mapAgentEvent(out, index, e.data);
        else out.issue(index, 'malformed', `agent event: ${zodReason(e.error.issues)}`);
        break;
      }
      case 'contactEvent': {
        const e = contactEvent.safeParse(withDocumentedCase(value, CONTACT_EVENT_KEYS));
        if (e.success) mapContactEvent(out, index, e.data, eventTime, queues);
        else out.issue(index, 'malformed', `contact event: ${zodReason(e.error.issues)}`);
        break;
      }
      case 'ctr': {
        const r = contactRecord.safeParse(value);
        if (r.success) ctrs.push({ index, value, ctr: r.data });
        else out.issue(index, 'malformed', `contact record: ${zodReason(r.error.issues)}`);
        break;
      }
      case 'lensPostCall': {
        const r = lensPostCall.safeParse(value);
        if (!r.success) {
          out.issue(index, 'malformed', `Contact Lens output: ${zodReason(r.error.issues)}`);
          break;
        }
        const contactId = idOf(r.data.CustomerMetadata?.ContactId ?? undefined);
        const base = contactId ? times.get(contactId) : undefined;
        if (!contactId || base === undefined) {
          out.issue(
            index,
            'malformed',
            !contactId
              ? 'Contact Lens output without CustomerMetadata.ContactId: no contact to attach it to'
              : `Contact Lens output for ${contactId} has offsets only: send it with the contact's record in the same batch`,
          );
          break;
        }
        const roles = new Map((r.data.Participants ?? []).map((p) => [p.ParticipantId, p.ParticipantRole ?? '']));
        mapTurns(out, index, contactId, r.data.Transcript, base, roles);
        break;
      }
      case 'lensRealTime': {
        const r = lensRealTime.safeParse(value);
        if (!r.success) {
          out.issue(index, 'malformed', `Contact Lens segments: ${zodReason(r.error.issues)}`);
          break;
        }
        const contactId = idOf(r.data.ContactId);
        const turns = (r.data.Segments ?? []).flatMap((s) => (s.Transcript ? [s.Transcript] : []));
        // STARTED, COMPLETED, FAILED, and partial utterances and categories, say nothing Tandem counts.
        if (!contactId || turns.length === 0) {
          if (contactId) out.ignore();
          else out.issue(index, 'malformed', 'ContactId is longer than 256 characters');
          break;
        }
        const base = times.get(contactId) ?? now - Math.max(...turns.map((t) => t.BeginOffsetMillis));
        mapTurns(out, index, contactId, turns, base, new Map());
        break;
      }
    }
  }
  for (const r of newestRecords(out, ctrs)) mapContactRecord(out, r.index, r.ctr);
  return out.out;
}

/** Queue names from records that carry both name and ARN, before any contact event of the batch is mapped. */
function learnQueues(records: readonly { kind: Kind; value: Record<string, unknown> }[], queues: QueueNames): void {
  for (const { kind, value } of records) {
    if (kind === 'ctr') {
      const r = contactRecord.safeParse(value);
      if (r.success) queues.learn(r.data.Queue);
    } else if (kind === 'agent') {
      const e = agentEvent.safeParse(value);
      const s = e.success ? e.data.CurrentAgentSnapshot : undefined;
      for (const q of s?.Configuration?.RoutingProfile?.InboundQueues ?? []) queues.learn(q);
      for (const c of s?.Contacts ?? []) queues.learn(c.Queue);
    }
  }
}

/** An adapter with its own memory of queue names (one per server; tests make their own). */
export function createAmazonConnect(): PlatformAdapter {
  const queues = new QueueNames();
  return {
    platform: 'amazon-connect',
    description: 'Amazon Connect agent events, contact events, contact records (CTR), Contact Lens transcripts',
    map: (records, now) => mapBatch(records, now, queues),
  };
}

export const amazonConnect = createAmazonConnect();
