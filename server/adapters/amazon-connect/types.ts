/**
 * Amazon Connect's records with the field names Amazon documents (Administrator Guide: agent event
 * streams data model, contact events, contact records data model, Contact Lens output). Only the
 * fields Tandem reads are declared; everything else a record carries is allowed and ignored, as Amazon
 * asks consumers to do.
 */
import { z } from 'zod';

const str = z.string();
const time = z.string().nullish();
const named = z.looseObject({ ARN: str.nullish(), Name: str.nullish() });

// Agent event stream (Kinesis).
export const AGENT_EVENT_TYPES = ['LOGIN', 'LOGOUT', 'STATE_CHANGE', 'HEART_BEAT'] as const;
export const CONTACT_STATES = [
  'INCOMING',
  'PENDING',
  'CONNECTING',
  'CONNECTED',
  'CONNECTED_ONHOLD',
  'MISSED',
  'ERROR',
  'ENDED',
  'REJECTED',
] as const;
export const snapshotContact = z.looseObject({
  ContactId: str.min(1),
  InitialContactId: str.nullish(),
  Channel: str.nullish(),
  InitiationMethod: str.nullish(),
  State: str,
  StateStartTimestamp: time,
  ConnectedToAgentTimestamp: time,
  QueueTimestamp: time,
  Queue: named.nullish(),
});
export const agentSnapshot = z.looseObject({
  AgentStatus: z.looseObject({ ARN: str.nullish(), Name: str, StartTimestamp: time }).nullish(),
  Configuration: z
    .looseObject({
      FirstName: str.nullish(),
      LastName: str.nullish(),
      Username: str.nullish(),
      AgentHierarchyGroups: z.looseObject({ Level1: named.nullish() }).nullish(),
      RoutingProfile: z.looseObject({ Name: str.nullish(), InboundQueues: z.array(named).nullish() }).nullish(),
    })
    .nullish(),
  Contacts: z.array(snapshotContact).nullish(),
});
export const agentEvent = z.looseObject({
  AgentARN: str.min(1),
  EventId: str.min(1),
  EventTimestamp: str,
  EventType: z.enum(AGENT_EVENT_TYPES),
  CurrentAgentSnapshot: agentSnapshot.nullish(),
  PreviousAgentSnapshot: agentSnapshot.nullish(),
  Version: str.nullish(),
});
export type AgentEvent = z.infer<typeof agentEvent>;
export type AgentSnapshot = z.infer<typeof agentSnapshot>;
export type SnapshotContact = z.infer<typeof snapshotContact>;

// Contact events (EventBridge `detail`, or the bare detail as some samples show it).
export const CONTACT_EVENT_TYPES = ['INITIATED', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED'] as const;
export const contactEvent = z.looseObject({
  eventType: str,
  contactId: str.min(1),
  channel: str.nullish(),
  initiationMethod: str.nullish(),
  initiationTimestamp: time,
  disconnectTimestamp: time,
  disconnectReason: str.nullish(),
  queueInfo: z.looseObject({ queueArn: str.nullish(), enqueueTimestamp: time }).nullish(),
  agentInfo: z.looseObject({ agentArn: str.nullish(), connectedToAgentTimestamp: time }).nullish(),
});
export type ContactEvent = z.infer<typeof contactEvent>;
/** Spellings the published samples use for the same fields (agentInfo / AgentInfo, AgentArn...). */
export const CONTACT_EVENT_KEYS = [
  'eventType',
  'contactId',
  'channel',
  'initiationMethod',
  'initiationTimestamp',
  'disconnectTimestamp',
  'disconnectReason',
  'queueInfo',
  'queueArn',
  'enqueueTimestamp',
  'agentInfo',
  'agentArn',
  'connectedToAgentTimestamp',
  'detail',
] as const;

// Contact records (CTR), old (2017-03-10 without DisconnectReason) and new shapes alike.
export const contactRecord = z.looseObject({
  ContactId: str.min(1),
  Channel: str.nullish(),
  InitiationMethod: str.nullish(),
  InitiationTimestamp: str,
  DisconnectTimestamp: time,
  DisconnectReason: str.nullish(),
  LastUpdateTimestamp: str,
  TransferCompletedTimestamp: time,
  Queue: z
    .looseObject({ ARN: str.nullish(), Name: str.nullish(), EnqueueTimestamp: time, DequeueTimestamp: time })
    .nullish(),
  Agent: z
    .looseObject({
      ARN: str.nullish(),
      Username: str.nullish(),
      ConnectedToAgentTimestamp: time,
      AfterContactWorkStartTimestamp: time,
      AfterContactWorkEndTimestamp: time,
    })
    .nullish(),
});
export type ContactRecord = z.infer<typeof contactRecord>;

// Contact Lens: post-call output file, and real-time segment stream events.
export const lensTurn = z.looseObject({
  Id: str.nullish(),
  ParticipantId: str,
  ParticipantRole: str.nullish(),
  Content: str,
  BeginOffsetMillis: z.number().int().min(0),
  Sentiment: str.nullish(),
});
export const lensPostCall = z.looseObject({
  Version: str.nullish(),
  Channel: str.nullish(),
  JobStatus: str.nullish(),
  Participants: z.array(z.looseObject({ ParticipantId: str, ParticipantRole: str.nullish() })).nullish(),
  CustomerMetadata: z.looseObject({ ContactId: str.nullish() }).nullish(),
  Transcript: z.array(lensTurn),
});
export const lensRealTime = z.looseObject({
  ContactId: str.min(1),
  Channel: str.nullish(),
  EventType: z.enum(['STARTED', 'SEGMENTS', 'COMPLETED', 'FAILED']),
  Segments: z
    .array(
      z.looseObject({
        Transcript: lensTurn.nullish(),
        Utterance: z.unknown().optional(),
        Categories: z.unknown().optional(),
      }),
    )
    .nullish(),
});
export type LensTurn = z.infer<typeof lensTurn>;
