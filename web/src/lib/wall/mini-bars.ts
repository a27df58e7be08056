/** A row of small bars (handoffs per minute over the last hour): d3 scales, rectangles for Svelte. */
import { scaleBand, scaleLinear } from 'd3';

export type MiniBar = { key: number; x: number; y: number; width: number; height: number };

export function miniBars(
  values: readonly { key: number; value: number }[],
  size: { width: number; height: number },
): MiniBar[] {
  if (values.length === 0 || size.width <= 0 || size.height <= 0) return [];
  const x = scaleBand<number>()
    .domain(values.map((v) => v.key))
    .range([0, size.width])
    .paddingInner(0.25);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...values.map((v) => v.value))])
    .range([size.height, 0]);
  return values.map((v) => ({
    key: v.key,
    x: x(v.key) ?? 0,
    y: y(v.value),
    width: x.bandwidth(),
    height: size.height - y(v.value),
  }));
}

/** Average per minute over the last `minutes` points (the current, partial minute included). */
export function perMinute(values: readonly number[], minutes: number): number {
  const recent = values.slice(-minutes);
  return recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : 0;
}
