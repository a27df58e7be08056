/**
 * Geometry of today's service-level line: one point per 15-minute slot (empty slots break the line
 * instead of drawing through zero), the target and alert levels as reference lines, hours on the axis.
 * d3 computes; the component only renders.
 */
import { line, scaleLinear, scaleTime } from 'd3';
import type { Target } from '$contract/kpi-settings.ts';
import type { Margin, Size } from './handler-chart.ts';

export type SlPoint = { start: number; offered: number; serviceLevel: number | null };
export const SLOT_MS = 15 * 60_000;

export type SlTrend = {
  d: string;
  /** The last slot with a figure: marked and labelled, it is the one people read. */
  last: { x: number; y: number; value: number } | null;
  target: number | null;
  alert: number | null;
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  plot: { x: number; y: number; width: number; height: number };
};

export function slTrend(
  all: readonly SlPoint[],
  levels: Target | undefined,
  size: Size,
  margin: Margin,
  timeZone: string,
  locale = 'en-GB',
): SlTrend {
  const width = Math.max(0, size.width - margin.left - margin.right);
  const height = Math.max(0, size.height - margin.top - margin.bottom);
  const plot = { x: margin.left, y: margin.top, width, height };
  const empty = { d: '', last: null, target: null, alert: null, xTicks: [], yTicks: [], plot };
  let series = all;
  // The day starts at midnight but the floor does not: the axis begins a slot before the first contact.
  const first = series.findIndex((p) => p.offered > 0 || p.serviceLevel !== null);
  if (first > 0) series = series.slice(first - 1);
  if (series.length === 0 || width === 0 || height === 0) return empty;

  const mid = (p: SlPoint) => p.start + SLOT_MS / 2;
  const x = scaleTime()
    .domain([series[0]!.start, series[series.length - 1]!.start + SLOT_MS])
    .range([margin.left, margin.left + width]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([margin.top + height, margin.top]);
  const path = line<SlPoint>()
    .defined((p) => p.serviceLevel !== null)
    .x((p) => x(mid(p)))
    .y((p) => y(p.serviceLevel ?? 0));
  const lastPoint = series.findLast((p) => p.serviceLevel !== null);
  const hours = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
  return {
    d: path(series as SlPoint[]) ?? '',
    last: lastPoint ? { x: x(mid(lastPoint)), y: y(lastPoint.serviceLevel!), value: lastPoint.serviceLevel! } : null,
    target: levels ? y(levels.target) : null,
    alert: levels ? y(levels.alert) : null,
    xTicks: x.ticks(Math.max(2, Math.floor(width / 140))).map((t) => ({ x: x(t), label: hours.format(t) })),
    yTicks: [0, 0.5, 1].map((v) => ({ y: y(v), label: `${v * 100}%` })),
    plot,
  };
}
