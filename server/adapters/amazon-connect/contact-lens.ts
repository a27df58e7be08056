/**
 * Contact Lens → transcript segments. Neither the post-call output nor the real-time segments carry
 * a clock time, only offsets from the start of the conversation, so a segment's time is the contact's
 * agent-connect time (or start) plus its offset, taken from a contact record, contact event or agent
 * event for the same contact in the same batch. Post-call output without one is reported; real-time
 * segments without one are placed at their arrival, which is when they are spoken, give or take the
 * stream's delay.
 */
import type { Speaker } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { idOf } from '../vendor-fields.ts';
import { acId } from './common.ts';
import type { LensTurn } from './types.ts';

/** Participant roles: AGENT and CUSTOMER; SYSTEM and AUTOMATED turns (chat bots, flow prompts) are the bot's. */
export function speakerOf(role: string): Speaker | undefined {
  switch (role.toUpperCase()) {
    case 'CUSTOMER':
      return 'customer';
    case 'AGENT':
      return 'agent';
    case 'SYSTEM':
    case 'AUTOMATED':
    case 'BOT':
      return 'bot';
    default:
      return undefined;
  }
}

/** Contact Lens labels a turn's sentiment; Tandem takes a score from −1 to 1. */
const SENTIMENT: Record<string, number> = { POSITIVE: 0.5, NEGATIVE: -0.5, NEUTRAL: 0, MIXED: 0 };

export function mapTurns(
  out: Collector,
  record: number,
  contactId: string,
  turns: readonly LensTurn[],
  base: number,
  roles: ReadonlyMap<string, string>,
): void {
  turns.forEach((t, i) => {
    const speaker = speakerOf(t.ParticipantRole ?? roles.get(t.ParticipantId) ?? t.ParticipantId);
    if (!speaker) {
      out.issue(
        record,
        'unknown',
        `Transcript[${i}]: participant ${JSON.stringify(t.ParticipantId)} is no role Tandem knows`,
      );
      return;
    }
    const sentiment = t.Sentiment ? SENTIMENT[t.Sentiment.toUpperCase()] : undefined;
    // Turn ids are not unique in Amazon's own samples ("the ID of the turn"), so the offset and speaker join them.
    out.emit(record, {
      id: acId(contactId, 'seg', idOf(t.Id) ?? '', t.ParticipantId, t.BeginOffsetMillis),
      type: 'transcript.segment',
      at: base + t.BeginOffsetMillis,
      contactId,
      speaker,
      text: t.Content,
      offsetMs: t.BeginOffsetMillis,
      ...(sentiment !== undefined ? { sentiment } : {}),
    });
  });
}
