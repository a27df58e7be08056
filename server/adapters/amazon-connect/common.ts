/** What the Amazon Connect feeds share: ids, channels, disconnect reasons, agent states. */
import type { AgentState, Channel, TandemEvent } from '../../contract/events.ts';
import { arnId, eventId, idOf } from '../vendor-fields.ts';

export const SOURCE = 'amazon-connect';

/** Event ids name the contact and the fact, not the feed, so a fact told by two feeds is stored once. */
export const acId = (...parts: (string | number)[]) => eventId('ac', ...parts);

/** Connect's channels in any of the casings its samples use (VOICE, Voice). Tasks count as `app`. */
export function channelOf(value: unknown): Channel | undefined {
  switch (typeof value === 'string' ? value.toUpperCase() : '') {
    case 'VOICE':
      return 'voice';
    case 'CHAT':
      return 'chat';
    case 'EMAIL':
      return 'email';
    case 'TASK':
      return 'app';
    default:
      return undefined;
  }
}

/** The agent's id is the last part of the agent ARN: the one identifier every Connect feed carries. */
export const agentIdOf = (arn: unknown) => idOf(arnId(arn));

/** A queue is named by its name where the feed has one, else by the id in its ARN. */
export const queueOf = (q: { Name?: string | null; ARN?: string | null } | null | undefined) =>
  idOf(q?.Name ?? undefined) ?? idOf(arnId(q?.ARN));

/**
 * Queue names by the id in the queue ARN, learnt from every record that carries both (contact records,
 * agent events and their routing profiles), for contact events, which carry only the ARN. Bounded: the
 * oldest name is forgotten first.
 */
export class QueueNames {
  #names = new Map<string, string>();
  constructor(private readonly max = 10_000) {}

  learn(q: { Name?: string | null; ARN?: string | null } | null | undefined): void {
    const id = idOf(arnId(q?.ARN));
    const name = idOf(q?.Name ?? undefined);
    if (!id || !name) return;
    this.#names.delete(id);
    if (this.#names.size >= this.max) this.#names.delete(this.#names.keys().next().value!);
    this.#names.set(id, name);
  }

  /** The queue's name when known, else the id in its ARN. */
  nameOf(arn: unknown): string | undefined {
    const id = idOf(arnId(arn));
    return id === undefined ? undefined : (this.#names.get(id) ?? id);
  }
}

/** DisconnectReason (contact records, contact events) → who ended the contact. */
export function endedByOf(reason: unknown): Extract<TandemEvent, { type: 'contact.ended' }>['endedBy'] {
  switch (typeof reason === 'string' ? reason.toUpperCase() : '') {
    case 'CUSTOMER_DISCONNECT':
      return 'customer';
    case 'AGENT_DISCONNECT':
      return 'agent';
    case '':
      return undefined;
    default:
      // THIRD_PARTY_DISCONNECT, TELECOM_PROBLEM, CONTACT_FLOW_DISCONNECT, EXPIRED, API, OTHER...
      return 'system';
  }
}

/**
 * An agent status name → Tandem state. Connect has two system statuses (Available, Offline); every
 * other status is one the admin created, so it counts as a break named by the status, except names
 * that say training or meeting.
 */
export function statusState(name: string): { state: AgentState; reason?: string } {
  const lower = name.trim().toLowerCase();
  if (lower === 'available') return { state: 'available' };
  if (lower === 'offline') return { state: 'offline' };
  if (lower.includes('training')) return { state: 'training', reason: name };
  if (lower.includes('meeting')) return { state: 'meeting', reason: name };
  return { state: 'break', reason: name.slice(0, 256) || 'break' };
}
