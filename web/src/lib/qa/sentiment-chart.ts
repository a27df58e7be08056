/**
 * The contact page's sentiment line: d3 scales and path strings for each speaker's segments over the
 * conversation's time, computed here so the component only renders them.
 */
import { line, scaleLinear, scaleTime } from 'd3';
import type { QaSegment } from '$contract/qa.ts';

export type SentimentChart = {
  lines: { speaker: QaSegment['speaker']; d: string }[];
  points: { id: string; speaker: QaSegment['speaker']; x: number; y: number; lexicon: boolean; score: number }[];
  yTicks: { value: number; y: number }[];
  xTicks: { at: number; x: number }[];
  /** Whether tick labels need seconds (a short conversation). */
  seconds: boolean;
  handoffX: number | null;
  zeroY: number;
};

export const SENTIMENT_MARGIN = { top: 10, right: 16, bottom: 24, left: 40 };

export function sentimentChart(
  segments: readonly QaSegment[],
  handoffAt: number | null,
  width: number,
  height: number,
): SentimentChart {
  const m = SENTIMENT_MARGIN;
  const times = segments.map((s) => s.at);
  const first = Math.min(...times, handoffAt ?? Infinity);
  const last = Math.max(...times, handoffAt ?? -Infinity);
  // One segment (or all at one time) still needs a span to spread over.
  const x = scaleTime()
    .domain([first, last > first ? last : first + 60_000])
    .range([m.left, Math.max(m.left + 1, width - m.right)]);
  const y = scaleLinear()
    .domain([-1, 1])
    .range([Math.max(m.top + 1, height - m.bottom), m.top]);
  const draw = line<QaSegment>()
    .x((s) => x(s.at))
    .y((s) => y(s.sentiment));
  const speakers = ['customer', 'agent', 'bot'] as const;
  return {
    lines: speakers
      .map((speaker) => ({ speaker, d: draw(segments.filter((s) => s.speaker === speaker)) ?? '' }))
      .filter((l) => l.d !== ''),
    points: segments.map((s) => ({
      id: s.eventId,
      speaker: s.speaker,
      x: x(s.at),
      y: y(s.sentiment),
      lexicon: s.sentimentSource === 'lexicon',
      score: s.sentiment,
    })),
    yTicks: [-1, -0.5, 0, 0.5, 1].map((value) => ({ value, y: y(value) })),
    xTicks: x.ticks(Math.max(2, Math.floor(width / 140))).map((d) => ({ at: d.getTime(), x: x(d) })),
    handoffX: handoffAt === null ? null : x(handoffAt),
    seconds: x.domain()[1]!.getTime() - x.domain()[0]!.getTime() < 15 * 60_000,
    zeroY: y(0),
  };
}
