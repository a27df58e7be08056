import { describe, expect, it } from 'vitest';
import { binSeries, handlerChart } from './handler-chart.ts';

const margin = { top: 10, right: 10, bottom: 30, left: 40 };

describe('handlerChart', () => {
  it('stacks AI, hybrid and human layers into area paths', () => {
    const t0 = Date.UTC(2026, 10, 24, 9, 0);
    const series = Array.from({ length: 60 }, (_, i) => ({
      minute: t0 + i * 60_000,
      ai: 2,
      hybrid: 1,
      human: i % 3,
      handoffs: 0,
    }));
    const chart = handlerChart(series, { width: 600, height: 300 }, margin, 'UTC');
    expect(chart.layers.map((l) => l.key)).toEqual(['ai', 'hybrid', 'human']);
    for (const l of chart.layers) expect(l.d).toMatch(/^M[\d.]+,[\d.]+/);
    expect(chart.xTicks.length).toBeGreaterThan(2);
    expect(chart.xTicks[0]!.label).toMatch(/^\d\d:\d\d$/);
    // the top of the y axis covers the highest stack (2 + 1 + 2 = 5)
    expect(Math.max(...chart.yTicks.map((t) => Number(t.label)))).toBeGreaterThanOrEqual(5);
  });

  it('draws nothing without data or room', () => {
    expect(handlerChart([], { width: 600, height: 300 }, margin, 'UTC').layers).toEqual([]);
    expect(
      handlerChart([{ minute: 0, ai: 1, hybrid: 0, human: 0, handoffs: 0 }], { width: 0, height: 0 }, margin, 'UTC')
        .layers,
    ).toEqual([]);
  });
});

describe('binSeries', () => {
  it('averages minutes into clock-aligned bins, per minute', () => {
    const t0 = Date.UTC(2026, 10, 24, 9, 3);
    const series = Array.from({ length: 7 }, (_, i) => ({
      minute: t0 + i * 60_000,
      ai: 1,
      hybrid: 0,
      human: 1,
      handoffs: 0,
    }));
    const bins = binSeries(series, 5);
    expect(bins.map((b) => new Date(b.minute).toISOString().slice(11, 16))).toEqual(['09:00', '09:05']);
    // 09:03-09:04 fall in the first bin, 09:05-09:09 in the second: each averages 1 per minute.
    expect(bins.map((b) => b.ai)).toEqual([1, 1]);
    const spiky = binSeries(
      [
        { minute: t0 + 2 * 60_000, ai: 10, hybrid: 0, human: 0, handoffs: 4 },
        { minute: t0 + 3 * 60_000, ai: 0, hybrid: 0, human: 0, handoffs: 0 },
      ],
      5,
    );
    expect(spiky[0]!.ai).toBe(5);
    expect(spiky[0]!.handoffs).toBe(2);
  });
});
