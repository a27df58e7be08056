/**
 * Geometry of the "who handled it" chart: contacts per minute started by AI only, hybrid (bot then
 * person) and human only, stacked over the last hour. d3 computes; the component only renders.
 */
import { area, curveMonotoneX, scaleLinear, scaleTime, stack, type SeriesPoint } from 'd3';
import type { HandlerPoint } from '$contract/live.ts';

export const HANDLERS = ['ai', 'hybrid', 'human'] as const;
export type HandlerKey = (typeof HANDLERS)[number];

export type Size = { width: number; height: number };
export type Margin = { top: number; right: number; bottom: number; left: number };

export type HandlerChart = {
  layers: { key: HandlerKey; d: string }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  plot: { x: number; y: number; width: number; height: number };
};

/**
 * Averages per-minute points into clock-aligned bins of `minutes`, as contacts per minute. Dividing
 * by the minutes each bin really holds keeps the first and the current (partial) bin honest.
 */
export function binSeries(series: readonly HandlerPoint[], minutes: number): HandlerPoint[] {
  const size = minutes * 60_000;
  const bins = new Map<number, HandlerPoint & { n: number }>();
  for (const p of series) {
    const minute = Math.floor(p.minute / size) * size;
    const bin = bins.get(minute) ?? { minute, ai: 0, hybrid: 0, human: 0, handoffs: 0, n: 0 };
    bin.ai += p.ai;
    bin.hybrid += p.hybrid;
    bin.human += p.human;
    bin.handoffs += p.handoffs;
    bin.n++;
    bins.set(minute, bin);
  }
  return [...bins.values()]
    .sort((a, b) => a.minute - b.minute)
    .map(({ minute, ai, hybrid, human, handoffs, n }) => ({
      minute,
      ai: ai / n,
      hybrid: hybrid / n,
      human: human / n,
      handoffs: handoffs / n,
    }));
}

export function handlerChart(
  series: readonly HandlerPoint[],
  size: Size,
  margin: Margin,
  timeZone: string,
): HandlerChart {
  const width = Math.max(0, size.width - margin.left - margin.right);
  const height = Math.max(0, size.height - margin.top - margin.bottom);
  const plot = { x: margin.left, y: margin.top, width, height };
  if (series.length === 0 || width === 0 || height === 0) return { layers: [], xTicks: [], yTicks: [], plot };

  const stacked = stack<HandlerPoint, HandlerKey>().keys(HANDLERS)(series as HandlerPoint[]);
  const maxY = Math.max(1, ...series.map((p) => p.ai + p.hybrid + p.human));
  const x = scaleTime()
    .domain([series[0]!.minute, series[series.length - 1]!.minute])
    .range([margin.left, margin.left + width]);
  const y = scaleLinear()
    .domain([0, maxY])
    .nice(4)
    .range([margin.top + height, margin.top]);
  const shape = area<SeriesPoint<HandlerPoint>>()
    .x((d) => x(d.data.minute))
    .y0((d) => y(d[0]))
    .y1((d) => y(d[1]))
    .curve(curveMonotoneX);

  const fmt = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone });
  return {
    layers: stacked.map((layer) => ({ key: layer.key, d: shape(layer) ?? '' })),
    xTicks: x.ticks(6).map((t) => ({ x: x(t), label: fmt.format(t) })),
    yTicks: y.ticks(4).map((v) => ({ y: y(v), label: y.tickFormat(4)(v) })),
    plot,
  };
}
