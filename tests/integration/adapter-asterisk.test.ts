/**
 * Asterisk end to end: a queue's half hour as app_queue writes it to queue_log, plus one call told live
 * by AMI (the caller leaves the queue before the agent connects, as AMI orders it), posted to
 * /api/ingest/asterisk-queue-log and /api/ingest/asterisk-ami with an ingest key; /api/kpis must show
 * the service level, handle time and abandons worked out by hand below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterAck } from '../../server/contract/ingest-adapters.ts';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const T = Math.floor((Date.now() - 60 * 60_000) / 60_000) * 60; // epoch seconds, an hour ago
const line = (s: number, callid: string, agent: string, event: string, ...data: (string | number)[]) =>
  [T + s, callid, callid === 'NONE' ? 'NONE' : 'support', agent, event, ...data].join('|');
const id = (n: number) => `${T}.${n}`;

// q1 waits 10 s, Alice answers (within 20 s), talks 120 s. q2 waits 40 s, Bob answers, talks 200 s.
// q3 gives up after 30 s. q5 is let go by the queue's timeout after 300 s: moved on, not an abandon.
const queueLog = [
  line(0, id(1), 'NONE', 'ENTERQUEUE', '', '+15551230001', 1),
  line(5, 'NONE', 'Bob', 'UNPAUSEALL', ''),
  line(8, id(1), 'Bob', 'RINGNOANSWER', 3000),
  line(10, id(1), 'Alice', 'CONNECT', 10, `${T + 9}.11`, 2),
  line(20, id(2), 'NONE', 'ENTERQUEUE', '', '+15551230002', 1),
  line(30, id(3), 'NONE', 'ENTERQUEUE', '', '+15551230003', 2),
  line(60, id(2), 'Bob', 'CONNECT', 40, `${T + 58}.21`, 4),
  line(60, id(3), 'NONE', 'ABANDON', 1, 2, 30),
  line(100, id(5), 'NONE', 'ENTERQUEUE', '', '+15551230005', 1),
  line(130, id(1), 'Alice', 'COMPLETECALLER', 10, 120, 1),
  line(260, id(2), 'Bob', 'COMPLETEAGENT', 40, 200, 1),
  line(400, id(5), 'NONE', 'EXITWITHTIMEOUT', 1, 1, 300),
].join('\n');

// q4, live from AMI with timestampevents=yes: joins, rings Alice, leaves the queue, connects after 8 s
// (QueueCallerLeave comes first, and is not an abandon), talks 100 s.
const ami = (s: number, event: string, fields: Record<string, string | number>) =>
  [`Event: ${event}`, 'Privilege: agent,all', `Timestamp: ${T + s}.000000`]
    .concat(Object.entries(fields).map(([k, v]) => `${k}: ${v}`))
    .join('\r\n') + '\r\n\r\n';
const caller = { Channel: 'PJSIP/trunk-00000041', Uniqueid: id(4), Linkedid: id(4), Queue: 'support' };
const member = { Interface: 'PJSIP/201', MemberName: 'Alice' };
const amiStream = [
  ami(300, 'QueueCallerJoin', { ...caller, Position: 1, Count: 1 }),
  ami(301, 'AgentCalled', { ...caller, ...member }),
  ami(308, 'QueueCallerLeave', { ...caller, Position: 1, Count: 0 }),
  ami(308, 'AgentConnect', { ...caller, ...member, HoldTime: 8, RingTime: 7 }),
  ami(408, 'AgentComplete', { ...caller, ...member, HoldTime: 8, TalkTime: 100, Reason: 'agent' }),
].join('');

describe('Asterisk end to end', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let key = '';
  let cookie = '';
  const post = async (platform: string, body: string, contentType = 'text/plain') => {
    const res = await app.request(`/api/ingest/${platform}`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${key}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as AdapterAck };
  };

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    key = await ingestKey(tandem);
    cookie = (await signedIn(tandem, ['admin'])).cookie;
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('turns queue_log and AMI into the KPIs they imply, and a replayed file stores nothing twice', async () => {
    const log = await post('asterisk-queue-log', queueLog);
    expect(log.status).toBe(202);
    expect(log.body).toMatchObject({ records: 12, ignored: 1, unknown: 0, malformed: 0, rejected: [], duplicates: 0 });
    const live = await post('asterisk-ami', amiStream);
    expect(live.body).toMatchObject({ records: 5, ignored: 2, unknown: 0, malformed: 0, rejected: [], duplicates: 0 });

    // The file again, as tandem connect posts it (a JSON array of lines): every event is a duplicate.
    const again = await post('asterisk-queue-log', JSON.stringify(queueLog.split('\n')), 'application/json');
    expect(again.body.accepted).toBe(0);
    expect(again.body.duplicates).toBe(log.body.events);

    const from = T * 1000;
    const res = await app.request(`/api/kpis?from=${from}&to=${from + 3_600_000}`, { headers: { cookie } });
    const { kpis } = (await res.json()) as { kpis: Record<string, number | null> };
    // Offered 5. Answered 3: q1 in 10 s and q4 in 8 s (within 20 s), q2 in 40 s. Abandoned 1 (q3, 30 s).
    // q5 left by timeout: transferred, in the denominators, not an abandon.
    // Service level = 2 / (3 + 1 + 1) = 0.4. Abandon rate = 1/5. AHT = (120 + 200 + 100) / 3 = 140 s.
    // ASA = (10 + 40 + 8) / 3 s.
    expect(kpis).toMatchObject({
      contacts: 5,
      offered: 5,
      answered: 3,
      abandoned: 1,
      shortAbandoned: 0,
      transferred: 1,
      answeredWithinThreshold: 2,
      ahtSeconds: 140,
    });
    expect(kpis.serviceLevel).toBeCloseTo(0.4, 10);
    expect(kpis.abandonRate).toBeCloseTo(0.2, 10);
    expect(kpis.asaSeconds).toBeCloseTo(58 / 3, 6);
  });

  it('keeps a key scoped to one Asterisk feed to that feed', async () => {
    const scoped = await ingestKey(tandem, { scopeSources: ['asterisk-ami'] });
    const res = await app.request('/api/ingest/asterisk-queue-log', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${scoped}` },
      body: line(500, id(9), 'NONE', 'ENTERQUEUE', '', '', 1),
    });
    const ack = (await res.json()) as AdapterAck;
    expect(ack.accepted).toBe(0);
    expect(ack.rejected[0]).toMatchObject({ record: 0, errors: [{ path: 'source' }] });
  });
});
