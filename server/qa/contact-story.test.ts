import { describe, expect, it } from 'vitest';
import type { TandemEvent } from '../contract/events.ts';
import { handoffOf, phasesOf, summarize, type ContactEvent } from './contact-story.ts';

const T0 = Date.UTC(2026, 10, 24, 9);
let n = 0;
const ev = (sec: number, e: Record<string, unknown>): ContactEvent => ({
  id: `e${String(++n).padStart(3, '0')}`,
  atMs: T0 + sec * 1000,
  event: { id: `e${n}`, at: T0 + sec * 1000, contactId: 'c1', ...e } as unknown as TandemEvent,
});
const say = (sec: number, speaker: string, text: string, extra: Record<string, unknown> = {}) =>
  ev(sec, { type: 'transcript.segment', speaker, text, ...extra });

function hybridContact(): ContactEvent[] {
  return [
    ev(0, { type: 'contact.started', channel: 'chat', customerId: 'cu1' }),
    ev(1, { type: 'bot.started', botId: 'helper' }),
    say(2, 'customer', 'I was charged twice for my order'),
    say(3, 'bot', 'Sorry, I did not get that. Could you rephrase?'),
    say(4, 'customer', 'charged twice!'),
    say(5, 'bot', 'Sorry, I did not get that, could you rephrase'),
    say(6, 'bot', 'sorry I did not get that could you rephrase?'),
    ev(7, { type: 'bot.ended', outcome: 'escalated', reason: 'low_confidence', intent: 'billing' }),
    ev(7, { type: 'queue.entered', queue: 'billing' }),
    ev(40, { type: 'queue.left', queue: 'billing', outcome: 'answered', agentId: 'a1' }),
    say(41, 'agent', 'Hello, let me check that for you', { agentId: 'a1' }),
    ev(50, { type: 'contact.held', agentId: 'a1' }),
    ev(200, { type: 'contact.resumed', agentId: 'a1' }),
    say(201, 'customer', 'This is unacceptable, I am furious', { redactions: { CARD: 1 } }),
    ev(260, { type: 'contact.ended', endedBy: 'customer' }),
    ev(290, { type: 'wrapup.completed', agentId: 'a1', disposition: 'refund', resolved: true }),
    ev(300, { type: 'survey.completed', csat: 1, nps: 2 }),
  ];
}

describe('contact story', () => {
  it('summarises a hybrid contact and raises its flags', () => {
    const s = summarize('c1', hybridContact().reverse());
    expect(s).toMatchObject({
      contactId: 'c1',
      start: T0,
      end: T0 + 260_000,
      channel: 'chat',
      handler: 'hybrid',
      queues: ['billing'],
      agents: ['a1'],
      agent: 'a1',
      queue: 'billing',
      botId: 'helper',
      botOutcome: 'escalated',
      reason: 'low_confidence',
      intent: 'billing',
      csat: 1,
      nps: 2,
      converted: false,
      disposition: 'refund',
      customerId: 'cu1',
      segments: 7,
      botTurns: 3,
      holdMs: 150_000,
      redactions: 1,
    });
    expect(s.sentimentEnd).toBeLessThan(-0.25);
    expect(s.flags).toEqual(['negative_end', 'long_hold', 'bot_loop', 'low_csat']);
  });

  it('flags a handoff the customer abandoned and a late escalation', () => {
    const events = [
      ev(0, { type: 'contact.started', channel: 'voice' }),
      ev(1, { type: 'bot.started' }),
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((w, i) => say(2 + i, 'bot', `step ${w} of the form`)),
      ev(10, { type: 'bot.ended', outcome: 'escalated' }),
      ev(10, { type: 'queue.entered', queue: 'q' }),
      ev(90, { type: 'queue.left', queue: 'q', outcome: 'abandoned' }),
    ];
    const s = summarize('c2', events);
    expect(s.reason).toBe('other');
    expect(s.flags).toEqual(['late_escalation', 'abandoned_after_handoff']);
    expect(s.flags).not.toContain('bot_loop');
  });

  it('knows a bot-only contact and one without a start', () => {
    const ai = summarize('c3', [
      ev(0, { type: 'contact.started', channel: 'app' }),
      ev(1, { type: 'bot.started' }),
      ev(5, { type: 'bot.ended', outcome: 'contained' }),
      ev(6, { type: 'contact.converted', amount: 20, currency: 'USD' }),
      ev(7, { type: 'contact.converted', amount: 5, currency: 'USD' }),
    ]);
    expect(ai).toMatchObject({ handler: 'ai', converted: true, revenue: 25, flags: [] });
    const orphan = summarize('c4', [say(0, 'customer', '谢谢')]);
    expect(orphan).toMatchObject({ handler: null, start: T0, sentimentEnd: expect.any(Number) });
  });

  it('lays out phases and the handoff moment', () => {
    const events = hybridContact();
    expect(handoffOf(events)).toEqual({ at: T0 + 7000, reason: 'low_confidence', intent: 'billing', botId: 'helper' });
    expect(
      phasesOf(events).map((p) => [p.kind, (p.from - T0) / 1000, p.to === null ? null : (p.to - T0) / 1000]),
    ).toEqual([
      ['bot', 1, 7],
      ['queue', 7, 40],
      ['agent', 40, 260],
      ['hold', 50, 200],
      ['wrapup', 260, 290],
    ]);
  });
});
