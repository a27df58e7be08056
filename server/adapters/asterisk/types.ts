/**
 * Asterisk's records with the names Asterisk documents: a queue_log line's columns (as the realtime
 * queue_log table names them) and the AMI queue events' headers. Only the fields Tandem reads are
 * declared; AMI sends every value as text, and a saved log converted to JSON may hold numbers.
 */
import { z } from 'zod';

export type QueueLogLine = {
  time: string;
  callid: string;
  queuename: string;
  agent: string;
  event: string;
  /** data1, data2...: their meaning depends on the event. */
  data: string[];
};

const value = z.union([z.string(), z.number()]).transform(String).optional();

/** Header names as the AMI event pages spell them; other spellings (`UniqueID`, `Holdtime`) are read too. */
export const AMI_FIELDS = [
  'Event',
  'Response',
  'Timestamp',
  'Uniqueid',
  'Linkedid',
  'Queue',
  'Position',
  'Count',
  'Interface',
  'MemberName',
  'Member',
  'Location',
  'HoldTime',
  'TalkTime',
  'Reason',
  'Status',
  'Paused',
  'PausedReason',
  'InCall',
] as const;

export const amiEvent = z.looseObject(
  Object.fromEntries(AMI_FIELDS.map((k) => [k, value])) as Record<(typeof AMI_FIELDS)[number], typeof value>,
);
export type AmiEvent = z.infer<typeof amiEvent>;
