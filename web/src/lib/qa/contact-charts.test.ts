import { describe, expect, it } from 'vitest';
import type { QaPhase, QaSegment } from '$contract/qa.ts';
import { sentimentChart, SENTIMENT_MARGIN } from './sentiment-chart.ts';
import { timeline, TIMELINE_MARGIN } from './contact-timeline.ts';

const T0 = Date.UTC(2026, 10, 24, 9);
const seg = (sec: number, speaker: QaSegment['speaker'], sentiment: number, lexicon = false): QaSegment => ({
  eventId: `s${sec}`,
  at: T0 + sec * 1000,
  speaker,
  agentId: null,
  text: 'x',
  sentiment,
  sentimentSource: lexicon ? 'lexicon' : 'producer',
  redactions: {},
});

describe('sentiment chart', () => {
  it('places each speaker on -1..1 over the conversation, with the handoff', () => {
    const c = sentimentChart(
      [seg(0, 'customer', -1), seg(30, 'bot', 0), seg(60, 'agent', 1, true), seg(120, 'customer', 0.5)],
      T0 + 60_000,
      500,
      200,
    );
    expect(c.lines.map((l) => l.speaker)).toEqual(['customer', 'agent', 'bot']);
    const [first, , third, last] = c.points;
    expect(first).toMatchObject({ x: SENTIMENT_MARGIN.left, y: 200 - SENTIMENT_MARGIN.bottom, lexicon: false });
    expect(third).toMatchObject({ y: SENTIMENT_MARGIN.top, lexicon: true });
    expect(last!.x).toBe(500 - SENTIMENT_MARGIN.right);
    expect(c.handoffX).toBeCloseTo((SENTIMENT_MARGIN.left + 500 - SENTIMENT_MARGIN.right) / 2);
    expect(c.zeroY).toBeCloseTo((SENTIMENT_MARGIN.top + 200 - SENTIMENT_MARGIN.bottom) / 2);
    expect(c.seconds).toBe(true);
  });

  it('spreads a single segment over a minute rather than dividing by zero', () => {
    const c = sentimentChart([seg(0, 'customer', 0)], null, 400, 200);
    expect(Number.isFinite(c.points[0]!.x)).toBe(true);
    expect(c.handoffX).toBeNull();
  });
});

describe('phase timeline', () => {
  it('gives each kind a row and each phase a bar; open phases run to the end', () => {
    const phases: QaPhase[] = [
      { kind: 'bot', from: T0, to: T0 + 60_000, label: 'b' },
      { kind: 'queue', from: T0 + 60_000, to: T0 + 90_000, label: 'q' },
      { kind: 'agent', from: T0 + 90_000, to: null, label: 'a1' },
    ];
    const c = timeline(phases, T0 + 60_000, T0 + 120_000, 610, 120);
    expect(c.rows.map((r) => r.kind)).toEqual(['bot', 'queue', 'agent']);
    const [bot, queue, agent] = c.bars;
    expect(bot!.x).toBe(TIMELINE_MARGIN.left);
    expect(queue!.x).toBeCloseTo(bot!.x + bot!.width);
    expect(agent).toMatchObject({ open: true });
    expect(agent!.x + agent!.width).toBeCloseTo(610 - TIMELINE_MARGIN.right);
    expect(c.handoffX).toBeCloseTo(queue!.x);
  });
});
