/**
 * A TaskRouter event callback with the parameter names Twilio documents ("TaskRouter Events
 * reference"): the common parameters, then the Task, TaskQueue, Reservation and Worker fields an
 * event carries. Twilio posts every value as a form string; replays in JSON may carry numbers, so
 * numbers are read from either. Only the fields Tandem reads are declared.
 */
import { z } from 'zod';

const text = z.string().nullish();
/** A number Twilio sends as a form string ("1732441200") or a replay as a JSON number. */
const num = z
  .union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a number')])
  .transform(Number)
  .nullish();

export const taskRouterEvent = z.looseObject({
  EventType: z.string().min(1),
  /** The event's own sid (EV…); redeliveries of one event share it. */
  Sid: text,
  EventSid: text,
  AccountSid: text,
  WorkspaceSid: text,
  EventDescription: text,
  ResourceType: text,
  ResourceSid: text,
  /** Epoch seconds. */
  Timestamp: num,
  /** Epoch milliseconds (added to callbacks in January 2018). */
  TimestampMs: num,

  TaskSid: text,
  /** A JSON object in a string. */
  TaskAttributes: text,
  TaskAge: num,
  TaskPriority: num,
  TaskAssignmentStatus: text,
  TaskCanceledReason: text,
  TaskCompletedReason: text,
  TaskChannelSid: text,
  TaskChannelUniqueName: text,
  TaskQueueSid: text,
  TaskQueueName: text,

  ReservationSid: text,

  WorkerSid: text,
  WorkerName: text,
  WorkerActivitySid: text,
  WorkerActivityName: text,
  WorkerPreviousActivitySid: text,
  WorkerPreviousActivityName: text,
});

export type TaskRouterEvent = z.infer<typeof taskRouterEvent>;
