import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { checkEvent, type TandemEvent } from '../../contract/events.ts';
import type { AdapterOutput, PlatformAdapter } from '../adapter.ts';
import { formParams, parseFormRecord, parseVendorRecords } from '../vendor-json.ts';
import { activityState } from './common.ts';
import { createTwilioTaskRouter } from './index.ts';
import { checkTwilioSignature, twilioSignature } from './signature.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../tests/fixtures/vendors/twilio-taskrouter/${name}`, import.meta.url), 'utf8');
type Params = Record<string, string>;
const lines = (name: string) => parseVendorRecords(fixture(name)).map((p) => (p.ok ? (p.value as Params) : {}));

function run(adapter: PlatformAdapter, values: unknown[]): AdapterOutput & { list: TandemEvent[] } {
  const out = adapter.map(
    values.map((value, index) => ({ index, value })),
    Date.UTC(2026, 10, 24),
  );
  for (const { event } of out.events) expect(checkEvent(event).ok, JSON.stringify(event)).toBe(true);
  return { ...out, list: out.events.map((e) => e.event) };
}
const of = <T extends TandemEvent['type']>(list: TandemEvent[], type: T) =>
  list.filter((e): e is Extract<TandemEvent, { type: T }> => e.type === type);
/** As storage keeps them: the first event of each id. */
const unique = (list: TandemEvent[]) => list.filter((e, i) => list.findIndex((x) => x.id === e.id) === i);
const T0 = Date.UTC(2026, 10, 24, 9);
const TASK = 'WT00000000000000000000000000001001';
const WORKER = 'WK00000000000000000000000000000077';

describe('Twilio TaskRouter event callbacks', () => {
  it('maps a voice task from creation to completion, each fact once however many events tell it', () => {
    const { list, ignored, issues } = run(createTwilioTaskRouter(), lines('task-lifecycle-voice.jsonl'));
    expect(issues).toEqual([]);
    expect(ignored).toBe(1); // reservation.created: the contract has no offer event
    const facts = unique(list);
    expect(facts.map((e) => [e.type, (e.at as number) - T0])).toEqual([
      ['contact.started', 0],
      ['queue.entered', 40],
      ['queue.left', 9800],
      ['agent.state', 9800],
      ['contact.ended', 191_800],
      ['agent.state', 191_800],
      ['wrapup.completed', 221_800],
      ['agent.state', 221_800],
    ]);
    expect(of(facts, 'contact.started')).toMatchObject([{ contactId: TASK, channel: 'voice' }]);
    expect(of(facts, 'queue.entered')).toMatchObject([{ queue: 'Support', priority: 0 }]);
    expect(of(facts, 'queue.left')).toMatchObject([{ outcome: 'answered', agentId: WORKER, queue: 'Support' }]);
    expect(of(facts, 'agent.state').map((e) => [e.state, e.name])).toEqual([
      ['on_contact', 'alice'],
      ['wrap_up', undefined],
      ['available', undefined],
    ]);
    expect(of(facts, 'wrapup.completed')).toMatchObject([{ agentId: WORKER, contactId: TASK }]);
    // Told again under the same ids: by reservation.wrapup (end, wrap-up state), task.completed (end),
    // reservation.completed (end, wrap-up, state after).
    expect(list.length - facts.length).toBe(6);
    expect(list.every((e) => e.id.startsWith('tw:'))).toBe(true);
  });

  it('reads the form-encoded callback as Twilio posts it exactly as its JSON replay', () => {
    const form = parseFormRecord(fixture('reservation-accepted.form.txt').trim());
    expect(form).toHaveLength(1);
    expect(form[0]).toEqual({ ok: true, value: lines('task-lifecycle-voice.jsonl')[3] });
    const value = (form[0] as { value: Params }).value;
    expect(JSON.parse(value.TaskAttributes!)).toMatchObject({ from: '+15555550100' });
  });

  it('counts a task canceled while nobody had accepted it as an abandon, at the cancel time', () => {
    const { list, ignored, issues } = run(createTwilioTaskRouter(), lines('task-canceled-in-queue.jsonl'));
    expect(issues).toEqual([]);
    // reservation.created, reservation.timeout, and task.deleted after the end was told.
    expect(ignored).toBe(3);
    expect(list.map((e) => e.type)).toEqual(['contact.started', 'queue.entered', 'queue.left', 'contact.ended']);
    expect(of(list, 'queue.left')).toMatchObject([{ outcome: 'abandoned', queue: 'Support', at: T0 + 342_000 }]);
    expect(of(list, 'contact.ended')).toMatchObject([{ endedBy: 'customer' }]);
  });

  it('task.canceled quirk: Twilio also cancels on timeout and by the system; only a task never accepted is an abandon', () => {
    const [created, queued] = lines('task-lifecycle-voice.jsonl');
    const accepted = lines('task-lifecycle-voice.jsonl')[3]!;
    const ttl = (sid: string, extra: Params = {}) => ({
      ...queued,
      EventType: 'task.canceled',
      Sid: sid,
      TaskAssignmentStatus: 'canceled',
      TaskCanceledReason: 'Task TTL Exceeded',
      TimestampMs: String(T0 + 86_400_000),
      ...extra,
    });
    // Accepted, then canceled by its TTL: not an abandon; the contact just ends.
    const afterAnswer = run(createTwilioTaskRouter(), [created, queued, accepted, ttl('EVttl1')]);
    expect(of(afterAnswer.list, 'queue.left').map((e) => e.outcome)).toEqual(['answered']);
    expect(of(afterAnswer.list, 'contact.ended')).toEqual([
      {
        id: `tw:${TASK}:ended`,
        type: 'contact.ended',
        at: T0 + 86_400_000,
        contactId: TASK,
        source: 'twilio-taskrouter',
      },
    ]);
    // Never accepted and timed out: an abandon, ended by the system.
    const timedOut = run(createTwilioTaskRouter(), [created, queued, ttl('EVttl2')]);
    expect(of(timedOut.list, 'queue.left')).toMatchObject([{ outcome: 'abandoned' }]);
    expect(of(timedOut.list, 'contact.ended')).toMatchObject([{ endedBy: 'system' }]);
    // The accept this process never saw (a restart) shares the abandon's id: a stored answer wins.
    const cold = run(createTwilioTaskRouter(), [ttl('EVttl3')]);
    expect(of(cold.list, 'queue.left')[0]!.id).toBe(of(afterAnswer.list, 'queue.left')[0]!.id);
  });

  it('maps worker activities to agent states, custom ones to the closest', () => {
    const { list, issues } = run(createTwilioTaskRouter(), lines('worker-activity-update.jsonl'));
    expect(issues).toEqual([]);
    expect(of(list, 'agent.state').map((e) => [e.state, e.reason, e.name])).toEqual([
      ['available', undefined, 'alice'],
      ['break', 'break', 'alice'],
      ['break', 'lunch', 'alice'],
      ['offline', undefined, 'alice'],
    ]);
    expect(new Set(list.map((e) => e.id)).size).toBe(4);
    expect(activityState('Unavailable')).toEqual({ state: 'break', reason: 'unavailable' });
    expect(activityState('Team Meeting')).toEqual({ state: 'meeting' });
    expect(activityState('Training')).toEqual({ state: 'training' });
    expect(activityState('After Call Work')).toEqual({ state: 'wrap_up' });
    expect(activityState('Logged Out')).toEqual({ state: 'offline' });
  });

  it('after completion, puts the worker back in the activity it last reported', () => {
    const adapter = createTwilioTaskRouter();
    const [, onBreak] = lines('worker-activity-update.jsonl');
    const voice = lines('task-lifecycle-voice.jsonl');
    const { list } = run(adapter, [onBreak, ...voice]);
    expect(of(list, 'agent.state').at(-1)).toMatchObject({ state: 'break', reason: 'break' });
  });

  it('counts a queue once when task.created names it by sid and task-queue.entered by name', () => {
    const [created, queued] = lines('task-lifecycle-voice.jsonl');
    const bySid = { ...created, TaskQueueSid: queued!.TaskQueueSid! };
    const { list } = run(createTwilioTaskRouter(), [bySid, queued]);
    expect(of(list, 'queue.entered').map((e) => e.queue)).toEqual(['Support']);
    const byName = { ...bySid, TaskQueueName: 'Support' };
    const twice = run(createTwilioTaskRouter(), [byName, queued]).list;
    expect(new Set(of(twice, 'queue.entered').map((e) => e.id)).size).toBe(1);
  });

  it('redelivery maps to the same ids', () => {
    const a = run(createTwilioTaskRouter(), lines('worker-activity-update.jsonl')).list.map((e) => e.id);
    const b = run(createTwilioTaskRouter(), lines('worker-activity-update.jsonl')).list.map((e) => e.id);
    expect(a).toEqual(b);
    expect(a[0]).toBe(`tw:worker:${WORKER}:EV00000000000000000000000000000015`);
  });

  it('reports unknown and malformed callbacks with reasons and never throws', () => {
    const good = lines('task-lifecycle-voice.jsonl')[0]!;
    const hostile = [
      { EventType: 'call.completed', TimestampMs: '1795510800000' },
      { ...good, TimestampMs: 'soon', Timestamp: undefined },
      { ...good, TaskSid: undefined },
      { ...good, TaskSid: 'x'.repeat(300) },
      { ...good, TaskAttributes: '{not json' },
      { EventType: 'worker.activity.update', WorkerSid: WORKER, TimestampMs: '1795510800000' },
      { AccountSid: 'AC1' },
      'EventType=task.created',
      { ...good, EventType: 'workflow.target-matched' },
      { ...good, TimestampMs: '1795510800000.5' },
    ];
    const { list, issues, ignored } = run(createTwilioTaskRouter(), hostile);
    expect(issues.map((i) => [i.record, i.kind])).toEqual([
      [0, 'unknown'],
      [1, 'malformed'],
      [2, 'malformed'],
      [3, 'malformed'],
      [5, 'malformed'],
      [6, 'unknown'],
      [7, 'malformed'],
    ]);
    expect(ignored).toBe(1);
    // Attributes that are not JSON lose only the channel hint; the channel name still says voice.
    expect(of(list, 'contact.started').map((e) => e.channel)).toEqual(['voice', 'voice']);
    for (const i of issues) expect(i.reason).toMatch(/\w{3}/);
  });
});

describe('X-Twilio-Signature', () => {
  // Twilio's worked example ("Validating Requests are coming from Twilio", docs/usage/security):
  // token 12345, this URL and these parameters sign to 0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const body = 'To=%2B18005551212&CallSid=CA1234567890ABCDE&Digits=1234&From=%2B12349013030&Caller=%2B12349013030';
  const documented = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';
  const check = (signature: string | undefined, over: Partial<{ urls: string[]; body: string }> = {}) => {
    const text = over.body ?? body;
    return checkTwilioSignature('12345', { urls: over.urls ?? [url], signature, body: text, form: formParams(text) });
  };

  it("matches Twilio's documented example", () => {
    expect(twilioSignature('12345', url, formParams(body))).toBe(documented);
    expect(check(documented)).toBeNull();
  });

  it('refuses a missing or wrong signature, a changed parameter or another URL', () => {
    expect(check(undefined)).toMatch(/missing/);
    expect(check(documented.slice(1))).toMatch(/does not match/);
    expect(check(documented, { body: body.replace('Digits=1234', 'Digits=1235') })).toMatch(/does not match/);
    expect(check(documented, { urls: ['https://mycompany.com/myapp.php?foo=1&bar=3'] })).toMatch(/does not match/);
  });

  it('accepts the URL with the default port spelled out, as Twilio may sign it', () => {
    expect(check(documented, { urls: ['https://mycompany.com:443/myapp.php?foo=1&bar=2'] })).toBeNull();
  });

  it('is only required when an auth token is configured', () => {
    const adapter = createTwilioTaskRouter();
    const request = { urls: [url], header: () => undefined, body, form: formParams(body) };
    expect(adapter.verify!(request, loadConfig({}))).toBeNull();
    expect(adapter.verify!(request, loadConfig({ TANDEM_TWILIO_AUTH_TOKEN: '12345678' }))).toMatch(/missing/);
  });
});
