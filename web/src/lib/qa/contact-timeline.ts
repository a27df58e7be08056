/**
 * The contact page's timeline: one row per kind of phase (bot, waiting, with agent, hold, wrap-up), a bar
 * per phase on a shared time scale; open phases run to the end of what is known.
 */
import { scaleBand, scaleTime } from 'd3';
import type { QaPhase } from '$contract/qa.ts';

export const PHASE_KINDS = ['bot', 'queue', 'agent', 'hold', 'wrapup'] as const;
export type TimelineBar = {
  key: string;
  kind: QaPhase['kind'];
  x: number;
  y: number;
  width: number;
  height: number;
  label: string | null;
  open: boolean;
};
export type Timeline = {
  bars: TimelineBar[];
  rows: { kind: QaPhase['kind']; y: number; height: number }[];
  ticks: { at: number; x: number }[];
  /** Whether tick labels need seconds (a short contact). */
  seconds: boolean;
  handoffX: number | null;
};

export const TIMELINE_MARGIN = { top: 4, right: 16, bottom: 22, left: 110 };

export function timeline(
  phases: readonly QaPhase[],
  handoffAt: number | null,
  end: number,
  width: number,
  height: number,
): Timeline {
  const m = TIMELINE_MARGIN;
  const kinds = PHASE_KINDS.filter((k) => phases.some((p) => p.kind === k));
  const first = Math.min(...phases.map((p) => p.from), handoffAt ?? Infinity, end);
  const last = Math.max(end, ...phases.map((p) => p.to ?? p.from));
  const x = scaleTime()
    .domain([first, last > first ? last : first + 60_000])
    .range([m.left, Math.max(m.left + 1, width - m.right)]);
  const y = scaleBand<string>()
    .domain(kinds)
    .range([m.top, Math.max(m.top + 1, height - m.bottom)])
    .padding(0.25);
  return {
    rows: kinds.map((kind) => ({ kind, y: y(kind)!, height: y.bandwidth() })),
    bars: phases.map((p, i) => {
      const from = x(p.from);
      const to = x(p.to ?? last);
      // A zero-length phase (a wrap-up with no known start) still shows as a sliver.
      return {
        key: `${i}`,
        kind: p.kind,
        x: from,
        y: y(p.kind)!,
        width: Math.max(3, to - from),
        height: y.bandwidth(),
        label: p.label,
        open: p.to === null,
      };
    }),
    ticks: x.ticks(Math.max(2, Math.floor(width / 140))).map((d) => ({ at: d.getTime(), x: x(d) })),
    handoffX: handoffAt === null ? null : x(handoffAt),
    seconds: x.domain()[1]!.getTime() - x.domain()[0]!.getTime() < 15 * 60_000,
  };
}
