/**
 * Twilio TaskRouter end to end: event callbacks posted one per request, form-encoded, with the ingest
 * key as the Basic password Twilio sends from the webhook URL; /api/kpis must show what the sequence
 * implies. Then the webhook's security: Basic only on /api/ingest/, no CSRF bypass for cookies, and
 * X-Twilio-Signature when an auth token is configured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../server/adapters/twilio-taskrouter/signature.ts';
import type { AdapterAck } from '../../server/contract/ingest-adapters.ts';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const T = Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60_000;
const QUEUE_SID = 'WQ00000000000000000000000000000051';
const ALICE = 'WK00000000000000000000000000000077';
const BOB = 'WK00000000000000000000000000000078';
const FORM = 'application/x-www-form-urlencoded';
let sids = 0;

/** One callback's parameters, as TaskRouter posts them (every value a string). */
function callback(type: string, s: number, fields: Record<string, string>): Record<string, string> {
  return {
    EventType: type,
    Sid: `EV${String(++sids).padStart(32, '0')}`,
    AccountSid: 'AC000000000000000000000000000000a1',
    WorkspaceSid: 'WS000000000000000000000000000000b2',
    EventDescription: `${type} at ${s}`,
    Timestamp: String(Math.floor((T + s * 1000) / 1000)),
    TimestampMs: String(T + s * 1000),
    ...fields,
  };
}
const task = (sid: string, channel = 'voice') => ({
  TaskSid: sid,
  TaskChannelUniqueName: channel,
  TaskAttributes: JSON.stringify({ from: '+15555550100', direction: 'inbound' }),
});
// task.created carries no queue yet; task-queue.entered names it; reservation events give only its sid.
const queued = { TaskQueueSid: QUEUE_SID, TaskQueueName: 'Support' };
const worker = (sid: string, name: string) => ({ WorkerSid: sid, WorkerName: name });

/** A answered in 10 s, handled 209.5 s; B (chat) answered in 30 s, handled 110 s; C abandons after 25 s, D after 2 s. */
function day(): Record<string, string>[] {
  const A = 'WT000000000000000000000000000000a1';
  const B = 'WT000000000000000000000000000000b2';
  const C = 'WT000000000000000000000000000000c3';
  const D = 'WT000000000000000000000000000000d4';
  const acceptA = callback('reservation.accepted', 10.5, {
    ...task(A),
    TaskQueueSid: QUEUE_SID,
    ...worker(ALICE, 'alice'),
  });
  return [
    callback('worker.activity.update', -600, { ...worker(ALICE, 'alice'), WorkerActivityName: 'Available' }),
    callback('worker.activity.update', -600, { ...worker(BOB, 'bob'), WorkerActivityName: 'Available' }),
    callback('task.created', 0, task(A)),
    callback('task-queue.entered', 0.5, { ...task(A), ...queued }),
    callback('reservation.created', 1, { ...task(A), TaskQueueSid: QUEUE_SID, ...worker(BOB, 'bob') }),
    callback('reservation.rejected', 4, { ...task(A), TaskQueueSid: QUEUE_SID, ...worker(BOB, 'bob') }),
    acceptA,
    acceptA, // Twilio retries a callback that timed out: the same event, the same Sid
    callback('task.created', 30, task(B, 'chat')),
    callback('task-queue.entered', 30, { ...task(B, 'chat'), ...queued }),
    callback('reservation.accepted', 60, { ...task(B, 'chat'), TaskQueueSid: QUEUE_SID, ...worker(BOB, 'bob') }),
    callback('task.created', 100, task(C)),
    callback('task-queue.entered', 100, { ...task(C), ...queued }),
    callback('task.canceled', 125, { ...task(C), ...queued, TaskCanceledReason: 'hangup' }),
    callback('task.deleted', 126, task(C)),
    callback('task.wrapup', 150, task(B, 'chat')),
    callback('task.completed', 170, { ...task(B, 'chat'), TaskCompletedReason: 'done' }),
    callback('task.wrapup', 190, task(A)),
    callback('reservation.wrapup', 190, { ...task(A), ...worker(ALICE, 'alice') }),
    callback('task.created', 200, task(D)),
    callback('task-queue.entered', 200, { ...task(D), ...queued }),
    callback('task.canceled', 202, { ...task(D), TaskCanceledReason: 'hangup' }),
    callback('task.completed', 220, { ...task(A), TaskCompletedReason: 'done' }),
  ];
}

const basic = (key: string) => `Basic ${Buffer.from(`twilio:${key}`).toString('base64')}`;

describe('Twilio TaskRouter end to end', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let key = '';
  let cookie = '';

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    key = await ingestKey(tandem, { scopeSources: ['twilio-taskrouter'] });
    cookie = (await signedIn(tandem, ['admin'])).cookie;
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('turns one callback per request into the KPIs the sequence implies, each fact once', async () => {
    const totals = { accepted: 0, duplicates: 0, ignored: 0 };
    for (const params of day()) {
      const res = await app.request('/api/ingest/twilio-taskrouter', {
        method: 'POST',
        headers: { 'content-type': FORM, authorization: basic(key) },
        body: new URLSearchParams(params).toString(),
      });
      expect(res.status, params.EventType).toBe(202);
      const ack = (await res.json()) as AdapterAck;
      expect(ack, params.EventType).toMatchObject({ records: 1, unknown: 0, malformed: 0, rejected: [] });
      totals.accepted += ack.accepted;
      totals.duplicates += ack.duplicates;
      totals.ignored += ack.ignored;
    }
    // reservation.created, .rejected; task.deleted after C's end was told.
    expect(totals.ignored).toBe(3);
    // Told twice: the retried accept (answer, on_contact state), A's end and wrap-up state by
    // reservation.wrapup, and A's and B's ends by task.completed after task.wrapup.
    expect(totals.duplicates).toBe(6);

    const res = await app.request(`/api/kpis?from=${T}&to=${T + 3_600_000}`, { headers: { cookie } });
    const { kpis } = (await res.json()) as { kpis: Record<string, unknown> };
    // Offered 4. Answered 2: A in 10 s (within 20 s), B in 30 s. C abandons after 25 s; D after 2 s, a
    // short abandon. Service level = 1 / (2 + 1). AHT = (209.5 + 110) / 2 = 159.75 s. ASA = (10 + 30) / 2.
    expect(kpis).toMatchObject({
      contacts: 4,
      offered: 4,
      answered: 2,
      abandoned: 1,
      shortAbandoned: 1,
      answeredWithinThreshold: 1,
      ahtSeconds: 159.75,
      asaSeconds: 20,
      contactsByHandler: { ai: 0, hybrid: 0, human: 4 },
    });
    expect(kpis.serviceLevel).toBeCloseTo(1 / 3, 10);
  });

  it('asks for credentials the way Twilio expects, and takes Basic keys only on /api/ingest/', async () => {
    const body = new URLSearchParams(
      callback('task.created', 400, task('WT0000000000000000000000000000beef')),
    ).toString();
    const post = (path: string, headers: Record<string, string>) =>
      app.request(path, { method: 'POST', headers: { 'content-type': FORM, ...headers }, body });

    // Twilio's first try has no credentials and no Origin: a 401 that asks for Basic, not a CSRF 403.
    const first = await post('/api/ingest/twilio-taskrouter', {});
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toMatch(/^Basic realm=/);

    const wrong = await post('/api/ingest/twilio-taskrouter', { authorization: basic('tdk_not_a_key') });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_key');

    // Elsewhere Basic is no credential: anonymous, and it does not exempt the request from the CSRF check.
    const events = { authorization: basic(key), 'content-type': 'application/json' };
    const noOrigin = await app.request('/api/events', { method: 'POST', headers: events, body: '[]' });
    expect(noOrigin.status).toBe(403);
    const sameSite = await app.request('/api/events', {
      method: 'POST',
      headers: { ...events, origin: 'http://localhost' },
      body: '[]',
    });
    expect(sameSite.status).toBe(401);
    // A signed-in browser that also holds cached Basic credentials is still checked for its origin.
    const cookieAndBasic = await app.request('/api/events', {
      method: 'POST',
      headers: { ...events, cookie, origin: 'https://evil.example' },
      body: '[]',
    });
    expect(cookieAndBasic.status).toBe(403);
    // Bearer keeps working everywhere, with no Origin.
    const bearer = await app.request('/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '[]',
    });
    expect(bearer.status).not.toBe(401);
    expect(bearer.status).not.toBe(403);
  });
});

describe('Twilio request signature', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  const token = 'twilio-test-auth-token';
  let key = '';

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path, twilioAuthToken: token, trustProxy: true }));
    app = createApp(tandem);
    key = await ingestKey(tandem);
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  const params = callback('task.created', 500, task('WT0000000000000000000000000000f00d'));
  const body = new URLSearchParams(params).toString();
  // Twilio called the public address; the proxy forwarded it over http to the app.
  const publicUrl = 'https://wall.example.com/api/ingest/twilio-taskrouter';
  const send = (signature?: string) =>
    app.request('/api/ingest/twilio-taskrouter', {
      method: 'POST',
      headers: {
        'content-type': FORM,
        authorization: basic(key),
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'wall.example.com',
        ...(signature ? { 'x-twilio-signature': signature } : {}),
      },
      body,
    });

  it('refuses a callback without a valid signature before storing anything', async () => {
    const missing = await send();
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/X-Twilio-Signature/);
    const wrongUrl = await send(
      twilioSignature(token, 'https://other.example.com/api/ingest/twilio-taskrouter', Object.entries(params)),
    );
    expect(wrongUrl.status).toBe(403);
    const wrongToken = await send(twilioSignature('another-token', publicUrl, Object.entries(params)));
    expect(wrongToken.status).toBe(403);
  });

  it('takes a callback signed over the URL Twilio called (through the trusted proxy)', async () => {
    const res = await send(twilioSignature(token, publicUrl, Object.entries(params)));
    expect(res.status).toBe(202);
    // The refused tries stored nothing: the first accepted copy is new.
    expect(await res.json()).toMatchObject({ events: 1, accepted: 1, duplicates: 0 });
  });
});
