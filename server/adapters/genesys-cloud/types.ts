/**
 * Genesys Cloud's payloads with the field names Genesys documents: notification events (topicName +
 * eventBody) for user activity, routing status, presence and conversations, and analytics conversation
 * detail records (participants → sessions → segments). Only the fields Tandem reads are declared.
 */
import { z } from 'zod';

const str = z.string();
const time = z.string().nullish();

export const notification = z.looseObject({
  topicName: str.min(1),
  version: z.union([str, z.number()]).nullish(),
  eventBody: z.unknown(),
});

export const routingStatus = z.looseObject({ userId: str.nullish(), status: str, startTime: time });
export const presence = z.looseObject({
  presenceDefinition: z.looseObject({ id: str.nullish(), systemPresence: str }),
  modifiedDate: time,
});
export const routingStatusBody = z.looseObject({ routingStatus });
export const activityBody = z.looseObject({
  id: str.nullish(),
  routingStatus: routingStatus.nullish(),
  presence: presence.nullish(),
  activeQueueIds: z.array(str).nullish(),
});
export type RoutingStatus = z.infer<typeof routingStatus>;
export type Presence = z.infer<typeof presence>;

/** A communication of a conversation participant (calls, chats, callbacks, emails, messages...). */
export const communication = z.looseObject({
  state: str.nullish(),
  connectedTime: time,
  disconnectedTime: time,
  disconnectType: str.nullish(),
  held: z.boolean().nullish(),
  afterCallWork: z.looseObject({ state: str.nullish(), startTime: time, endTime: time }).nullish(),
});
export const MEDIA_KEYS = [
  'calls',
  'callbacks',
  'chats',
  'messages',
  'emails',
  'socialExpressions',
  'videos',
  'screenshares',
  'cobrowsesessions',
] as const;
export const conversationParticipant = z.looseObject({
  id: str.min(1),
  purpose: str,
  userId: str.nullish(),
  queueId: str.nullish(),
  name: str.nullish(),
  startTime: time,
  connectedTime: time,
  endTime: time,
  wrapupRequired: z.boolean().nullish(),
  wrapup: z.looseObject({ code: str.nullish(), name: str.nullish(), endTime: time }).nullish(),
  calls: z.array(communication).nullish(),
  callbacks: z.array(communication).nullish(),
  chats: z.array(communication).nullish(),
  messages: z.array(communication).nullish(),
  emails: z.array(communication).nullish(),
  socialExpressions: z.array(communication).nullish(),
  videos: z.array(communication).nullish(),
  screenshares: z.array(communication).nullish(),
  cobrowsesessions: z.array(communication).nullish(),
});
export const conversationBody = z.looseObject({ id: str.min(1), participants: z.array(conversationParticipant) });
export type ConversationParticipant = z.infer<typeof conversationParticipant>;
export type Communication = z.infer<typeof communication>;

// Analytics conversation detail records (POST /api/v2/analytics/conversations/details/query, jobs).
export const segment = z.looseObject({
  segmentStart: str,
  segmentEnd: time,
  segmentType: str,
  queueId: str.nullish(),
  disconnectType: str.nullish(),
  wrapUpCode: str.nullish(),
  errorCode: str.nullish(),
});
export const detailParticipant = z.looseObject({
  participantId: str.min(1),
  purpose: str,
  userId: str.nullish(),
  participantName: str.nullish(),
  sessions: z
    .array(z.looseObject({ mediaType: str.nullish(), direction: str.nullish(), segments: z.array(segment).nullish() }))
    .nullish(),
});
export const conversationDetail = z.looseObject({
  conversationId: str.min(1),
  conversationStart: str,
  conversationEnd: time,
  participants: z.array(detailParticipant),
});
export type ConversationDetail = z.infer<typeof conversationDetail>;
export type DetailParticipant = z.infer<typeof detailParticipant>;
export type Segment = z.infer<typeof segment>;
