/** What TaskRouter events share: ids, times, channels, worker activities, and the adapter's memory. */
import { LIMITS, type AgentState, type Channel } from '../../contract/events.ts';
import { asObject, eventId, idOf } from '../vendor-fields.ts';
import type { TaskRouterEvent } from './types.ts';

export const SOURCE = 'twilio-taskrouter';

/**
 * Ids of contact facts name the task and the fact, not the event that told it: a task's queue exit
 * is told by reservation.accepted (answered) or by task.canceled (abandoned), its end by task.wrapup,
 * reservation.wrapup or task.completed. One id per fact keeps whichever was stored first.
 */
export const twId = (...parts: (string | number)[]) => eventId('tw', ...parts);

/** The event time: TimestampMs, else Timestamp (epoch seconds). */
export function eventTime(e: TaskRouterEvent): number | undefined {
  const ms = e.TimestampMs ?? (e.Timestamp != null ? e.Timestamp * 1000 : undefined);
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const at = Math.round(ms);
  return at >= LIMITS.minAt && at < LIMITS.maxAt ? at : undefined;
}

/** The event's own sid, for facts only this event tells (a worker's activity change). */
export function eventKey(e: TaskRouterEvent, at: number): string {
  return (
    idOf(e.Sid ?? undefined) ??
    idOf(e.EventSid ?? undefined) ??
    [e.EventType, e.ResourceSid ?? e.TaskSid ?? e.WorkerSid ?? '', at].join(':')
  );
}

/** TaskAttributes is JSON in a string; anything else reads as no attributes. */
export function taskAttributes(e: TaskRouterEvent): Record<string, unknown> {
  if (!e.TaskAttributes) return {};
  try {
    return asObject(JSON.parse(e.TaskAttributes)) ?? {};
  } catch {
    return {};
  }
}

/**
 * TaskChannelUniqueName (voice, chat, sms, email, video, default or a custom channel) → channel.
 * The default and custom channels say nothing of the medium: Flex's `channelType` attribute then
 * decides, and without one the task is `app` work.
 */
export function channelOf(e: TaskRouterEvent): Channel {
  const byName = mediumOf(e.TaskChannelUniqueName);
  if (byName) return byName;
  const type = taskAttributes(e).channelType;
  return mediumOf(typeof type === 'string' ? type : undefined) ?? 'app';
}

function mediumOf(name: string | null | undefined): Channel | undefined {
  switch ((name ?? '').toLowerCase()) {
    case 'voice':
    case 'call':
      return 'voice';
    case 'chat':
    case 'sms':
    case 'web':
    case 'webchat':
    case 'messaging':
      return 'chat';
    case 'email':
      return 'email';
    case 'whatsapp':
    case 'facebook':
    case 'messenger':
    case 'instagram':
    case 'line':
    case 'gbm':
      return 'social';
    case 'video':
      return 'app';
    default:
      return undefined;
  }
}

/**
 * A worker's Activity → state. Twilio's default activities are Available, Unavailable, Offline and
 * Break; a workspace may add its own, which map to the closest state by name, else a break named
 * after the activity.
 */
export function activityState(activity: string): { state: AgentState; reason?: string } {
  const name = activity.trim().toLowerCase();
  const slug = name.replace(/[\s-]+/g, '_').slice(0, LIMITS.idLength) || 'break';
  if (['available', 'idle', 'ready'].includes(name)) return { state: 'available' };
  if (name === 'offline' || /logged.?out|log.?off|signed.?out/.test(name)) return { state: 'offline' };
  if (/train|coach/.test(name)) return { state: 'training' };
  if (/meeting/.test(name)) return { state: 'meeting' };
  if (/wrap|after.?call|\bacw\b/.test(name)) return { state: 'wrap_up' };
  return { state: 'break', reason: slug };
}

type TaskFacts = { queue?: string; agent?: string; ended?: boolean };

/**
 * What earlier callbacks taught: each task's queue, the worker who accepted it and whether it ended;
 * each worker's last activity; queue names by sid. Twilio posts one event per request, so pairing a
 * cancel with an earlier answer needs it. Bounded: the oldest entries are forgotten first. The
 * server process's; it starts empty after a restart.
 */
export class TaskRouterMemory {
  readonly #tasks = new Map<string, TaskFacts>();
  readonly #workers = new Map<string, { state: AgentState; reason?: string }>();
  readonly #queues = new Map<string, string>();
  constructor(private readonly max = 10_000) {}

  #put<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    if (map.size >= this.max) map.delete(map.keys().next().value!);
    map.set(key, value);
  }

  task(sid: string): Readonly<TaskFacts> {
    return this.#tasks.get(sid) ?? {};
  }
  learnTask(sid: string, facts: TaskFacts): void {
    this.#put(this.#tasks, sid, { ...this.#tasks.get(sid), ...facts });
  }
  worker(sid: string): { state: AgentState; reason?: string } | undefined {
    return this.#workers.get(sid);
  }
  learnWorker(sid: string, state: { state: AgentState; reason?: string }): void {
    this.#put(this.#workers, sid, state);
  }

  /** The queue's name: TaskQueueName, else the name an earlier event gave its sid, else the sid. */
  queueOf(e: TaskRouterEvent): string | undefined {
    const sid = idOf(e.TaskQueueSid ?? undefined);
    const name = idOf(e.TaskQueueName ?? undefined);
    if (sid && name) this.#put(this.#queues, sid, name);
    return name ?? (sid ? (this.#queues.get(sid) ?? sid) : undefined);
  }
}
