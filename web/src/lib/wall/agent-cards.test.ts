import { describe, expect, it } from 'vitest';
import type { AgentLive } from '$contract/live.ts';
import { agentCards, pageAt } from './agent-cards.ts';

const agent = (agentId: string, state: AgentLive['state'], since: number): AgentLive => ({
  agentId,
  name: null,
  team: null,
  state,
  since,
  reason: null,
  queues: [],
  remote: null,
  contactId: null,
  channel: null,
  onHold: false,
});

describe('agentCards', () => {
  it('leaves out the logged-out, sorts working states first and the longest in a state first', () => {
    const now = 1_000_000;
    const cards = agentCards(
      [
        agent('a', 'available', now - 10_000),
        agent('b', 'offline', now - 5_000),
        agent('c', 'on_contact', now - 30_000),
        agent('d', 'available', now - 90_000),
        agent('e', 'break', now - 60_000),
      ],
      now,
    );
    expect(cards.map((c) => c.agentId)).toEqual(['c', 'd', 'a', 'e']);
    expect(cards[0]!.seconds).toBe(30);
  });

  it('highlights a state past its limit', () => {
    const now = 10_000_000;
    const cards = agentCards(
      [
        agent('w', 'wrap_up', now - 121_000),
        agent('b', 'break', now - 16 * 60_000),
        agent('f', 'wrap_up', now - 60_000),
      ],
      now,
    );
    expect(Object.fromEntries(cards.map((c) => [c.agentId, c.overLimit]))).toEqual({ w: true, b: true, f: false });
  });
});

describe('pageAt', () => {
  it('turns pages in order and wraps around', () => {
    expect(pageAt(25, 10, 0)).toEqual({ page: 0, pages: 3, first: 0, end: 10 });
    expect(pageAt(25, 10, 16_000)).toEqual({ page: 2, pages: 3, first: 20, end: 25 });
    expect(pageAt(25, 10, 24_000).page).toBe(0);
    expect(pageAt(0, 10, 5_000)).toEqual({ page: 0, pages: 1, first: 0, end: 0 });
  });
});
