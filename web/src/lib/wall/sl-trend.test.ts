import { describe, expect, it } from 'vitest';
import { SLOT_MS, slTrend } from './sl-trend.ts';

const margin = { top: 0, right: 0, bottom: 0, left: 0 };
const day = Date.UTC(2026, 10, 24);

describe('slTrend', () => {
  it('breaks the line at slots without contacts instead of drawing them as 0%', () => {
    const series = [
      { start: day, offered: 4, serviceLevel: 1 },
      { start: day + SLOT_MS, offered: 0, serviceLevel: null },
      { start: day + 2 * SLOT_MS, offered: 3, serviceLevel: 0.5 },
    ];
    const t = slTrend(series, undefined, { width: 300, height: 100 }, margin, 'UTC');
    // Two separate segments, each a lone point: two moves, no line through the gap.
    expect(t.d.match(/M/g)).toHaveLength(2);
    expect(t.d).not.toContain('L');
    expect(t.last).toEqual({ x: 250, y: 50, value: 0.5 });
  });

  it('puts the target and alert levels on the same scale as the line', () => {
    const series = [{ start: day, offered: 10, serviceLevel: 0.8 }];
    const t = slTrend(series, { target: 0.8, warn: 0.7, alert: 0.6 }, { width: 200, height: 100 }, margin, 'UTC');
    expect(t.target).toBeCloseTo(20);
    expect(t.alert).toBeCloseTo(40);
    expect(t.last?.y).toBeCloseTo(t.target!);
  });

  it('starts the axis a slot before the first contact, not at midnight', () => {
    const series = Array.from({ length: 40 }, (_, i) => ({
      start: day + i * SLOT_MS,
      offered: i >= 32 ? 2 : 0,
      serviceLevel: i >= 32 ? 1 : null,
    }));
    const t = slTrend(series, undefined, { width: 900, height: 100 }, margin, 'UTC');
    // Slots 31..39 (07:45 to 10:00) fill the width.
    expect(t.last!.x).toBeCloseTo(900 - 900 / 9 / 2);
    expect(t.xTicks[0]!.label >= '07:45').toBe(true);
  });

  it('labels hours in the center’s zone', () => {
    const series = Array.from({ length: 16 }, (_, i) => ({ start: day + i * SLOT_MS, offered: 1, serviceLevel: 1 }));
    const t = slTrend(series, undefined, { width: 600, height: 100 }, margin, 'Asia/Shanghai');
    expect(t.xTicks[0]!.label).toBe('08:00');
  });
});
