/**
 * One TaskRouter event callback → Tandem events. The task is the contact: created, queued, accepted
 * by a worker (answered), wrapping up (the conversation ended), completed (wrap-up done), or canceled
 * before anyone accepted it (an abandon). Worker activity changes are agent states.
 */
import type { TandemEvent } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { idOf } from '../vendor-fields.ts';
import { activityState, channelOf, eventKey, eventTime, twId, type TaskRouterMemory } from './common.ts';
import type { TaskRouterEvent } from './types.ts';

/**
 * Every other event of the families TaskRouter documents is deliberately mapped to nothing: offers to
 * a worker (reservation.created, .rejected, .timeout, .canceled, .rescinded: the contract has no ring
 * or offer event), workflow routing steps, task updates and transfers, and configuration changes.
 */
const DOCUMENTED_FAMILY = /^(activity|reservation|task|task-channel|task-queue|worker|workflow|workspace)\./;

/** Who ended a canceled task: a caller's hang-up, else the system (a timeout, an API cancel). */
function canceledBy(reason: string | null | undefined): 'customer' | 'system' {
  return /hang.?up|caller|customer|abandon/i.test(reason ?? '') ? 'customer' : 'system';
}

export function mapTaskRouterEvent(out: Collector, record: number, e: TaskRouterEvent, memory: TaskRouterMemory): void {
  const type = e.EventType;
  const at = eventTime(e);
  const mapped = MAPPED[type];
  if (!mapped) {
    if (DOCUMENTED_FAMILY.test(type)) return out.ignore();
    return out.issue(record, 'unknown', `EventType ${JSON.stringify(type.slice(0, 80))} is not a TaskRouter event`);
  }
  if (at === undefined) return out.issue(record, 'malformed', `${type}: no valid TimestampMs or Timestamp`);
  const need = mapped.needs.find((f) => !idOf(e[f] ?? undefined));
  if (need) return out.issue(record, 'malformed', `${type}: ${need} is missing or longer than 256 characters`);
  mapped.map({ e, at, memory, emit: (ev) => out.emit(record, ev), ignore: () => out.ignore() });
}

type Step = {
  e: TaskRouterEvent;
  at: number;
  memory: TaskRouterMemory;
  emit(event: TandemEvent): void;
  ignore(): void;
};
type Mapper = { needs: ('TaskSid' | 'WorkerSid' | 'WorkerActivityName')[]; map(s: Step): void };

const task = (e: TaskRouterEvent) => e.TaskSid!;

function queued({ e, at, memory, emit }: Step, queue: string): void {
  const contactId = task(e);
  const priority = e.TaskPriority;
  emit({
    id: twId(contactId, 'queue.entered', queue),
    type: 'queue.entered',
    at,
    contactId,
    queue,
    ...(priority != null && Number.isInteger(priority) && priority >= 0 && priority <= 1000 ? { priority } : {}),
  });
  memory.learnTask(contactId, { queue });
}

function ended({ e, at, memory, emit }: Step, endedBy?: 'customer' | 'system'): void {
  const contactId = task(e);
  emit({ id: twId(contactId, 'ended'), type: 'contact.ended', at, contactId, ...(endedBy ? { endedBy } : {}) });
  memory.learnTask(contactId, { ended: true });
}

/** The worker who has the task: the one who accepted it, else the one the event names. */
const agentOf = ({ e, memory }: Step) => memory.task(task(e)).agent ?? idOf(e.WorkerSid ?? undefined);

function wrapping(s: Step): void {
  ended(s);
  const agentId = agentOf(s);
  if (!agentId) return;
  s.emit({ id: twId(task(s.e), 'wrap_up', agentId), type: 'agent.state', at: s.at, agentId, state: 'wrap_up' });
}

function completed(s: Step): void {
  const contactId = task(s.e);
  ended(s);
  const agentId = agentOf(s);
  if (!agentId) return;
  s.emit({ id: twId(contactId, 'wrapup', agentId), type: 'wrapup.completed', at: s.at, contactId, agentId });
  // A worker keeps its Activity while it has tasks (Available, with multitasking): once the task is
  // done it is back in that activity, not on a contact.
  const back = s.memory.worker(agentId) ?? { state: 'available' as const };
  s.emit({ id: twId(contactId, 'after', agentId), type: 'agent.state', at: s.at, agentId, ...back });
}

const MAPPED: Record<string, Mapper> = {
  'task.created': {
    needs: ['TaskSid'],
    map(s) {
      const contactId = task(s.e);
      s.emit({ id: twId(contactId, 'started'), type: 'contact.started', at: s.at, contactId, channel: channelOf(s.e) });
      // Only a named queue: a bare sid here and the name in task-queue.entered would count it twice.
      const queue = s.e.TaskQueueName ? s.memory.queueOf(s.e) : undefined;
      if (queue) queued(s, queue);
    },
  },
  'task-queue.entered': {
    needs: ['TaskSid'],
    map(s) {
      const queue = s.memory.queueOf(s.e);
      if (queue) queued(s, queue);
      else s.ignore();
    },
  },
  'reservation.accepted': {
    needs: ['TaskSid', 'WorkerSid'],
    map(s) {
      const contactId = task(s.e);
      const agentId = s.e.WorkerSid!;
      const queue = s.memory.task(contactId).queue ?? s.memory.queueOf(s.e);
      if (queue) {
        s.emit({
          id: twId(contactId, 'queue.left', queue),
          type: 'queue.left',
          at: s.at,
          contactId,
          queue,
          outcome: 'answered',
          agentId,
        });
      }
      const name = idOf(s.e.WorkerName ?? undefined);
      s.emit({
        id: twId(contactId, 'on_contact', agentId),
        type: 'agent.state',
        at: s.at,
        agentId,
        state: 'on_contact',
        ...(name ? { name } : {}),
      });
      s.memory.learnTask(contactId, { agent: agentId, ...(queue ? { queue } : {}) });
    },
  },
  'task.wrapup': { needs: ['TaskSid'], map: wrapping },
  'reservation.wrapup': { needs: ['TaskSid'], map: wrapping },
  'task.completed': { needs: ['TaskSid'], map: completed },
  'reservation.completed': { needs: ['TaskSid'], map: completed },
  'task.canceled': {
    needs: ['TaskSid'],
    map(s) {
      const contactId = task(s.e);
      const known = s.memory.task(contactId);
      const queue = known.queue ?? s.memory.queueOf(s.e);
      // Twilio also cancels a task when its TTL runs out or a system cancels it. Only a task nobody
      // accepted is an abandon; the id it shares with the answer keeps an earlier answer if one was
      // stored (a cancel after an accept this process did not see).
      if (!known.agent && queue) {
        s.emit({
          id: twId(contactId, 'queue.left', queue),
          type: 'queue.left',
          at: s.at,
          contactId,
          queue,
          outcome: 'abandoned',
        });
      }
      ended(s, known.agent ? undefined : canceledBy(s.e.TaskCanceledReason));
    },
  },
  'task.deleted': {
    needs: ['TaskSid'],
    map(s) {
      if (s.memory.task(task(s.e)).ended) s.ignore();
      else ended(s);
    },
  },
  'worker.activity.update': {
    needs: ['WorkerSid', 'WorkerActivityName'],
    map(s) {
      const agentId = s.e.WorkerSid!;
      const state = activityState(s.e.WorkerActivityName!);
      const name = idOf(s.e.WorkerName ?? undefined);
      s.emit({
        id: twId('worker', agentId, eventKey(s.e, s.at)),
        type: 'agent.state',
        at: s.at,
        agentId,
        ...state,
        ...(name ? { name } : {}),
      });
      s.memory.learnWorker(agentId, state);
    },
  },
};
