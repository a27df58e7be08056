/**
 * Geometry of the score charts on the QA scores page, computed with d3 and drawn by Svelte: horizontal
 * bars per agent, bot or queue, and a line over the days. Scores run 0-100 on a fixed axis, so a chart
 * never makes 70 look like a failure just because everything else is 72.
 */
import { line, scaleBand, scaleLinear, scalePoint } from 'd3';
import type { RollupRow } from '$contract/scorecards.ts';

export type Metric = 'overall' | 'bot' | 'agent' | 'handoff';
export type Bar = { key: string | null; value: number | null; count: number; y: number; height: number; width: number };
export type Tick = { value: number; x: number };

/** `padding`: room right of the longest bar for its value and the last tick. */
export const CHART = { width: 640, label: 150, row: 26, padding: 44, lineHeight: 220, margin: 30 } as const;

export function scoreBars(rows: readonly RollupRow[], metric: Metric): { bars: Bar[]; ticks: Tick[]; height: number } {
  const height = rows.length * CHART.row;
  const y = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([0, height])
    .paddingInner(0.2);
  const x = scaleLinear()
    .domain([0, 100])
    .range([0, CHART.width - CHART.label - CHART.padding]);
  return {
    bars: rows.map((r, i) => ({
      key: r.key,
      value: r[metric],
      count: r.count,
      y: y(i) ?? 0,
      height: y.bandwidth(),
      width: r[metric] === null ? 0 : x(r[metric]),
    })),
    ticks: x.ticks(5).map((value) => ({ value, x: CHART.label + x(value) })),
    height,
  };
}

export type LinePoint = { key: string; value: number; x: number; y: number };

/** A line over the days in order; a day without the metric breaks it rather than being drawn as 0. */
export function scoreLine(
  rows: readonly RollupRow[],
  metric: Metric,
): { path: string; points: LinePoint[]; ticks: { value: number; y: number }[]; labels: { key: string; x: number }[] } {
  const days = rows.filter((r): r is RollupRow & { key: string } => r.key !== null);
  const x = scalePoint<string>()
    .domain(days.map((r) => r.key))
    .range([CHART.margin, CHART.width - CHART.margin])
    .padding(0.5);
  const y = scaleLinear()
    .domain([0, 100])
    .range([CHART.lineHeight - CHART.margin, CHART.margin / 2]);
  const path =
    line<RollupRow & { key: string }>()
      .defined((r) => r[metric] !== null)
      .x((r) => x(r.key) ?? 0)
      .y((r) => y(r[metric] ?? 0))(days) ?? '';
  const every = Math.max(1, Math.ceil(days.length / 8));
  return {
    path,
    points: days
      .filter((r) => r[metric] !== null)
      .map((r) => ({ key: r.key, value: r[metric]!, x: x(r.key) ?? 0, y: y(r[metric]!) })),
    ticks: y.ticks(5).map((value) => ({ value, y: y(value) })),
    labels: days.filter((_, i) => i % every === 0).map((r) => ({ key: r.key, x: x(r.key) ?? 0 })),
  };
}
