/** Admins switch KPI definitions per queue; the live state and history both follow, and nothing is lost. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../../server/contract/live.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { toKpiSettings } from '../../server/contract/kpi-settings.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { postEvents, signedIn, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

describe('KPI settings', () => {
  let server: TestServer;
  const db = tempDbPath();
  const now = Date.now();
  const put = (path: string, body: unknown) =>
    fetch(server.url + path, {
      method: 'PUT',
      headers: { cookie: server.adminCookie, origin: server.url, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
    const events = new Simulator({ seed: 5, ratePerMinute: 20, start: now - 60 * 60_000 }).advance(now - 60_000);
    for (let i = 0; i < events.length; i += 4000) await postEvents(server, events.slice(i, i + 4000));
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('switches one queue to another definition, live and in history alike', async () => {
    const live = async () => (await (await server.get('/api/live')).json()) as LiveSnapshot;
    const before = await live();
    const queue = before.queues.find((q) => q.answered > 5)!.queue;
    const res = await put(`/api/settings/kpis/queues/${queue}`, {
      settings: { slThresholdSeconds: 1, slVariant: 'answeredOnly' },
      targets: { serviceLevel: { target: 0.9, warn: 0.8, alert: 0.7 } },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).queues[queue].settings).toEqual({ slThresholdSeconds: 1, slVariant: 'answeredOnly' });
    const after = await live();
    const row = after.queues.find((q) => q.queue === queue)!;
    expect(after.settings.queues?.[queue]).toEqual({ slThresholdSeconds: 1, slVariant: 'answeredOnly' });
    expect(row.serviceLevel).not.toBe(before.queues.find((q) => q.queue === queue)!.serviceLevel);
    const history = await (await server.get(`/api/kpis?queue=${queue}&from=${now - 2 * 3_600_000}`)).json();
    expect(history.settings).toEqual({ slThresholdSeconds: 1, shortAbandonSeconds: 5, slVariant: 'answeredOnly' });
    expect(history.definitions.serviceLevel).toContain('abandons ignored');
    // Other queues keep the defaults.
    const other = after.queues.find((q) => q.queue !== queue && q.answered > 0)!;
    expect(other.serviceLevel).toBe(before.queues.find((q) => q.queue === other.queue)!.serviceLevel);
    const audit = await server.tandem.auth.audit.list({ action: 'settings.kpis' });
    expect(audit[0]).toMatchObject({ target: `kpis:queue:${queue}` });
  });

  it('loses and doubles nothing when events arrive while the live state is rebuilt', async () => {
    const sim = new Simulator({ seed: 9, ratePerMinute: 30, start: now - 30 * 60_000, idPrefix: 'during' });
    const extra = sim.advance(now - 30_000);
    const posting = (async () => {
      for (let i = 0; i < extra.length; i += 200) await postEvents(server, extra.slice(i, i + 200));
    })();
    await put('/api/settings/kpis', { settings: { slThresholdSeconds: 30 } });
    await put('/api/settings/kpis', { settings: { slThresholdSeconds: 25, slVariant: 'anyExitWithin' } });
    await posting;
    await server.tandem.store.drain();
    const t = server.tandem;
    const at = Date.now();
    const sql = await kpiCounters(
      t.db,
      { from: t.engine.snapshot(at).dayStart, to: at },
      toKpiSettings(t.kpiSettings),
      at,
    );
    const live = t.engine.todayCounters(at);
    expect(live.contacts).toBe(sql.contacts);
    expect(live.offered).toBe(sql.offered);
    expect(live.answeredWithinThreshold).toBe(sql.answeredWithinThreshold);
    expect(live.exitsWithinThreshold).toBe(sql.exitsWithinThreshold);
  });

  it('rejects targets in the wrong order and unknown variants, naming the field', async () => {
    const bad = await put('/api/settings/kpis', {
      settings: { slVariant: 'fastest' },
      targets: { asaSeconds: { target: 60, warn: 30, alert: 20 } },
    });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['settings.slVariant', 'targets.asaSeconds']));
  });

  it('takes business hours and a time zone, and limits history to open hours when asked', async () => {
    const bad = await put('/api/settings/kpis', {
      settings: { timeZone: 'Mars/Olympus', businessHours: { mon: [['09:00', '08:00']], fri: [['9:00', '17:00']] } },
    });
    expect(bad.status).toBe(400);
    const details = (await bad.json()).error.details as { path: string; message: string }[];
    expect(details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['settings.timeZone', 'settings.businessHours.mon.0', 'settings.businessHours.fri.0.0']),
    );
    expect(details.find((d) => d.path === 'settings.businessHours.mon.0')?.message).toBe('must close after it opens');

    // Open only during the quarter hour 30–45 minutes ago (local = UTC here), every day of the week.
    const q = 15 * 60_000;
    const opens = Math.floor((now - 45 * 60_000) / q) * q;
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    const day = [[hhmm(opens), hhmm(opens + q).replace(/^00:00$/, '24:00')]];
    const week = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, day]));
    const ok = await put('/api/settings/kpis', { settings: { timeZone: 'UTC', businessHours: week } });
    expect(ok.status).toBe(200);
    const range = `from=${opens - 60 * 60_000}&to=${opens + 2 * q}`;
    const all = await (await server.get(`/api/kpis?${range}`)).json();
    const business = await (await server.get(`/api/kpis?${range}&hours=business`)).json();
    expect(business.hours).toBe('business');
    expect(business.settings.businessHours).toEqual(week);
    expect(business.counters.contacts).toBeGreaterThan(0);
    expect(business.counters.contacts).toBeLessThan(all.counters.contacts);
    const rows = (await (await server.get(`/api/kpis/intervals?${range}&interval=15m`)).json()).rows as {
      start: string;
      open: boolean;
      counters: { contacts: number };
    }[];
    expect(rows.filter((r) => r.open).map((r) => Date.parse(r.start))).toEqual([opens]);
    expect(rows.find((r) => r.open)!.counters.contacts).toBe(business.counters.contacts);
    await put('/api/settings/kpis', { settings: { timeZone: 'UTC' } });
  });

  it('keeps the default targets when a change leaves them out, and lets an admin remove any of them', async () => {
    const targets = async () => (await (await server.get('/api/settings/kpis')).json()).defaults.targets;
    const before = await targets();
    expect(before.serviceLevel).toEqual({ target: 0.8, warn: 0.7, alert: 0.6 });
    expect((await put('/api/settings/kpis', { settings: { slThresholdSeconds: 25 } })).status).toBe(200);
    expect(await targets()).toEqual(before);
    const { serviceLevel: _removed, ...rest } = before;
    expect((await put('/api/settings/kpis', { settings: { slThresholdSeconds: 25 }, targets: rest })).status).toBe(200);
    expect((await targets()).serviceLevel).toBeUndefined();
    expect(await targets()).toEqual(rest);
    await put('/api/settings/kpis', { settings: { timeZone: 'UTC' }, targets: before });
  });

  it('shows a scoped supervisor only the settings of their queues, and keeps settings across a restart', async () => {
    const { cookie } = await signedIn(server.tandem, ['supervisor'], { scopeQueues: ['nowhere'] });
    const seen = await (await fetch(`${server.url}/api/settings/kpis`, { headers: { cookie } })).json();
    expect(seen.queues).toEqual({});
    const saved = server.tandem.kpiSettings;
    await server.close();
    server = await startTestServer({ dbPath: db.path });
    expect(server.tandem.kpiSettings).toEqual(saved);
  });
});
