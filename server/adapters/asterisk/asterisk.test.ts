import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEvent, type TandemEvent } from '../../contract/events.ts';
import type { AdapterOutput, PlatformAdapter } from '../adapter.ts';
import { readRecords } from '../registry.ts';
import { AmiFramer, parseAmiText } from './ami-protocol.ts';
import { asteriskAmi, asteriskQueueLog } from './index.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/vendors/asterisk/${name}`, import.meta.url), 'utf8');
const NOW = Date.UTC(2026, 10, 24, 2);

function run(adapter: PlatformAdapter, text: string): AdapterOutput & { list: TandemEvent[] } {
  const records = readRecords(adapter, text).flatMap((p, index) => (p.ok ? [{ index, value: p.value }] : []));
  const out = adapter.map(records, NOW);
  for (const { event } of out.events) expect(checkEvent(event).ok, JSON.stringify(event)).toBe(true);
  return { ...out, list: out.events.map((e) => e.event) };
}
const of = <T extends TandemEvent['type']>(list: TandemEvent[], type: T) =>
  list.filter((e): e is Extract<TandemEvent, { type: T }> => e.type === type);
const s = (epoch: number) => epoch * 1000;

describe('Asterisk queue_log', () => {
  it('reads the documented example line: a ring that was not answered says nothing to count', () => {
    const out = run(asteriskQueueLog, fixture('queue-log-docs-example.log'));
    expect(out).toMatchObject({ events: [], issues: [], ignored: 1 });
  });

  it('maps a morning of one queue: answers, an abandon, a timeout, a transfer and pauses', () => {
    const { list, issues } = run(asteriskQueueLog, fixture('queue-log-day.log'));
    expect(issues).toEqual([]);
    expect(of(list, 'queue.entered').map((e) => [e.contactId, e.queue, e.at])).toEqual([
      ['1795483798.101', 'support', s(1795483800)],
      ['1795483828.120', 'support', s(1795483830)],
      ['1795483858.130', 'support', s(1795483860)],
      ['1795483898.140', 'support', s(1795483900)],
      ['1795483998.150', 'support', s(1795484000)],
    ]);
    expect(of(list, 'contact.started').every((e) => e.channel === 'voice')).toBe(true);
    expect(of(list, 'queue.left').map((e) => [e.contactId, e.outcome, e.agentId, e.at])).toEqual([
      ['1795483798.101', 'answered', 'Alice', s(1795483814)],
      ['1795483828.120', 'answered', 'Bob', s(1795483870)],
      ['1795483858.130', 'abandoned', undefined, s(1795483890)],
      ['1795483998.150', 'answered', 'Alice', s(1795484005)],
      // A timeout is the queue letting the caller go unanswered, not the caller giving up.
      ['1795483898.140', 'transferred', undefined, s(1795484200)],
    ]);
    expect(of(list, 'wrapup.completed').map((e) => [e.contactId, e.agentId, e.at])).toEqual([
      ['1795483798.101', 'Alice', s(1795483994)],
      ['1795483998.150', 'Alice', s(1795484100)],
      ['1795483828.120', 'Bob', s(1795484110)],
    ]);
    // The transferred call goes on elsewhere: it is not ended here.
    expect(of(list, 'contact.ended').map((e) => [e.contactId, e.endedBy])).toEqual([
      ['1795483858.130', 'customer'],
      ['1795483798.101', 'customer'],
      ['1795483828.120', 'agent'],
    ]);
    const bob = of(list, 'agent.state').filter((e) => e.agentId === 'Bob');
    expect(bob.map((e) => [e.state, e.reason, e.at])).toEqual([
      ['available', undefined, s(1795483795)],
      ['on_contact', undefined, s(1795483870)],
      ['available', undefined, s(1795484110)],
      ['break', 'Lunch', s(1795484120)],
      ['break', 'Lunch', s(1795484120)],
      ['available', undefined, s(1795485000)],
      ['available', undefined, s(1795485000)],
    ]);
    // PAUSE and PAUSEALL of the same moment are one fact: one id.
    expect(new Set(bob.map((e) => e.id)).size).toBe(5);
  });

  it('reads the pre-1.8 forms and the callback agents', () => {
    const { list, issues } = run(asteriskQueueLog, fixture('queue-log-1.4.log'));
    expect(issues).toEqual([]);
    expect(of(list, 'queue.left').map((e) => [e.outcome, e.agentId ?? null])).toEqual([
      ['answered', 'Agent/1001'],
      ['answered', 'Agent/1002'],
      ['transferred', null],
      ['transferred', null],
    ]);
    expect(of(list, 'wrapup.completed').map((e) => [e.agentId, e.at])).toEqual([
      ['Agent/1001', s(1195483900)],
      ['Agent/1002', s(1195484290)],
    ]);
    expect(of(list, 'agent.state').map((e) => e.state)).toEqual([
      'on_contact',
      'available',
      'available',
      'on_contact',
      'available',
      'offline',
    ]);
  });

  it('reads rows of the realtime table as a database client prints them', () => {
    const { list, issues } = run(asteriskQueueLog, fixture('queue-log-realtime-rows.log'));
    expect(issues).toEqual([]);
    expect(list.map((e) => [e.type, e.at])).toEqual([
      ['contact.started', Date.parse('2026-11-24T01:40:00.120Z')],
      ['queue.entered', Date.parse('2026-11-24T01:40:00.120Z')],
      ['queue.left', Date.parse('2026-11-24T01:40:12.480Z')],
      ['agent.state', Date.parse('2026-11-24T01:40:12.480Z')],
      ['contact.ended', Date.parse('2026-11-24T01:43:02.010Z')],
      ['wrapup.completed', Date.parse('2026-11-24T01:43:02.010Z')],
      ['agent.state', Date.parse('2026-11-24T01:43:02.010Z')],
      ['agent.state', Date.parse('2026-11-24T01:44:00.000Z')],
    ]);
    expect(of(list, 'agent.state').at(-1)).toMatchObject({ agentId: 'PJSIP/201', state: 'break', reason: 'Break' });
  });

  it('reports what it cannot read, by line, and keeps the rest; a replay maps to the same ids', () => {
    const text = [
      '1795483800|c1|q|NONE|ENTERQUEUE||555',
      'garbage',
      'yesterday|c1|q|NONE|ABANDON|1|1|3',
      '1795483810|c1|q|NONE|CONNECT|10|x|1',
      '1795483810|c1|q|NONE|FROBNICATE',
      '1795483810|NONE|q|NONE|ABANDON|1|1|3',
    ].join('\n');
    const out = run(asteriskQueueLog, text);
    expect(out.issues).toEqual([
      { record: 1, kind: 'malformed', reason: expect.stringMatching(/fewer than 5/) },
      { record: 2, kind: 'malformed', reason: 'ABANDON: time is not epoch seconds' },
      { record: 3, kind: 'malformed', reason: 'CONNECT: needs agent' },
      { record: 4, kind: 'unknown', reason: expect.stringMatching(/FROBNICATE/) },
      { record: 5, kind: 'malformed', reason: 'ABANDON: needs callid' },
    ]);
    expect(out.list).toHaveLength(2);
    const again = run(asteriskQueueLog, fixture('queue-log-day.log'));
    const once = run(asteriskQueueLog, fixture('queue-log-day.log'));
    expect(again.list.map((e) => e.id)).toEqual(once.list.map((e) => e.id));
    expect(once.list.every((e) => (e as { source?: string }).source === 'asterisk-queue-log')).toBe(true);
  });

  it('takes a JSON array of lines, which is what tandem connect posts', () => {
    const lines = fixture('queue-log-day.log').trim().split('\n');
    const fromJson = run(asteriskQueueLog, JSON.stringify([...lines, null, 7]));
    expect(fromJson.list).toEqual(run(asteriskQueueLog, lines.join('\n')).list);
    expect(fromJson.issues.map((i) => i.record)).toEqual([lines.length, lines.length + 1]);
  });
});

describe('Asterisk AMI events', () => {
  it('maps a timestamped session: QueueCallerLeave before AgentConnect is not an abandon', () => {
    const { list, issues, ignored } = run(asteriskAmi, fixture('ami-queue-events.txt'));
    expect(issues).toEqual([]);
    // Login reply, FullyBooted, AgentCalled, 2 QueueCallerLeave, AgentRingNoAnswer, Newchannel.
    expect(ignored).toBe(7);
    expect(of(list, 'queue.left').map((e) => [e.contactId, e.outcome, e.agentId ?? null, e.at])).toEqual([
      ['1795483798.301', 'answered', 'Alice', 1795483808100],
      ['1795483929.310', 'abandoned', null, 1795483952000],
    ]);
    expect(of(list, 'queue.entered').map((e) => [e.queue, e.at])).toEqual([
      ['support', 1795483800250],
      ['support', 1795483930000],
    ]);
    expect(of(list, 'wrapup.completed')).toMatchObject([{ agentId: 'Alice', at: 1795483928500 }]);
    expect(of(list, 'contact.ended').map((e) => [e.contactId, e.endedBy])).toEqual([
      ['1795483798.301', 'customer'],
      ['1795483929.310', 'customer'],
    ]);
    expect(of(list, 'agent.state').map((e) => [e.agentId, e.state, e.reason ?? null])).toEqual([
      ['Alice', 'on_contact', null],
      ['Alice', 'on_contact', null],
      ['Alice', 'available', null],
      ['Bob', 'break', 'Training'],
      ['Alice', 'available', null],
    ]);
  });

  it('reads Asterisk 1.8 names, and without Timestamp dates events at their arrival', () => {
    const { list, issues } = run(asteriskAmi, fixture('ami-queue-events-1.8.txt'));
    expect(issues).toEqual([]);
    expect(list.every((e) => e.at === NOW)).toBe(true);
    expect(of(list, 'queue.left')).toMatchObject([
      { contactId: '1395483800.40', outcome: 'answered', agentId: 'Carol' },
    ]);
    expect(of(list, 'contact.ended')).toMatchObject([{ endedBy: 'agent' }]);
    expect(of(list, 'agent.state').map((e) => [e.agentId, e.state])).toEqual([
      ['Carol', 'on_contact'],
      ['Carol', 'available'],
      ['Carol', 'break'],
      ['Dave', 'offline'],
    ]);
    // Ids of contact facts leave the arrival time out, so a replayed capture is stored once.
    const later = asteriskAmi.map(
      readRecords(asteriskAmi, fixture('ami-queue-events-1.8.txt')).flatMap((p, index) =>
        p.ok ? [{ index, value: p.value }] : [],
      ),
      NOW + 5000,
    );
    const contactFacts = (events: TandemEvent[]) => events.filter((e) => e.type !== 'agent.state').map((e) => e.id);
    expect(contactFacts(later.events.map((e) => e.event))).toEqual(contactFacts(list));
  });

  it('takes JSON objects of headers, in any casing, and reports what it cannot use', () => {
    const out = run(
      asteriskAmi,
      JSON.stringify([
        { event: 'QueueCallerAbandon', uniqueid: 'u1', queue: 'q', timestamp: 1795483952.5 },
        { Event: 'AgentConnect', Uniqueid: 'u2', Queue: 'q' },
        { Event: 'QueueCallerJoin', Uniqueid: 'u3', Queue: 'q', Timestamp: 'soon' },
        { Foo: 'bar' },
        'Event: QueueCallerJoin',
      ]),
    );
    expect(out.list.map((e) => [e.type, e.at])).toEqual([
      ['queue.left', 1795483952500],
      ['contact.ended', 1795483952500],
    ]);
    expect(out.issues).toEqual([
      { record: 1, kind: 'malformed', reason: 'AgentConnect: needs MemberName' },
      { record: 2, kind: 'malformed', reason: 'QueueCallerJoin: Timestamp is not epoch seconds' },
      { record: 3, kind: 'unknown', reason: 'not an AMI event (no Event header)' },
      { record: 4, kind: 'malformed', reason: expect.stringMatching(/AMI message/) },
    ]);
  });
});

describe('AMI framing', () => {
  it('cuts a stream into messages across any chunk boundary, and names garbage', () => {
    const text = fixture('ami-queue-events.txt');
    const whole = parseAmiText(text);
    for (const size of [1, 7, 100]) {
      const framer = new AmiFramer();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...framer.push(text.slice(i, i + size)));
      expect(got).toEqual(whole);
    }
    const framer = new AmiFramer();
    expect(framer.push('no colon here\r\n\r\nEvent: X\r\n\r\n')).toEqual([
      { ok: false, reason: expect.stringMatching(/without "Key: Value"/) },
      { ok: true, value: { Event: 'X' } },
    ]);
    expect(framer.push('x'.repeat(300 * 1024))).toEqual([{ ok: false, reason: expect.stringMatching(/dropped/) }]);
  });
});
