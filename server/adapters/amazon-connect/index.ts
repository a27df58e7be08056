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
import type { z } from 'zod';
import {
  AGENT_EVENT_TYPES,
  type AgentEvent,
  type ContactEvent,
  type ContactRecord,
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

type LensPostCall = z.infer<typeof lensPostCall>;
type LensRealTime = z.infer<typeof lensRealTime>;
/** A recognised record, read once with its kind's schema. */
type Known = { index: number } & (
  | { kind: 'agent'; data: AgentEvent }
  | { kind: 'contactEvent'; data: ContactEvent; eventTime: number | undefined }
  | { kind: 'ctr'; data: ContactRecord; value: unknown }
  | { kind: 'lensPostCall'; data: LensPostCall }
  | { kind: 'lensRealTime'; data: LensRealTime }
);

/** Reads a record of a known kind, or says why it cannot be read. */
function read(index: number, kind: Kind, o: Record<string, unknown>, eventTime: number | undefined): Known | string {
  switch (kind) {
    case 'agent': {
      const r = agentEvent.safeParse(o);
      return r.success ? { index, kind, data: r.data } : `agent event: ${zodReason(r.error.issues)}`;
    }
    case 'contactEvent': {
      const r = contactEvent.safeParse(withDocumentedCase(o, CONTACT_EVENT_KEYS));
      return r.success ? { index, kind, data: r.data, eventTime } : `contact event: ${zodReason(r.error.issues)}`;
    }
    case 'ctr': {
      const r = contactRecord.safeParse(o);
      return r.success ? { index, kind, data: r.data, value: o } : `contact record: ${zodReason(r.error.issues)}`;
    }
    case 'lensPostCall': {
      const r = lensPostCall.safeParse(o);
      return r.success ? { index, kind, data: r.data } : `Contact Lens output: ${zodReason(r.error.issues)}`;
    }
    case 'lensRealTime': {
      const r = lensRealTime.safeParse(o);
      return r.success ? { index, kind, data: r.data } : `Contact Lens segments: ${zodReason(r.error.issues)}`;
    }
  }
}

/** Contact Lens offsets count from the agent connect (voice) or the contact start, whichever is known. */
function contactTimes(records: readonly Known[]): Map<string, number> {
  const times = new Map<string, number>();
  const note = (contactId: unknown, ...candidates: unknown[]) => {
    const id = idOf(contactId);
    const t = candidates.map(timeMs).find((x) => x !== undefined);
    if (id && t !== undefined && !times.has(id)) times.set(id, t);
  };
  for (const r of records) {
    if (r.kind === 'ctr') note(r.data.ContactId, r.data.Agent?.ConnectedToAgentTimestamp, r.data.InitiationTimestamp);
    else if (r.kind === 'contactEvent') {
      note(r.data.contactId, r.data.agentInfo?.connectedToAgentTimestamp, r.data.initiationTimestamp);
    } else if (r.kind === 'agent') {
      for (const c of r.data.CurrentAgentSnapshot?.Contacts ?? []) note(c.ContactId, c.ConnectedToAgentTimestamp);
    }
  }
  return times;
}

/** Queue names from records that carry both name and ARN, before any contact event of the batch is mapped. */
function learnQueues(records: readonly Known[], queues: QueueNames): void {
  for (const r of records) {
    if (r.kind === 'ctr') queues.learn(r.data.Queue);
    else if (r.kind === 'agent') {
      const s = r.data.CurrentAgentSnapshot;
      for (const q of s?.Configuration?.RoutingProfile?.InboundQueues ?? []) queues.learn(q);
      for (const c of s?.Contacts ?? []) queues.learn(c.Queue);
    }
  }
}

function mapBatch(records: readonly VendorRecord[], now: number, queues: QueueNames): CollectorT['out'] {
  const out = new Collector(SOURCE);
  const known: Known[] = [];
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
    const r = read(index, kind, o, eventTime);
    if (typeof r === 'string') out.issue(index, 'malformed', r);
    else known.push(r);
  }

  const ctrs: RecordInBatch[] = [];
  const times = contactTimes(known);
  learnQueues(known, queues);
  for (const r of known) {
    const index = r.index;
    switch (r.kind) {
      case 'agent':
        mapAgentEvent(out, index, r.data);
        break;
      case 'contactEvent':
        mapContactEvent(out, index, r.data, r.eventTime, queues);
        break;
      case 'ctr':
        ctrs.push({ index, value: r.value, ctr: r.data });
        break;
      case 'lensPostCall': {
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
