import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEvent, type TandemEvent } from '../../contract/events.ts';
import type { AdapterOutput } from '../adapter.ts';
import { parseVendorRecords } from '../vendor-json.ts';
import { createAmazonConnect } from './index.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/vendors/amazon-connect/${name}`, import.meta.url), 'utf8');
const NOW = Date.UTC(2026, 10, 24);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- vendor samples are edited freely to make cases
type Sample = any;

function run(text: string, now = NOW, adapter = createAmazonConnect()): AdapterOutput & { list: TandemEvent[] } {
  const records = parseVendorRecords(text).flatMap((p, index) => (p.ok ? [{ index, value: p.value }] : []));
  const out = adapter.map(records, now);
  for (const { event } of out.events) expect(checkEvent(event).ok, JSON.stringify(event)).toBe(true);
  return { ...out, list: out.events.map((e) => e.event) };
}
const of = <T extends TandemEvent['type']>(list: TandemEvent[], type: T) =>
  list.filter((e): e is Extract<TandemEvent, { type: T }> => e.type === type);

describe('Amazon Connect agent event stream', () => {
  it('applies the ENDED-state rule: a contact still listed as ENDED is wrap-up, its removal completes it', () => {
    const first = run(fixture('agent-event-state-change-acw-1.json'));
    expect(of(first.list, 'agent.state')).toMatchObject([
      { agentId: 'agent-ARN', state: 'wrap_up', queues: ['BasicQueue', 'PrimaryQueue'] },
    ]);
    // The status says Available all along: the contact list wins over it.
    expect(of(first.list, 'contact.ended')).toMatchObject([
      { contactId: 'ContactId-1', at: Date.parse('2019-05-25T18:55:27.017Z') },
    ]);
    // Outbound: no queue wait, so nothing is offered.
    expect(of(first.list, 'queue.entered')).toEqual([]);

    const second = run(fixture('agent-event-state-change-acw-2.json'));
    expect(of(second.list, 'agent.state')).toMatchObject([
      { state: 'available', at: Date.parse('2019-05-25T18:55:32.022Z') },
    ]);
    expect(of(second.list, 'wrapup.completed')).toMatchObject([
      { contactId: 'ContactId-1', agentId: 'agent-ARN', at: Date.parse('2019-05-25T18:55:32.022Z') },
    ]);
  });

  it('maps statuses: Offline, custom statuses as a break named by the status, holds and answers from contact states', () => {
    const base = JSON.parse(fixture('agent-event-state-change-acw-2.json')) as Sample;
    const custom = structuredClone(base);
    custom.EventId = 'e-lunch';
    custom.CurrentAgentSnapshot.AgentStatus.Name = 'Lunch';
    const offline = structuredClone(base);
    offline.EventId = 'e-off';
    offline.CurrentAgentSnapshot.AgentStatus.Name = 'Offline';
    const held = structuredClone(base);
    held.EventId = 'e-hold';
    held.CurrentAgentSnapshot.Contacts = [
      {
        ContactId: 'c-in',
        Channel: 'VOICE',
        InitiationMethod: 'INBOUND',
        Queue: { ARN: 'arn:aws:connect:x:instance/i/queue/q1', Name: 'BasicQueue' },
        QueueTimestamp: '2019-05-25T18:56:00.000Z',
        ConnectedToAgentTimestamp: '2019-05-25T18:56:12.000Z',
        State: 'CONNECTED_ONHOLD',
        StateStartTimestamp: '2019-05-25T18:57:00.000Z',
      },
    ];
    held.PreviousAgentSnapshot.Contacts = [{ ...held.CurrentAgentSnapshot.Contacts[0], State: 'CONNECTED' }];
    const { list } = run(JSON.stringify([custom, offline, held]));
    expect(of(list, 'agent.state').map((e) => [e.state, e.reason])).toEqual([
      ['break', 'Lunch'],
      ['offline', undefined],
      ['on_contact', undefined],
    ]);
    expect(of(list, 'queue.left')).toMatchObject([
      { contactId: 'c-in', outcome: 'answered', agentId: 'agent-ARN', queue: 'BasicQueue' },
    ]);
    expect(of(list, 'contact.held')).toMatchObject([{ contactId: 'c-in', at: Date.parse('2019-05-25T18:57:00Z') }]);
  });

  it('lets a heartbeat refresh the state once: repeated heartbeats map to the same event id', () => {
    const hb = JSON.parse(fixture('agent-event-heartbeat.json')) as Sample;
    const later = { ...hb, EventId: 'EventId-2', EventTimestamp: '2019-08-13T21:00:44.031Z' };
    const { list } = run(JSON.stringify([hb, later]));
    expect(list.map((e) => e.type)).toEqual(['agent.state', 'agent.state']);
    expect(list[0]!.id).toBe(list[1]!.id);
    expect(list[0]).toMatchObject({
      state: 'available',
      name: 'AgentEventStreamTest Agent',
      queues: ['Omni-channel-queue'],
    });
  });
});

describe('Amazon Connect contact events', () => {
  it('reads both published casings (agentInfo / AgentInfo, VOICE / Voice) and the EventBridge envelope', () => {
    const { list, issues } = run(
      fixture('contact-event-connected-to-agent.json') + fixture('contact-event-disconnected.json'),
    );
    expect(issues).toEqual([]);
    const left = of(list, 'queue.left');
    expect(left.map((e) => [e.outcome, e.agentId])).toEqual([
      ['answered', '12345678-1234-1234-1234-123456789012'],
      ['answered', 'arn'],
    ]);
    expect(of(list, 'contact.started').every((e) => e.channel === 'voice')).toBe(true);
    expect(of(list, 'contact.ended')).toMatchObject([{ at: Date.parse('2021-08-04T17:18:37Z') }]);
    // Both events tell the same answer: one id, stored once.
    expect(new Set(left.map((e) => e.id)).size).toBe(1);
  });

  it('names queues as other records taught it, across batches, else by the id in the ARN', () => {
    const adapter = createAmazonConnect();
    const queued = {
      eventType: 'QUEUED',
      contactId: 'c-q',
      channel: 'CHAT',
      initiationTimestamp: '2022-04-08T15:10:00Z',
      queueInfo: {
        queueArn: 'arn:aws:connect:us-east-1:1:instance/i/queue/q-billing',
        enqueueTimestamp: '2022-04-08T15:10:05Z',
      },
    };
    expect(of(run(JSON.stringify(queued), NOW, adapter).list, 'queue.entered')[0]!.queue).toBe('q-billing');
    run(fixture('contact-records-current.jsonl'), NOW, adapter);
    expect(of(run(JSON.stringify({ ...queued, contactId: 'c-r' }), NOW, adapter).list, 'queue.entered')[0]!.queue).toBe(
      'Billing',
    );
  });

  it('turns a disconnect while queued into an abandon, with who hung up', () => {
    const e = JSON.parse(fixture('contact-event-disconnected.json')) as Sample;
    delete e.detail.AgentInfo;
    e.detail.disconnectReason = 'CUSTOMER_DISCONNECT';
    const { list } = run(JSON.stringify(e));
    expect(of(list, 'queue.left')).toMatchObject([{ outcome: 'abandoned', at: Date.parse('2021-08-04T17:18:37Z') }]);
    expect(of(list, 'contact.ended')).toMatchObject([{ endedBy: 'customer' }]);
  });
});

describe('Amazon Connect contact records', () => {
  it('maps the first documented shape, concatenated as Firehose writes it: answered and abandoned', () => {
    const { list, issues } = run(fixture('contact-records-2017.json').replace(/}\s*{/, '}{'));
    expect(issues).toEqual([]);
    expect(of(list, 'queue.left').map((e) => [e.contactId, e.outcome, e.at])).toEqual([
      ['ctr-2017-answered', 'answered', Date.parse('2019-05-25T18:55:21Z')],
      ['ctr-2017-abandoned', 'abandoned', Date.parse('2019-05-25T19:02:48Z')],
    ]);
    expect(of(list, 'wrapup.completed')).toMatchObject([
      { contactId: 'ctr-2017-answered', agentId: 'agent-ARN', at: Date.parse('2019-05-25T18:55:52Z') },
    ]);
    // No DisconnectReason in this shape: who ended it is not said.
    expect(of(list, 'contact.ended').map((e) => e.endedBy)).toEqual([undefined, undefined]);
  });

  it('keeps only the newest copy of a record delivered twice, whatever the order', () => {
    const { list, ignored } = run(fixture('contact-records-current.jsonl'));
    expect(ignored).toBe(1);
    expect(of(list, 'wrapup.completed')).toMatchObject([
      { contactId: 'ctr-new-answered', at: Date.parse('2022-04-08T15:06:10Z') },
    ]);
    expect(of(list, 'contact.started').map((e) => [e.contactId, e.channel])).toEqual([
      ['ctr-new-answered', 'voice'],
      ['ctr-new-abandoned', 'chat'],
    ]);
    expect(of(list, 'contact.ended').map((e) => e.endedBy)).toEqual(['customer', 'customer']);
    expect(of(list, 'queue.left').map((e) => e.outcome)).toEqual(['answered', 'abandoned']);
    const reversed = run(fixture('contact-records-current.jsonl').split('\n').reverse().join('\n'));
    expect(of(reversed.list, 'wrapup.completed')).toMatchObject([{ at: Date.parse('2022-04-08T15:06:10Z') }]);
  });
});

describe('Amazon Connect Contact Lens', () => {
  it('places post-call turns on the contact connect time, keeping turns whose documented ids are all the same', () => {
    const lens = JSON.parse(fixture('contact-lens-post-call-voice.json')) as Sample;
    const alone = run(JSON.stringify(lens));
    expect(alone.list).toEqual([]);
    expect(alone.issues).toMatchObject([
      { kind: 'malformed', reason: expect.stringContaining('CustomerMetadata.ContactId') },
    ]);

    lens.CustomerMetadata = { ContactId: 'ctr-new-answered' };
    const ctr = fixture('contact-records-current.jsonl').split('\n')[0]!;
    const { list } = run(`${ctr}\n${JSON.stringify(lens)}`);
    const segments = of(list, 'transcript.segment');
    expect(segments).toHaveLength(lens.Transcript.length);
    expect(new Set(segments.map((s) => s.id)).size).toBe(segments.length);
    expect(segments[1]).toMatchObject({
      speaker: 'customer',
      text: 'Just hello. My name is Peter and help.',
      offsetMs: 160,
      at: Date.parse('2022-04-08T15:01:00Z') + 160,
      sentiment: 0,
    });
    expect(segments[0]!.speaker).toBe('agent');
  });

  it('maps real-time final transcripts, ignores partial utterances and the STARTED, COMPLETED and FAILED events', () => {
    const text = ['started', 'segments', 'completed', 'failed']
      .map((k) => fixture(`contact-lens-rt-${k}.json`))
      .join('\n');
    const { list, ignored, issues } = run(text);
    expect(issues).toEqual([]);
    expect(ignored).toBe(3);
    expect(of(list, 'transcript.segment').map((s) => [s.speaker, s.sentiment])).toEqual([
      ['agent', 0],
      ['customer', -0.5],
    ]);
    // No contact time in the batch: the latest segment is placed at arrival.
    expect(Math.max(...list.map((e) => e.at as number))).toBe(NOW);
  });
});

describe('Amazon Connect quirks and hostile input', () => {
  it('tolerates the documentation samples’ comments and trailing commas, and reports a stray brace alone', () => {
    const commented = fixture('agent-event-heartbeat.json')
      .replace('"EventType": "HEART_BEAT",', '"EventType": "HEART_BEAT", // published every 120 seconds')
      .replace('"Contacts": []', '"Contacts": [],');
    const records = parseVendorRecords(`${commented}\n}\n${fixture('contact-event-connected-to-agent.json')}`);
    expect(records.map((r) => r.ok)).toEqual([true, false, true]);
    expect(records[1]).toMatchObject({ ok: false, reason: expect.stringContaining('text outside any record') });
    const { list } = run(`${commented}\n}\n${fixture('contact-event-connected-to-agent.json')}`);
    expect(list.map((e) => e.type)).toEqual(['agent.state', 'contact.started', 'queue.entered', 'queue.left']);
  });

  it('reports unknown and malformed records with reasons and never throws', () => {
    const hostile = [
      null,
      42,
      'text',
      [],
      { hello: 'world' },
      { AgentARN: 'x', EventType: 'STATE_CHANGE' },
      {
        AgentARN: 'a/agent/1',
        EventId: 'e',
        EventTimestamp: 'yesterday',
        EventType: 'LOGIN',
        CurrentAgentSnapshot: {},
      },
      { eventType: 'QUEUED', contactId: 'c'.repeat(300) },
      { eventType: 'DISCONNECTED', contactId: 'c', channel: 'PIGEON' },
      { ContactId: 'c', LastUpdateTimestamp: 5, InitiationTimestamp: {} },
      { ContactId: 'c', InitiationTimestamp: '2026-02-30T00:00:00Z', LastUpdateTimestamp: 'x', Channel: 'VOICE' },
      { Transcript: [{ ParticipantId: 'X', Content: 'hi', BeginOffsetMillis: -1 }] },
      { ContactId: 'c', Version: '1', EventType: 'SEGMENTS', Segments: [{ Transcript: { nope: 1 } }] },
      { detail: { eventType: 'QUEUED' }, 'detail-type': 'Amazon Connect Contact Event' },
      { __proto__: { polluted: true }, AgentARN: 'a' },
    ];
    const { list, issues } = run(JSON.stringify(hostile));
    expect(list).toEqual([]);
    expect(issues.map((i) => i.record).sort((a, b) => a - b)).toEqual(hostile.map((_, i) => i));
    expect(issues.filter((i) => i.kind === 'unknown').map((i) => i.record)).toEqual([4]);
    for (const i of issues) expect(i.reason.length).toBeGreaterThan(10);
  });
});
