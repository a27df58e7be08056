/** The HTTP API through app.request(): ingest, errors, live snapshot, KPIs, health, schema. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { LIMITS } from '../../server/contract/events.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const T = Date.now() - 10 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

describe('HTTP API', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let key = '';
  let cookie = '';

  const post = (body: unknown, contentType = 'application/json') =>
    app.request('/api/events', {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${key}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** GET as a signed-in admin. */
  const get = (path: string) => app.request(path, { headers: { cookie } });

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

  it('accepts good events, reports bad ones by index and field, and stores duplicates once', async () => {
    const res = await post([
      { id: 'a1', type: 'contact.started', at: iso(T), contactId: 'c1', channel: 'voice', crmRef: 'X-9' },
      { id: 'a2', type: 'queue.entered', at: T + 1000, contactId: 'c1', queue: 'billing' },
      { id: 'bad1', type: 'queue.left', at: T + 2000, contactId: 'c1', queue: 'billing', outcome: 'answered' },
      { id: 'bad2', type: 'contact.started', at: 'yesterday', contactId: 'c2', channel: 'fax' },
      'not an event',
    ]);
    expect(res.status).toBe(202);
    const ack = await res.json();
    expect(ack.accepted).toBe(2);
    expect(ack.duplicates).toBe(0);
    expect(ack.rejected).toEqual([
      { index: 2, id: 'bad1', errors: [{ path: 'agentId', message: 'is required when outcome is answered' }] },
      {
        index: 3,
        id: 'bad2',
        errors: expect.arrayContaining([
          expect.objectContaining({ path: 'at' }),
          expect.objectContaining({ path: 'channel' }),
        ]),
      },
      { index: 4, errors: [{ path: '(event)', message: 'must be a JSON object' }] },
    ]);

    const again = await (
      await post({ id: 'a1', type: 'contact.started', at: T, contactId: 'c1', channel: 'voice' })
    ).json();
    expect(again).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    const rows = await tandem.db.query<{ n: number; body: string }>(
      "SELECT count(*) AS n, any_value(body) AS body FROM events WHERE id = 'a1'",
    );
    expect(rows[0]!.n).toBe(1);
    expect(JSON.parse(rows[0]!.body).crmRef).toBe('X-9');
  });

  it('accepts NDJSON and rejects a malformed line on its own', async () => {
    const lines = [
      JSON.stringify({
        id: 'n1',
        type: 'queue.left',
        at: T + 15_000,
        contactId: 'c1',
        queue: 'billing',
        outcome: 'answered',
        agentId: 'ag1',
      }),
      '{oops',
      JSON.stringify({ id: 'n2', type: 'wrapup.completed', at: T + 200_000, contactId: 'c1', agentId: 'ag1' }),
    ].join('\n');
    const ack = await (await post(lines, 'application/x-ndjson')).json();
    expect(ack.accepted).toBe(2);
    expect(ack.rejected).toHaveLength(1);
    expect(ack.rejected[0].index).toBe(1);
    expect(ack.rejected[0].errors[0].path).toBe('(line 2)');
  });

  it('places late, out-of-order events by event time', async () => {
    // The queue entry of c3 arrives after its answer; the wait must still be 30 s.
    await post({
      id: 'o1',
      type: 'queue.left',
      at: T + 60_000,
      contactId: 'c3',
      queue: 'billing',
      outcome: 'answered',
      agentId: 'ag2',
    });
    await post({ id: 'o0', type: 'queue.entered', at: T + 30_000, contactId: 'c3', queue: 'billing' });
    const res = await get(`/api/kpis?from=${T - 1000}&to=${T + 300_000}&queue=billing`);
    const { kpis, counters } = await res.json();
    expect(kpis.answered).toBe(2);
    expect(counters.answeredWaitMs).toBe(14_000 + 30_000);
    expect(kpis.answeredWithinThreshold).toBe(1);
    expect(kpis.serviceLevel).toBe(0.5);
    expect(kpis.ahtSeconds).toBe(185);
    const live = await (await get('/api/live')).json();
    expect(live.today.answered).toBe(2);
    expect(live.today.asaSeconds).toBe(22);
  });

  it('filters KPIs by channel and by queue', async () => {
    const B = T + 3_600_000 * -2;
    const events = [
      { id: 'ch1', type: 'contact.started', at: B, contactId: 'v1', channel: 'voice' },
      { id: 'ch2', type: 'queue.entered', at: B + 1000, contactId: 'v1', queue: 'loyalty' },
      {
        id: 'ch3',
        type: 'queue.left',
        at: B + 6000,
        contactId: 'v1',
        queue: 'loyalty',
        outcome: 'answered',
        agentId: 'x',
      },
      { id: 'ch4', type: 'contact.started', at: B, contactId: 'm1', channel: 'email' },
      { id: 'ch5', type: 'queue.entered', at: B + 1000, contactId: 'm1', queue: 'loyalty' },
      { id: 'ch6', type: 'queue.left', at: B + 90_000, contactId: 'm1', queue: 'loyalty', outcome: 'abandoned' },
      { id: 'ch7', type: 'bot.started', at: B + 100, contactId: 'm1' },
    ];
    expect((await (await post(events)).json()).accepted).toBe(7);
    const range = `from=${B - 1000}&to=${B + 100_000}`;
    const voice = (await (await get(`/api/kpis?${range}&channel=voice`)).json()).kpis;
    expect(voice).toMatchObject({ contacts: 1, offered: 1, answered: 1, abandoned: 0, botSessions: 0 });
    const email = (await (await get(`/api/kpis?${range}&channel=email&queue=loyalty`)).json()).kpis;
    expect(email).toMatchObject({ contacts: 1, offered: 1, answered: 0, abandoned: 1, botSessions: 1, abandonRate: 1 });
    const all = (await (await get(`/api/kpis?${range}&queue=loyalty`)).json()).kpis;
    expect(all).toMatchObject({ contacts: 2, offered: 2, answered: 1, abandoned: 1, serviceLevel: 0.5 });
  });

  it('credits handle time by (time, event id) in SQL when two answers share a millisecond, as live does', async () => {
    const A = T - 3 * 3_600_000;
    await post([
      { id: 'tie-z', type: 'queue.left', at: A, contactId: 'tie', queue: 'tie_q1', outcome: 'answered', agentId: 't' },
      { id: 'tie-a', type: 'queue.left', at: A, contactId: 'tie', queue: 'tie_q2', outcome: 'answered', agentId: 't' },
      { id: 'tie-w', type: 'wrapup.completed', at: A + 30_000, contactId: 'tie', agentId: 't' },
    ]);
    const range = `from=${A - 1000}&to=${A + 60_000}`;
    const q1 = (await (await get(`/api/kpis?${range}&queue=tie_q1`)).json()).kpis;
    const q2 = (await (await get(`/api/kpis?${range}&queue=tie_q2`)).json()).kpis;
    // (time, id) order: 'tie-z' is the later answer.
    expect([q1.ahtSeconds, q2.ahtSeconds]).toEqual([30, null]);
  });

  it('answers malformed requests with 400 and the reason, never 500', async () => {
    const bad = await post('{"id": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/not valid JSON/);
    const empty = await post('');
    expect(empty.status).toBe(400);
    const kpis = await get('/api/kpis?from=tomorrow&channel=fax');
    expect(kpis.status).toBe(400);
    const body = await kpis.json();
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['channel', 'from']);
    const backwards = await get(`/api/kpis?from=${T}&to=${T - 1}`);
    expect(backwards.status).toBe(400);
    for (const q of ['from=1&to=99999999999999999', 'to=9223372036854775808', 'from=1']) {
      expect((await get(`/api/kpis?${q}`)).status, q).toBe(400);
    }
  });

  it('rejects oversized batches with 413 and stores nothing of them', async () => {
    const many = Array.from({ length: LIMITS.batchEvents + 1 }, (_, i) => ({
      id: `big-${i}`,
      type: 'contact.started',
      at: T,
      contactId: `big-${i}`,
      channel: 'chat',
    }));
    const res = await post(many);
    expect(res.status).toBe(413);
    const rows = await tandem.db.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE id LIKE 'big-%'");
    expect(rows[0]!.n).toBe(0);
  });

  it('measures the event size limit in UTF-8 bytes', async () => {
    // 29,000 Chinese characters: under the limit in UTF-16 units, about 87 KB in UTF-8.
    const text = '你'.repeat(19_000);
    const note = '好'.repeat(10_000);
    const ack = await (
      await post({ id: 'cjk', type: 'transcript.segment', at: T, contactId: 'c1', speaker: 'customer', text, note })
    ).json();
    expect(ack.rejected).toEqual([
      { index: 0, id: 'cjk', errors: [{ path: '(event)', message: `larger than ${LIMITS.eventBytes} bytes` }] },
    ]);
  });

  it('drops prototype-polluting keys and keeps other extras', async () => {
    const res = await post(
      '{"id":"p1","type":"contact.started","at":' +
        T +
        ',"contactId":"p","channel":"app","__proto__":{"polluted":1},"extra":2}',
    );
    expect((await res.json()).accepted).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const rows = await tandem.db.query<{ body: string }>("SELECT body FROM events WHERE id = 'p1'");
    expect(JSON.parse(rows[0]!.body)).toMatchObject({ extra: 2 });
  });

  it('rejects an event whose extra fields nest too deeply, with a 202 for the rest', async () => {
    const deep = '{"x":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const body = `[{"id":"deep","type":"contact.started","at":${T},"contactId":"d","channel":"app","extra":${deep}},{"id":"shallow","type":"contact.started","at":${T},"contactId":"s","channel":"app"}]`;
    const res = await post(body);
    expect(res.status).toBe(202);
    const ack = await res.json();
    expect(ack.accepted).toBe(1);
    expect(ack.rejected).toEqual([
      { index: 0, id: 'deep', errors: [{ path: '(event)', message: 'nested too deeply to store' }] },
    ]);
  });

  it('rejects lone surrogates in extra fields and transcript text, naming the field, so KPIs stay readable', async () => {
    // Found by the ingest fuzz: such an event was stored, DuckDB's JSON reader refused its body, and every
    // KPI refresh after it failed (GET /api/kpis answered 500 until the row was removed by hand).
    const body = `[{"id":"ls1","type":"contact.started","at":${T},"contactId":"ls","channel":"app","crm":{"note":"half \\ud83d"}},{"id":"ls2","type":"transcript.segment","at":${T},"contactId":"ls","speaker":"customer","text":"\\udfff"},{"id":"ls3","type":"contact.started","at":${T},"contactId":"ls3","channel":"app","crm":{"note":"whole \\ud83d\\ude00"}}]`;
    const res = await post(body);
    expect(res.status).toBe(202);
    const ack = await res.json();
    expect(ack.accepted).toBe(1);
    expect(ack.rejected).toEqual([
      { index: 0, id: 'ls1', errors: [{ path: 'crm.note', message: 'must be valid Unicode (no lone surrogates)' }] },
      { index: 1, id: 'ls2', errors: [{ path: 'text', message: 'must be valid Unicode (no lone surrogates)' }] },
    ]);
    expect((await get('/api/kpis')).status).toBe(200);
  });

  it('serves interval tables by dimension and names a bad parameter', async () => {
    const res = await get(`/api/kpis/intervals?from=${T - 3_600_000}&to=${T + 3_600_000}&interval=15m&by=queue`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ interval: '15m', by: 'queue', timeZone: 'UTC' });
    expect(body.rows.length).toBeGreaterThan(0);
    for (const row of body.rows) {
      expect(Date.parse(row.end) - Date.parse(row.start)).toBeLessThanOrEqual(15 * 60_000);
      expect(row.key).toEqual(expect.any(String));
      expect(row.kpis).toHaveProperty('serviceLevel');
    }
    const bad = await get('/api/kpis/intervals?interval=5m&by=planet');
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((d: { path: string }) => d.path);
    expect(paths.sort()).toEqual(['by', 'interval']);
    const tooMany = await get(
      `/api/kpis/intervals?from=${Date.UTC(2020, 0, 1)}&to=${Date.UTC(2026, 0, 1)}&interval=15m`,
    );
    expect(tooMany.status).toBe(400);
  });

  it('filters KPIs by handler, agent or team, one at a time', async () => {
    const range = `from=${T - 4 * 3_600_000}&to=${T + 3_600_000}`;
    const all = (await (await get(`/api/kpis?${range}`)).json()).counters;
    const split = { ai: 0, hybrid: 0, human: 0 };
    for (const h of ['ai', 'hybrid', 'human'] as const) {
      const res = await get(`/api/kpis?${range}&handler=${h}`);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.filter.handler).toBe(h);
      split[h] = body.counters.contacts;
    }
    expect(split).toEqual({ ai: all.contactsAi, hybrid: all.contactsHybrid, human: all.contactsHuman });
    expect(split.ai + split.hybrid + split.human).toBeGreaterThan(0);
    const byAgent = (await (await get(`/api/kpis?${range}&agent=t`)).json()).counters;
    expect(byAgent.handled).toBe(1); // the tie test's wrap-up by agent t
    const both = await get(`/api/kpis?${range}&handler=ai&agent=t`);
    expect(both.status).toBe(400);
  });

  it('serves health, the JSON schema and a 404 for unknown API paths', async () => {
    const health = await (await get('/api/health')).json();
    expect(health.status).toBe('ok');
    expect(health.database.events).toBeGreaterThan(3);
    const schema = await (await get('/api/schema')).json();
    expect(schema.oneOf).toHaveLength(13);
    const missing = await get('/api/nope');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('not_found');
  });
});
