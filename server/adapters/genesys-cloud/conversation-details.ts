/**
 * Analytics conversation detail records → the full event sequence of a past conversation, for
 * backfill. Segments are read as Genesys records them, quirks included: an agent's wrap-up segment
 * may start before the interact segment ends (they overlap), and a failed alert (an error code, no
 * interact) may come before the alert that is answered, on another participant of the same user; only
 * an interact segment makes an answer.
 */
import type { TandemEvent } from '../../contract/events.ts';
import type { Collector } from '../adapter.ts';
import { idOf, timeMs } from '../vendor-fields.ts';
import { BOT_PURPOSES, channelOf, CUSTOMER_PURPOSES, endedByOf, gcId } from './common.ts';
import type { ConversationDetail, DetailParticipant, Segment } from './types.ts';

const segmentsOf = (p: DetailParticipant): Segment[] => (p.sessions ?? []).flatMap((s) => s.segments ?? []);
const startMs = (s: Segment) => timeMs(s.segmentStart) ?? NaN;
const endMs = (s: Segment) => timeMs(s.segmentEnd) ?? NaN;

export function mapConversationDetail(out: Collector, record: number, c: ConversationDetail): void {
  const contactId = idOf(c.conversationId);
  const started = timeMs(c.conversationStart);
  if (!contactId || started === undefined) {
    out.issue(
      record,
      'malformed',
      !contactId ? 'conversationId is longer than 256 characters' : 'conversationStart is not a valid time',
    );
    return;
  }
  const emit = (e: TandemEvent) => out.emit(record, e);
  const ps = c.participants;
  const customers = ps.filter((p) => CUSTOMER_PURPOSES.includes(p.purpose.toLowerCase()));
  // An internal call has no customer participant: its calling user stands in.
  const customerSide = customers.length ? customers : ps.filter((p) => p.purpose.toLowerCase() === 'user');
  const media = (customerSide[0] ?? ps[0])?.sessions?.find((s) => s.mediaType)?.mediaType;
  const channel = channelOf(media);
  if (!channel) {
    out.issue(record, 'unknown', `media type ${JSON.stringify(media ?? null)} is not one Tandem knows`);
    return;
  }
  emit({ id: gcId(contactId, 'started'), type: 'contact.started', at: started, contactId, channel });

  const agents = ps.filter((p) => p.purpose.toLowerCase() === 'agent' && idOf(p.userId));
  const interacts = agents.flatMap((a) =>
    segmentsOf(a)
      .filter((s) => s.segmentType === 'interact' && Number.isFinite(startMs(s)))
      .map((s) => ({ agent: a, segment: s })),
  );
  const acd = ps.filter((p) => p.purpose.toLowerCase() === 'acd');

  for (const p of ps) {
    const segments = segmentsOf(p).filter((s) => Number.isFinite(startMs(s)));
    if (segments.length === 0) continue;
    const begin = Math.min(...segments.map(startMs));
    const ends = segments.map(endMs);
    const end = ends.every(Number.isFinite) ? Math.max(...ends) : NaN;
    const last = segments.reduce((a, b) => (startMs(b) >= startMs(a) ? b : a));
    const purpose = p.purpose.toLowerCase();

    if (BOT_PURPOSES.includes(purpose)) {
      const botId = idOf(p.participantName ?? undefined);
      emit({
        id: gcId(contactId, 'bot.started', p.participantId),
        type: 'bot.started',
        at: begin,
        contactId,
        ...(botId ? { botId } : {}),
      });
      if (Number.isFinite(end)) {
        const queuedAfter = acd.some((q) => segmentsOf(q).some((s) => startMs(s) >= begin));
        const outcome = queuedAfter ? 'escalated' : last.disconnectType === 'peer' ? 'abandoned' : 'contained';
        emit({ id: gcId(contactId, 'bot.ended', p.participantId), type: 'bot.ended', at: end, contactId, outcome });
      }
    }

    const queue = idOf(segments.find((s) => s.queueId)?.queueId ?? undefined);
    if (purpose === 'acd' && queue) {
      emit({
        id: gcId(contactId, 'queue.entered', p.participantId),
        type: 'queue.entered',
        at: begin,
        contactId,
        queue,
      });
      const answer = interacts
        .filter((x) => x.segment.queueId === queue && startMs(x.segment) >= begin)
        .sort((x, y) => startMs(x.segment) - startMs(y.segment))[0];
      const left = {
        id: gcId(contactId, 'queue.left', p.participantId),
        type: 'queue.left',
        contactId,
        queue,
      } as const;
      if (answer) {
        emit({ ...left, at: startMs(answer.segment), outcome: 'answered', agentId: answer.agent.userId! });
      } else if (Number.isFinite(end)) {
        emit({ ...left, at: end, outcome: last.disconnectType === 'transfer' ? 'transferred' : 'abandoned' });
      }
    }

    if (purpose === 'agent' && idOf(p.userId) && segments.some((s) => s.segmentType === 'interact')) {
      const agentId = p.userId!;
      for (const s of segments.filter((x) => x.segmentType === 'hold')) {
        emit({
          id: gcId(contactId, 'held', p.participantId, startMs(s)),
          type: 'contact.held',
          at: startMs(s),
          contactId,
          agentId,
        });
        if (Number.isFinite(endMs(s))) {
          emit({
            id: gcId(contactId, 'resumed', p.participantId, endMs(s)),
            type: 'contact.resumed',
            at: endMs(s),
            contactId,
            agentId,
          });
        }
      }
      const wrapup = segments.filter((s) => s.segmentType === 'wrapup').pop();
      const talkEnd = Math.max(...segments.filter((s) => s.segmentType === 'interact').map(endMs));
      const wrappedAt = wrapup ? endMs(wrapup) : talkEnd;
      if (Number.isFinite(wrappedAt)) {
        const disposition = idOf(wrapup?.wrapUpCode ?? undefined);
        emit({
          id: gcId(contactId, 'wrapup', p.participantId),
          type: 'wrapup.completed',
          at: wrappedAt,
          contactId,
          agentId,
          ...(disposition ? { disposition } : {}),
        });
      }
    }
  }

  // Ended: the record says so, or every customer-side segment has closed.
  const customerSegments = customerSide.flatMap(segmentsOf);
  const closed = customerSegments.length > 0 && customerSegments.every((s) => Number.isFinite(endMs(s)));
  const ended = timeMs(c.conversationEnd) ?? (closed ? Math.max(...customerSegments.map(endMs)) : undefined);
  if (ended !== undefined) {
    const lastSegment = customerSegments.reduce<Segment | undefined>(
      (a, b) => (!a || endMs(b) >= endMs(a) ? b : a),
      undefined,
    );
    const endedBy = endedByOf(lastSegment?.disconnectType, interacts.length > 0);
    emit({
      id: gcId(contactId, 'ended'),
      type: 'contact.ended',
      at: ended,
      contactId,
      ...(endedBy ? { endedBy } : {}),
    });
  }
}
