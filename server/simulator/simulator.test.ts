import { describe, expect, it } from 'vitest';
import { checkEvent } from '../contract/events.ts';
import { arrivalCurve, Simulator } from './simulator.ts';

const start = Date.UTC(2026, 10, 24, 9);

describe('Simulator', () => {
  it('is deterministic for a seed', () => {
    const a = new Simulator({ seed: 5, ratePerMinute: 10, start }).advance(start + 30 * 60_000);
    const b = new Simulator({ seed: 5, ratePerMinute: 10, start }).advance(start + 30 * 60_000);
    const c = new Simulator({ seed: 6, ratePerMinute: 10, start }).advance(start + 30 * 60_000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('emits only valid contract events, in time order, with unique ids', () => {
    const events = new Simulator({ seed: 1, ratePerMinute: 15, start }).advance(start + 2 * 3_600_000);
    const ids = new Set<string>();
    let last = 0;
    for (const e of events) {
      const r = checkEvent(e);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(e.at as number).toBeGreaterThanOrEqual(last);
      last = e.at as number;
      ids.add(e.id);
    }
    expect(ids.size).toBe(events.length);
  });

  it('produces a realistic mix: bots contain and escalate, people answer, some customers abandon', () => {
    const events = new Simulator({ seed: 2, ratePerMinute: 12, start }).advance(start + 3 * 3_600_000);
    const count = (pred: (e: (typeof events)[number]) => boolean) => events.filter(pred).length;
    const started = count((e) => e.type === 'contact.started');
    const contained = count((e) => e.type === 'bot.ended' && e.outcome === 'contained');
    const escalated = count((e) => e.type === 'bot.ended' && e.outcome === 'escalated');
    const answered = count((e) => e.type === 'queue.left' && e.outcome === 'answered');
    const abandoned = count((e) => e.type === 'queue.left' && e.outcome === 'abandoned');
    expect(started).toBeGreaterThan(1000);
    expect(contained / started).toBeGreaterThan(0.2);
    expect(escalated / started).toBeGreaterThan(0.15);
    expect(answered).toBeGreaterThan(abandoned);
    expect(abandoned).toBeGreaterThan(0);
    expect(count((e) => e.type === 'survey.completed')).toBeGreaterThan(0);
    expect(count((e) => e.type === 'contact.converted')).toBeGreaterThan(0);
    expect(count((e) => e.type === 'transcript.segment' && /[\u4e00-\u9fff]/.test(e.text))).toBeGreaterThan(0);
    expect(count((e) => e.type === 'agent.state' && e.state === 'break')).toBeGreaterThan(0);
  });

  it('follows a time-of-day curve', () => {
    expect(arrivalCurve(10.5)).toBeCloseTo(1, 2);
    expect(arrivalCurve(3)).toBeLessThan(0.4);
  });
});
