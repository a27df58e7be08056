import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEvent, type TandemEvent } from '../../contract/events.ts';
import type { AdapterOutput } from '../adapter.ts';
import { parseVendorRecords } from '../vendor-json.ts';
import { genesysCloud } from './index.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/vendors/genesys-cloud/${name}`, import.meta.url), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vendor samples are edited freely to make cases
type Sample = any;

function run(text: string): AdapterOutput & { list: TandemEvent[] } {
  const records = parseVendorRecords(text).flatMap((p, index) => (p.ok ? [{ index, value: p.value }] : []));
  const out = genesysCloud.map(records, Date.UTC(2026, 10, 24));
  for (const { event } of out.events) expect(checkEvent(event).ok, JSON.stringify(event)).toBe(true);
  return { ...out, list: out.events.map((e) => e.event) };
}
const of = <T extends TandemEvent['type']>(list: TandemEvent[], type: T) =>
  list.filter((e): e is Extract<TandemEvent, { type: T }> => e.type === type);
const ms = (s: string) => Date.parse(s);

describe('Genesys Cloud analytics conversation details', () => {
  it('maps the documented voice record: IVR, queue wait, the answered alert (not the failed one), overlapping wrap-up', () => {
    const { list, issues } = run(fixture('conversation-detail-voice-2016.json'));
    expect(issues).toEqual([]);
    expect(list.map((e) => e.type)).toEqual([
      'contact.started',
      'bot.started',
      'bot.ended',
      'queue.entered',
      'queue.left',
      'wrapup.completed',
      'contact.ended',
    ]);
    expect(of(list, 'bot.ended')).toMatchObject([{ outcome: 'escalated', at: ms('2016-09-06T07:06:19.492Z') }]);
    expect(of(list, 'queue.entered')).toMatchObject([
      { queue: '95c9d5f7-ad80-4572-857a-64d241cf4851', at: ms('2016-09-06T07:06:19.524Z') },
    ]);
    // The first participant of this user only alerted, with an error; the answer is the interact segment.
    expect(of(list, 'queue.left')).toMatchObject([
      { outcome: 'answered', agentId: '8c88c7f8-b6ba-4761-b2e5-4ae4425a3991', at: ms('2016-09-06T07:06:33.227Z') },
    ]);
    // The wrap-up segment starts before the interact ends; it is its end that completes the work.
    expect(of(list, 'wrapup.completed')).toMatchObject([
      { at: ms('2016-09-06T07:06:54.016Z'), disposition: '1ccb1c09-9495-4034-b377-b809f58d17da' },
    ]);
    // The calling side's last segment ended by its peer: the agent hung up.
    expect(of(list, 'contact.ended')).toMatchObject([{ at: ms('2016-09-06T07:06:49.303Z'), endedBy: 'agent' }]);
  });

  it('maps a whole query result: every conversation once, holds, chats and callbacks', () => {
    const { list, issues } = run(fixture('conversation-details-query-result-2016.json'));
    expect(issues).toEqual([]);
    expect(of(list, 'contact.started')).toHaveLength(25);
    expect(new Set(list.map((e) => e.id)).size).toBe(list.length);
    expect(new Set(of(list, 'contact.started').map((e) => e.channel))).toEqual(new Set(['voice', 'chat']));
    expect(of(list, 'contact.held')).toHaveLength(1);
    expect(of(list, 'contact.resumed')).toHaveLength(1);
    expect(of(list, 'queue.left').every((e) => e.outcome === 'answered')).toBe(true);
  });

  it('tells abandons and transfers from the queue segment when no agent answered', () => {
    const c = JSON.parse(fixture('conversation-detail-voice-2016.json')) as Sample;
    c.participants = c.participants.filter((p: Sample) => p.purpose !== 'agent');
    c.participants[2].sessions[0].segments[1].disconnectType = 'peer';
    const t = structuredClone(c);
    t.conversationId = 'other';
    t.participants[2].sessions[0].segments[1].disconnectType = 'transfer';
    const { list } = run(JSON.stringify([c, t]));
    expect(of(list, 'queue.left').map((e) => [e.outcome, e.at])).toEqual([
      ['abandoned', ms('2016-09-06T07:06:33.231Z')],
      ['transferred', ms('2016-09-06T07:06:33.231Z')],
    ]);
    expect(of(list, 'wrapup.completed')).toEqual([]);
  });
});

describe('Genesys Cloud notifications', () => {
  it('maps queue conversation snapshots once each fact, skipping the heartbeat and waiting for the alerting agent', () => {
    const { list, ignored, issues } = run(fixture('notifications-queue-conversation.jsonl'));
    expect(issues).toEqual([]);
    expect(ignored).toBe(1);
    const unique = [...new Map(list.map((e) => [e.id, e])).values()];
    expect(unique.map((e) => e.type)).toEqual([
      'contact.started',
      'bot.started',
      'bot.ended',
      'queue.entered',
      'queue.left',
      'agent.state',
      'contact.ended',
      'wrapup.completed',
    ]);
    const c = 'dc119522-79c5-4729-a131-05a4ca44a12f';
    expect(of(unique, 'queue.left')).toMatchObject([
      { contactId: c, outcome: 'answered', agentId: 'AGENT_USER_ID', at: ms('2022-07-04T20:04:45Z') },
    ]);
    // The snapshot where the queue ended and the agent was still alerting says nothing about the outcome.
    expect(of(list, 'queue.left').every((e) => e.outcome === 'answered')).toBe(true);
    expect(of(unique, 'agent.state')).toMatchObject([{ state: 'wrap_up', at: ms('2022-07-04T20:09:00Z') }]);
    expect(of(unique, 'wrapup.completed')).toMatchObject([
      { disposition: 'refund_issued', at: ms('2022-07-04T20:09:30Z') },
    ]);
    expect(of(unique, 'contact.ended')).toMatchObject([{ endedBy: 'customer' }]);
    expect(of(unique, 'bot.ended')).toMatchObject([{ outcome: 'escalated' }]);
  });

  it('maps routing status and presence to agent states', () => {
    const { list, ignored } = run(fixture('notifications-routing-status.jsonl') + fixture('user-activity.json'));
    expect(ignored).toBe(1); // On Queue presence alone: the routing status says idle or interacting
    expect(of(list, 'agent.state').map((e) => [e.agentId, e.state, e.reason])).toEqual([
      ['AGENT_USER_ID', 'available', undefined],
      ['AGENT_USER_ID', 'on_contact', undefined],
      ['AGENT_USER_ID', 'break', 'meal'],
      ['7d1c0a52-3b9e-4f61-9c2a-0e5b8f4d2a17', 'break', 'off_queue'],
    ]);
    expect(of(list, 'agent.state')[3]).toMatchObject({ at: ms('2026-11-24T09:03:17.067Z') });
    expect(of(list, 'agent.state')[3]!.queues).toHaveLength(7);
  });

  it('reports an activity notification missing its routingStatus line, part by part, without throwing', () => {
    const parsed = parseVendorRecords(fixture('user-activity-missing-line.json'));
    expect(parsed.map((p) => p.ok)).toEqual([true, false, true, false]);
    const { list, issues } = run(fixture('user-activity-missing-line.json'));
    expect(list).toEqual([]);
    expect(issues).toMatchObject([
      { record: 0, kind: 'malformed', reason: 'activity: neither routingStatus nor presence' },
      { record: 2, kind: 'unknown' },
    ]);
  });

  it('reports unknown topics and hostile payloads with reasons', () => {
    const hostile = [
      { topicName: 'v2.users.u1.geolocation', eventBody: {} },
      { topicName: 'v2.users.u1.activity', eventBody: null },
      {
        topicName: 'v2.users.u1.routingStatus',
        eventBody: { routingStatus: { status: 'DANCING', startTime: '2022-07-04T20:00:00Z' } },
      },
      { topicName: 'v2.users.u1.routingStatus', eventBody: { routingStatus: { status: 'IDLE', startTime: 'soon' } } },
      { topicName: 'v2.routing.queues.q.conversations', eventBody: { id: 'c', participants: 'many' } },
      { topicName: 42 },
      { conversations: [{ conversationId: 'x' }, 7] },
      {
        conversationId: 'y',
        conversationStart: '2016-09-06T07:06:11Z',
        participants: [{ participantId: 'p', purpose: 'customer', sessions: [{ mediaType: 'carrier-pigeon' }] }],
      },
      { detail: { topicName: 'channel.metadata', eventBody: {} } },
      'x',
    ];
    const { list, issues, ignored } = run(JSON.stringify(hostile));
    expect(list).toEqual([]);
    expect(ignored).toBe(1);
    expect([...new Set(issues.map((i) => i.record))].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 9]);
    expect(issues.filter((i) => i.kind === 'unknown').map((i) => i.record)).toEqual([0, 2, 7]);
  });
});
