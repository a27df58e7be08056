import { describe, expect, it } from 'vitest';
import { barShares, CHART, handlerStack, rateLines, sparkline } from './summary-charts.ts';
import { CARDS, change } from './summary-cards.ts';

const card = (key: string) => CARDS.find((c) => c.key === key)!;

describe('summary charts', () => {
  it('draw a sparkline through known values, with a gap for an unknown one', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([null, null])).toBe('');
    const d = sparkline([1, 2, null, 4], 100, 20);
    // Two runs: 1-2, then 4 alone (a move without a line).
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d.startsWith('M1,18')).toBe(true);
  });

  it('stack contacts by handler up to the interval total', () => {
    const { rects, ticks } = handlerStack([
      { label: 'a', ai: 10, hybrid: 5, human: 5 },
      { label: 'b', ai: 0, hybrid: 0, human: 40 },
    ]);
    expect(rects[0]!.map((r) => r.handler)).toEqual(['ai', 'hybrid', 'human']);
    const bottom = CHART.height - CHART.bottom;
    // AI sits on the axis; each next part starts where the last ended.
    expect(rects[0]![0]!.y + rects[0]![0]!.height).toBeCloseTo(bottom);
    expect(rects[0]![1]!.y + rects[0]![1]!.height).toBeCloseTo(rects[0]![0]!.y);
    // 40 is twice 20: the second bar is twice as tall.
    const tall = (i: number) => rects[i]!.reduce((h, r) => h + r.height, 0);
    expect(tall(1)).toBeCloseTo(2 * tall(0));
    expect(ticks[0]!.value).toBe(0);
  });

  it('put rates on a 0–100% axis and bars in proportion', () => {
    const { paths, ticks } = rateLines(['a', 'b'], [[0, 1]]);
    expect(paths[0]).toMatch(new RegExp(`^M[\\d.]+,${CHART.height - CHART.bottom}L[\\d.]+,${CHART.top}$`));
    expect(ticks.at(-1)!.value).toBe(1);
    expect(barShares([30, 15, 0])).toEqual([1, 0.5, 0]);
    expect(barShares([0, 0])).toEqual([0, 0]);
  });

  it('change in points for rates and by a share for counts, coloured by which way is better', () => {
    expect(change(card('csat'), 0.82, 0.8)).toMatchObject({ relative: false, tone: 'good' });
    expect(change(card('csat'), 0.82, 0.8)!.delta).toBeCloseTo(0.02);
    expect(change(card('escalationRate'), 0.3, 0.25)!.tone).toBe('bad');
    expect(change(card('ahtSeconds'), 270, 300)).toEqual({ delta: -0.1, relative: true, tone: 'good' });
    expect(change(card('contacts'), 120, 100)).toEqual({ delta: 0.2, relative: true, tone: 'neutral' });
    expect(change(card('contacts'), 5, 0)).toBeNull();
    expect(change(card('nps'), null, 10)).toBeNull();
  });
});
