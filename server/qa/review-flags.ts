/**
 * Review flags: rules that pick the contacts worth a reviewer's time (thresholds in FLAG_RULES,
 * explained in docs/qa.md). Each rule reads only the contact's own story, so a flag never depends on
 * what else happened that day, and the same events always raise the same flags.
 */
import { FLAG_RULES, type QaSegment, type ReviewFlag } from '../contract/qa.ts';
import type { ContactEvent, ContactSummary } from './contact-story.ts';
import { tokenize } from './tokenize.ts';

type Story = {
  summary: Omit<ContactSummary, 'flags'>;
  segments: readonly QaSegment[];
  events: readonly ContactEvent[];
};

export function reviewFlags({ summary, segments, events }: Story): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  if (summary.sentimentEnd !== null && summary.sentimentEnd < FLAG_RULES.negativeEndBelow) flags.push('negative_end');
  if (summary.holdMs >= FLAG_RULES.longHoldMs) flags.push('long_hold');
  if (botLoops(segments)) flags.push('bot_loop');
  if (lateEscalation(segments, events)) flags.push('late_escalation');
  if (summary.csat !== null && summary.csat <= FLAG_RULES.lowCsatAtMost) flags.push('low_csat');
  if (abandonedAfterHandoff(events)) flags.push('abandoned_after_handoff');
  return flags;
}

/**
 * A turn's words, order ignored, as search sees them (folded; Chinese a character at a time): "Sorry, I
 * didn't get that." and "sorry I didn't get that" are one.
 */
const wordsOf = (text: string): Set<string> => new Set(tokenize(text).map((t) => t.term));

function similar(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  let both = 0;
  for (const w of a) if (b.has(w)) both++;
  return both / (a.size + b.size - both) >= 0.8;
}

/** The bot said (nearly) the same thing FLAG_RULES.botLoopRepeats times: stuck on one intent. */
function botLoops(segments: readonly QaSegment[]): boolean {
  const turns = segments.filter((s) => s.speaker === 'bot').map((s) => wordsOf(s.text));
  return turns.some((t) => turns.filter((u) => similar(t, u)).length >= FLAG_RULES.botLoopRepeats);
}

/** Escalated after the bot had taken FLAG_RULES.lateEscalationBotTurns turns or more. */
function lateEscalation(segments: readonly QaSegment[], events: readonly ContactEvent[]): boolean {
  const handoff = events.find((e) => e.event.type === 'bot.ended' && e.event.outcome === 'escalated');
  if (!handoff) return false;
  const before = segments.filter((s) => s.speaker === 'bot' && s.at <= handoff.atMs).length;
  return before >= FLAG_RULES.lateEscalationBotTurns;
}

/** The bot escalated, then the customer left a queue unanswered (abandoned) with no agent ever answering. */
function abandonedAfterHandoff(events: readonly ContactEvent[]): boolean {
  const handoff = events.findIndex((e) => e.event.type === 'bot.ended' && e.event.outcome === 'escalated');
  if (handoff < 0) return false;
  const after = events.slice(handoff + 1).map((e) => e.event);
  return (
    after.some((e) => e.type === 'queue.left' && e.outcome === 'abandoned') &&
    !after.some((e) => e.type === 'queue.left' && e.outcome === 'answered')
  );
}
