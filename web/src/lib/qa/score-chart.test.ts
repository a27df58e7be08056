import { describe, expect, it } from 'vitest';
import type { RollupRow } from '$contract/scorecards.ts';
import { CHART, scoreBars, scoreLine } from './score-chart.ts';

const row = (key: string | null, overall: number | null): RollupRow => ({
  key,
  count: 1,
  overall,
  bot: null,
  agent: null,
  handoff: null,
  criticalFailRate: 0,
});

describe('scoreBars', () => {
  it('draws bars on a fixed 0-100 axis, one band per row, nothing for a score that did not apply', () => {
    const { bars, ticks, height } = scoreBars([row('a', 100), row('b', 50), row(null, null)], 'overall');
    const full = CHART.width - CHART.label - CHART.padding;
    expect(bars.map((b) => b.width)).toEqual([full, full / 2, 0]);
    expect(height).toBe(3 * CHART.row);
    expect(bars[1]!.y).toBeGreaterThan(bars[0]!.y);
    expect(ticks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe('scoreLine', () => {
  it('breaks the line at a day without the score instead of drawing it as 0', () => {
    const { path, points } = scoreLine(
      [row('2026-11-01', 80), row('2026-11-02', null), row('2026-11-03', 60), row('2026-11-04', 70)],
      'overall',
    );
    expect(points.map((p) => p.key)).toEqual(['2026-11-01', '2026-11-03', '2026-11-04']);
    // Two segments: a lone point, then a line of two.
    expect(path.match(/M/g)).toHaveLength(2);
    expect(points[0]!.y).toBeLessThan(points[1]!.y);
  });
});
