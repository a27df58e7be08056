/** Geometry of the escalation-reasons bars: sorted, with widths from a d3 linear scale. */
import { scaleLinear } from 'd3';

/** `folded`: how many smaller reasons one bar stands for (0 for a reason's own bar). */
export type ReasonBar = { reason: string; folded: number; count: number; share: number; widthPct: number };

/** The `limit - 1` largest reasons, and the rest folded into one bar, so the list fits its panel. */
export function reasonBars(reasons: Record<string, number>, limit = Infinity): ReasonBar[] {
  let entries = Object.entries(reasons)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  let folded = 0;
  if (entries.length > limit) {
    const rest = entries.slice(limit - 1);
    folded = rest.length;
    entries = [...entries.slice(0, limit - 1), ['', rest.reduce((s, [, n]) => s + n, 0)]];
  }
  const total = entries.reduce((s, [, n]) => s + n, 0);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const width = scaleLinear().domain([0, max]).range([0, 100]);
  return entries.map(([reason, count], i) => ({
    reason,
    folded: folded > 0 && i === entries.length - 1 ? folded : 0,
    count,
    share: total > 0 ? count / total : 0,
    widthPct: width(count),
  }));
}
