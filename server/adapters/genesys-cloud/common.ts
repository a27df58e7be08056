/** What the Genesys Cloud feeds share: ids, media types, agent states, who ended a conversation. */
import type { AgentState, Channel, TandemEvent } from '../../contract/events.ts';
import { eventId } from '../vendor-fields.ts';

export const SOURCE = 'genesys-cloud';

/**
 * Ids name the conversation, the fact and the Genesys participant it concerns. Participant ids are the
 * same in notifications and analytics, so a conversation seen live and later backfilled is stored once.
 */
export const gcId = (...parts: (string | number)[]) => eventId('gc', ...parts);

/** A media type (analytics) or media list (notifications) → channel. */
export function channelOf(media: string | null | undefined): Channel | undefined {
  switch ((media ?? '').toLowerCase()) {
    case 'voice':
    case 'call':
    case 'calls':
    case 'callback':
    case 'callbacks':
      return 'voice';
    case 'chat':
    case 'chats':
    case 'message':
    case 'messages':
      return 'chat';
    case 'email':
    case 'emails':
      return 'email';
    case 'socialexpressions':
      return 'social';
    case 'video':
    case 'videos':
    case 'cobrowse':
    case 'cobrowsesessions':
    case 'screenshare':
    case 'screenshares':
      return 'app';
    default:
      return undefined;
  }
}

/** The customer's side of a conversation: customer or external participants (internal calls: the calling user). */
export const CUSTOMER_PURPOSES = ['customer', 'external'];
export const BOT_PURPOSES = ['ivr', 'bot'];

/**
 * A customer-side disconnectType → who ended it. `endpoint` and `client` are the customer's own phone
 * or app; `peer` is the other side (the agent, once one answered).
 */
export function endedByOf(
  disconnectType: string | null | undefined,
  answered: boolean,
): Extract<TandemEvent, { type: 'contact.ended' }>['endedBy'] {
  switch ((disconnectType ?? '').toLowerCase()) {
    case 'endpoint':
    case 'client':
      return 'customer';
    case 'peer':
      return answered ? 'agent' : 'system';
    case '':
      return undefined;
    default:
      return 'system';
  }
}

/**
 * Routing status → state. OFF_QUEUE says only that the agent takes no queue contacts: the presence
 * says why, and without one it is a break named off_queue.
 */
export function routingState(status: string): { state: AgentState; reason?: string } | null {
  switch (status.toUpperCase()) {
    case 'IDLE':
      return { state: 'available' };
    case 'INTERACTING':
    case 'COMMUNICATING':
      return { state: 'on_contact' };
    case 'NOT_RESPONDING':
      return { state: 'break', reason: 'not_responding' };
    default:
      return null;
  }
}

/** A system presence → state; On Queue is left to the routing status (idle or interacting). */
export function presenceState(systemPresence: string): { state: AgentState; reason?: string } | null {
  const p = systemPresence.toUpperCase().replace(/[\s-]+/g, '_');
  switch (p) {
    case 'ON_QUEUE':
      return null;
    case 'OFFLINE':
      return { state: 'offline' };
    case 'MEETING':
      return { state: 'meeting' };
    case 'TRAINING':
      return { state: 'training' };
    case 'AVAILABLE':
      // Available in Genesys is "reachable, not on queue": no queue contact will be routed.
      return { state: 'break', reason: 'off_queue' };
    default:
      return { state: 'break', reason: p.toLowerCase().slice(0, 256) || 'break' };
  }
}
