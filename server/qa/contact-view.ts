/**
 * One contact as the QA contact page shows it: the conversation (with each segment's sentiment and where
 * it came from), its phases, the handoff, survey, conversions, redaction counts and the event timeline.
 */
import type { QaContact, QaContactView, RedactionCounts } from '../contract/qa.ts';
import type { TandemEvent } from '../contract/events.ts';
import { addCounts, handoffOf, inOrder, phasesOf, segmentsOf, type ContactEvent } from './contact-story.ts';

export function contactView(contact: QaContact, events: readonly ContactEvent[]): QaContactView {
  const ordered = inOrder(events);
  const segments = segmentsOf(ordered);
  let survey: QaContactView['survey'] = null;
  const conversions: QaContactView['conversions'] = [];
  let customerId: string | null = null;
  for (const { atMs, event: e } of ordered) {
    if (e.type === 'survey.completed') {
      survey = { at: atMs, csat: e.csat ?? null, nps: e.nps ?? null, resolved: e.resolved ?? null };
    } else if (e.type === 'contact.converted') {
      conversions.push({ at: atMs, amount: e.amount, currency: e.currency });
    } else if (e.type === 'contact.started' && customerId === null) {
      customerId = e.customerId ?? null;
    }
  }
  return {
    contact,
    customerId,
    segments,
    phases: phasesOf(ordered),
    handoff: handoffOf(ordered),
    survey,
    conversions,
    redactions: segments.reduce<RedactionCounts>((all, s) => addCounts(all, s.redactions), {}),
    // The transcript is shown in its lanes; the timeline lists everything else.
    events: ordered
      .filter((e) => e.event.type !== 'transcript.segment')
      .map(({ id, atMs, event }) => ({ id, type: event.type, at: atMs, summary: detailOf(event) })),
  };
}

/** The event's distinguishing fields, as ids and values (the page words them per language). */
function detailOf(e: TandemEvent): string {
  const parts: (string | number | undefined)[] = [];
  switch (e.type) {
    case 'contact.started':
      parts.push(e.channel, e.customerId);
      break;
    case 'bot.started':
      parts.push(e.botId);
      break;
    case 'bot.ended':
      parts.push(e.outcome, e.reason, e.intent);
      break;
    case 'queue.entered':
      parts.push(e.queue);
      break;
    case 'queue.left':
      parts.push(e.queue, e.outcome, e.agentId);
      break;
    case 'contact.held':
    case 'contact.resumed':
      parts.push(e.agentId);
      break;
    case 'contact.ended':
      parts.push(e.endedBy);
      break;
    case 'wrapup.completed':
      parts.push(
        e.agentId,
        e.disposition,
        e.resolved === undefined ? undefined : e.resolved ? 'resolved' : 'unresolved',
      );
      break;
    case 'contact.converted':
      parts.push(`${e.amount} ${e.currency}`);
      break;
    case 'survey.completed':
      parts.push(e.csat === undefined ? undefined : `CSAT ${e.csat}`, e.nps === undefined ? undefined : `NPS ${e.nps}`);
      break;
    default:
      break;
  }
  return parts.filter((p) => p !== undefined && p !== '').join(' · ');
}
