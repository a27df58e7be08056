/**
 * /metrics with a real server: who may read it (an admin, or a scraper with TANDEM_METRICS_TOKEN), and
 * that the figures follow what happened: events by source and outcome, commits, requests by route
 * pattern, live clients, follower lag, the process. /api/health's degraded list rides along.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { postEvents, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample line, e.g. `tandem_live_clients` or `name{a="b"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  const db = tempDbPath();
  let server: TestServer;
  const scrape = async (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) => {
    const res = await fetch(`${server.url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path, metricsToken: TOKEN });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('is read with the metrics token or an admin session, by nobody else', async () => {
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((await scrape({ cookie: server.adminCookie })).status).toBe(200);
    expect((await scrape({})).status).toBe(401);
    expect((await scrape({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await scrape({ authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).status).toBe(401);
    // An ingest key is a valid credential, but not for this.
    expect((await scrape({ authorization: `Bearer ${server.key}` })).status).toBe(403);
  });

  it('counts events by source and outcome, commits and requests by route pattern', async () => {
    const at = Date.now() - 60_000;
    const events = [
      { id: 'm1', type: 'contact.started', at, contactId: 'c1', channel: 'voice' },
      { id: 'm2', type: 'queue.entered', at: at + 1, contactId: 'c1', queue: 'sales' },
    ];
    expect((await postEvents(server, events)).status).toBe(202);
    expect((await postEvents(server, [events[0], { id: 'bad', type: 'nope' }])).status).toBe(202);
    await fetch(`${server.url}/api/qa/contacts/c1`, { headers: { cookie: server.adminCookie } });
    const { text } = await scrape();
    expect(sample(text, 'tandem_ingest_events_total{via="http",outcome="accepted"}')).toBe(2);
    expect(sample(text, 'tandem_ingest_events_total{via="http",outcome="duplicate"}')).toBe(1);
    expect(sample(text, 'tandem_ingest_events_total{via="http",outcome="rejected"}')).toBe(1);
    expect(sample(text, 'tandem_ingest_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tandem_ingest_commit_failures_total')).toBe(0);
    expect(
      sample(text, 'tandem_http_request_duration_seconds_count{route="/api/events",method="POST",status="2xx"}'),
    ).toBe(2);
    // The route pattern, never the contact's id.
    expect(text).toContain('route="/api/qa/contacts/:id"');
    expect(text).not.toContain('/api/qa/contacts/c1');
    expect(sample(text, 'tandem_events_stored')).toBe(2);
    expect(sample(text, 'tandem_kpi_facts_lag_events')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'tandem_transcript_index_lag_events')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'tandem_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toMatch(/^tandem_event_loop_delay_seconds\{quantile="0\.99"\} /m);
    for (const name of ['tandem_live_updates_skipped_total', 'tandem_live_clients_disconnected_slow_total']) {
      expect(text).toContain(`# TYPE ${name} counter`);
    }
  });

  it('times KPI queries and counts live websocket clients', async () => {
    const now = Date.now();
    expect((await server.get(`/api/kpis?from=${now - 3_600_000}&to=${now}`)).status).toBe(200);
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/ws/live`, {
      headers: { cookie: server.adminCookie, origin: server.url },
    });
    await new Promise((resolve, reject) => {
      ws.once('message', resolve);
      ws.once('error', reject);
    });
    try {
      const { text } = await scrape();
      expect(sample(text, 'tandem_query_duration_seconds_count{query="kpis"}')).toBe(1);
      expect(sample(text, 'tandem_live_clients')).toBe(1);
    } finally {
      ws.terminate();
    }
  });

  it('every metric has HELP and TYPE, and every sample belongs to a declared metric', async () => {
    const { text } = await scrape();
    const declared = new Set([...text.matchAll(/^# TYPE (\S+) (counter|gauge|histogram)$/gm)].map((m) => m[1]!));
    const helped = new Set([...text.matchAll(/^# HELP (\S+) /gm)].map((m) => m[1]!));
    expect([...declared].sort()).toEqual([...helped].sort());
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const name = /^[a-z_:]+/.exec(line)![0];
      const base = name.replace(/_(bucket|sum|count)$/, '');
      expect(declared.has(name) || declared.has(base), line).toBe(true);
      expect(name.startsWith('tandem_'), line).toBe(true);
    }
  });
});

describe('/api/health', () => {
  const db = tempDbPath();
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('tells anyone whether it is up and what is degraded, and admins the details', async () => {
    const pub = await fetch(`${server.url}/api/health`);
    expect(pub.status).toBe(200);
    expect(await pub.json()).toEqual({ status: 'ok', version: expect.any(String), degraded: [] });
    const admin = await (await server.get('/api/health')).json();
    expect(admin).toMatchObject({
      status: 'ok',
      degraded: [],
      demo: false,
      database: { status: 'ok', writes: 'ok', events: 0 },
      lag: { kpiFacts: 0, transcriptIndex: 0 },
      liveClients: 0,
      nats: 'not used',
    });
  });
});
