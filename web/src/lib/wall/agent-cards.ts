/**
 * The agent board's cards: who is logged in, in what state and for how long, and whether that is
 * past the state's limit (a wrap-up over 2 minutes, a break over 15). Pure, so it is tested without
 * a browser; the component only renders and pages.
 */
import type { AgentState } from '$contract/events.ts';
import type { AgentLive } from '$contract/live.ts';

/** How long each state may last before the card is highlighted, in seconds. */
export const STATE_LIMITS: Partial<Record<AgentState, number>> = {
  wrap_up: 120,
  break: 15 * 60,
  meeting: 60 * 60,
  training: 2 * 60 * 60,
};

/** Working states first, then away; within a state the longest in it first. */
const ORDER: AgentState[] = ['on_contact', 'wrap_up', 'available', 'break', 'meeting', 'training'];

export type AgentCard = AgentLive & { seconds: number; overLimit: boolean; limit: number | null };

/** Cards of the agents logged in now, sorted; `serverNow` on the server's clock (times tick on it). */
export function agentCards(agents: readonly AgentLive[], serverNow: number): AgentCard[] {
  return agents
    .filter((a) => a.state !== 'offline')
    .map((a) => {
      const seconds = Math.max(0, (serverNow - a.since) / 1000);
      const limit = STATE_LIMITS[a.state] ?? null;
      return { ...a, seconds, limit, overLimit: limit !== null && seconds > limit };
    })
    .sort(
      (a, b) =>
        ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || b.seconds - a.seconds || a.agentId.localeCompare(b.agentId),
    );
}

/** Which page of `perPage` cards to show at `now`, turning every `turnMs`: [first, end) and the page. */
export function pageAt(count: number, perPage: number, now: number, turnMs = 8000) {
  const pages = Math.max(1, Math.ceil(count / Math.max(1, perPage)));
  const page = Math.floor(now / turnMs) % pages;
  return { page, pages, first: page * perPage, end: Math.min(count, (page + 1) * perPage) };
}
