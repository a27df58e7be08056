/**
 * Geometry of the executive summary's charts, computed with d3 and drawn by Svelte: sparklines under
 * the KPI cards, handler volume stacked per interval, rates as lines over the intervals, and horizontal
 * bars. All in fixed design units (viewBox); the page scales them with its type.
 */
import { line, scaleBand, scaleLinear, stack } from 'd3';
import type { HandlerKey } from '$contract/executive.ts';

export const HANDLERS: readonly HandlerKey[] = ['ai', 'hybrid', 'human'];
export const CHART = { width: 640, height: 220, left: 44, right: 12, top: 10, bottom: 26 } as const;

/** A line through the values in order; a gap where a value is unknown. */
export function sparkline(values: readonly (number | null)[], width = 120, height = 28): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const x = scaleLinear()
    .domain([0, Math.max(1, values.length - 1)])
    .range([1, width - 1]);
  // A flat series sits in the middle rather than on an edge.
  const y = scaleLinear()
    .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
    .range([height - 2, 2]);
  return (
    line<number | null>()
      .defined((v) => v !== null)
      .x((_, i) => x(i))
      .y((v) => y(v!))(values) ?? ''
  );
}

export type Label = { x: number; text: string };
export type YTick = { y: number; value: number };
export type StackRect = { handler: HandlerKey; x: number; y: number; width: number; height: number; value: number };

/** Contacts per interval stacked by handler (AI at the bottom: it is what the bot takes first). */
export function handlerStack(rows: readonly { label: string; ai: number; hybrid: number; human: number }[]): {
  rects: StackRect[][];
  ticks: YTick[];
  labels: Label[];
  band: number;
} {
  const x = scaleBand<number>()
    .domain(rows.map((_, i) => i))
    .range([CHART.left, CHART.width - CHART.right])
    .paddingInner(0.2);
  const max = Math.max(1, ...rows.map((r) => r.ai + r.hybrid + r.human));
  const y = scaleLinear()
    .domain([0, max])
    .nice(4)
    .range([CHART.height - CHART.bottom, CHART.top]);
  const series = stack<(typeof rows)[number], HandlerKey>().keys(HANDLERS)(rows as (typeof rows)[number][]);
  const rects = rows.map((_, i) =>
    series.map((s) => {
      const [lo, hi] = s[i]!;
      return {
        handler: s.key,
        x: x(i) ?? 0,
        y: y(hi),
        width: x.bandwidth(),
        height: Math.max(0, y(lo) - y(hi)),
        value: hi - lo,
      };
    }),
  );
  return {
    rects,
    ticks: y.ticks(4).map((value) => ({ value, y: y(value) })),
    labels: labels(rows, x),
    band: x.bandwidth(),
  };
}

/** At most eight labels along the bottom, evenly picked. */
function labels(rows: readonly { label: string }[], x: (i: number) => number | undefined): Label[] {
  const every = Math.max(1, Math.ceil(rows.length / 8));
  const half = (x(1) ?? 0) - (x(0) ?? 0);
  return rows.flatMap((r, i) => (i % every === 0 ? [{ x: (x(i) ?? 0) + Math.max(0, half / 2.5), text: r.label }] : []));
}

/** Rates (0–1) as lines over the intervals, on one 0–100% axis. */
export function rateLines(
  labelsOf: readonly string[],
  series: readonly (readonly (number | null)[])[],
): { paths: string[]; ticks: YTick[]; labels: Label[] } {
  const x = scaleLinear()
    .domain([0, Math.max(1, labelsOf.length - 1)])
    .range([CHART.left + 6, CHART.width - CHART.right - 6]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([CHART.height - CHART.bottom, CHART.top]);
  const path = line<number | null>()
    .defined((v) => v !== null)
    .x((_, i) => x(i))
    .y((v) => y(v!));
  const every = Math.max(1, Math.ceil(labelsOf.length / 8));
  return {
    paths: series.map((s) => path(s as (number | null)[]) ?? ''),
    ticks: y.ticks(4).map((value) => ({ value, y: y(value) })),
    labels: labelsOf.flatMap((text, i) => (i % every === 0 ? [{ x: x(i), text }] : [])),
  };
}

/** Horizontal bars as shares of the longest (0–1), for rows drawn in HTML beside their labels. */
export function barShares(values: readonly number[]): number[] {
  const max = Math.max(0, ...values);
  return values.map((v) => (max > 0 ? Math.max(0, v) / max : 0));
}
