/**
 * The executive summary through app.request(): every figure equals /api/kpis for the same range and
 * filter (totals, each handler, handler within segment, channel, escalation reason, each trend day),
 * the comparison is the period it names with deltas taken from both, the exports read back by DuckDB
 * hold the same values, costs follow the settings, and bad addresses are refused by field.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutiveSummary, SummaryGroup } from '../../server/contract/executive.ts';
import type { Kpis } from '../../server/contract/kpis.ts';
import { openDatabase } from '../../server/db/duckdb.ts';
import { createApp } from '../../server/http/app.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const ZONE = 'Asia/Shanghai';
const DAY = 86_400_000;
// 14:00 on Friday 20 November 2026 in Shanghai.
const NOW = Date.UTC(2026, 10, 20, 6);
const ORIGIN = 'http://localhost';

describe('executive summary', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let exec: string;
  let admin: string;
  let supervisor: string;

  const get = (cookie: string, path: string) => app.request(path, { headers: { cookie } });
  const json = async <T>(cookie: string, path: string, status = 200): Promise<T> => {
    const res = await get(cookie, path);
    const body = (await res.json()) as T;
    expect(res.status, `${path}: ${JSON.stringify(body).slice(0, 300)}`).toBe(status);
    return body;
  };
  const summary = (query: string) => json<ExecutiveSummary>(exec, `/api/summary?${query}`);
  const kpis = async (from: number, to: number, filter = '') =>
    (await json<{ kpis: Kpis }>(exec, `/api/kpis?from=${from}&to=${to}${filter}`)).kpis;

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path, timeZone: ZONE, clock: () => NOW }));
    app = createApp(tandem);
    exec = (await signedIn(tandem, ['executive'])).cookie;
    admin = (await signedIn(tandem, ['admin'])).cookie;
    supervisor = (await signedIn(tandem, ['supervisor'])).cookie;
    // Sixteen days of simulated traffic up to now: bots, escalations, VIPs, surveys, sales.
    const sim = new Simulator({ seed: 7, ratePerMinute: 0.9, start: NOW - 16 * DAY });
    for (let t = NOW - 16 * DAY + 6 * 3_600_000; t <= NOW; t += 6 * 3_600_000) {
      const batch = sim.advance(t);
      if (batch.length) await tandem.ingest.ingest(batch);
    }
  }, 120_000);

  afterAll(async () => {
    await tandem?.close();
    db.cleanup();
  });

  /** The KPIs a group shows must be those /api/kpis gives for its range and filter. */
  const same = (shown: SummaryGroup, expected: Kpis, label: string) => expect(shown.kpis, label).toEqual(expected);

  it('gives the numbers /api/kpis gives for the same ranges and filters', async () => {
    const s = await summary('period=last7&compare=previous');
    const { fromMs: from, toMs: to } = s.current.range;
    // The last 7 whole days before today, in the center's zone.
    expect(s.current.range.firstDay).toBe('2026-11-13');
    expect(s.current.range.lastDay).toBe('2026-11-19');
    expect(to - from).toBe(7 * DAY);
    expect(s.current.totals.counters.contacts).toBeGreaterThan(1000);
    same(s.current.totals, await kpis(from, to), 'totals');
    for (const h of ['ai', 'hybrid', 'human'] as const) {
      expect(s.current.byHandler[h].counters.contacts, h).toBeGreaterThan(20);
      same(s.current.byHandler[h], await kpis(from, to, `&handler=${h}`), h);
    }
    const vip = s.current.bySegment.find((g) => g.key === 'vip')!;
    expect(vip.counters.contacts).toBeGreaterThan(20);
    same(vip, await kpis(from, to, '&segment=vip'), 'vip');
    for (const h of ['ai', 'hybrid', 'human'] as const) {
      same(vip.handlers[h], await kpis(from, to, `&segment=vip&handler=${h}`), `vip ${h}`);
    }
    // A channel filter keeps the agents' occupancy, which no channel split can have (docs/metrics.md).
    for (const c of s.current.byChannel) {
      same(c, { ...(await kpis(from, to, `&channel=${c.key}`)), occupancy: null }, `channel ${c.key}`);
    }
    expect(s.current.byEscalation.length).toBeGreaterThan(2);
    for (const e of s.current.byEscalation) same(e, await kpis(from, to, `&escalation=${e.key}`), `reason ${e.key}`);
    // The trend is days, each the day's /api/kpis, adding up to the period.
    expect(s.interval).toBe('1d');
    expect(s.current.trend).toHaveLength(7);
    for (const d of s.current.trend) same(d, await kpis(Date.parse(d.start), Date.parse(d.end)), d.start);
    expect(s.current.trend.reduce((n, d) => n + d.counters.contacts, 0)).toBe(s.current.totals.counters.contacts);
    // A segment's figure drills into the QA search: the same contacts, counted there by their start too.
    for (const h of ['ai', 'hybrid', 'human'] as const) {
      const list = await json<{ total: number }>(
        admin,
        `/api/qa/contacts?from=${s.current.range.firstDay}&to=${s.current.range.lastDay}&segment=vip&handler=${h}`,
      );
      expect(list.total, `vip ${h} in QA`).toBe(vip.handlers[h].counters.contacts);
    }
    // The handler split adds up to the contacts, and so do the segments.
    const byHandler = s.current.byHandler;
    expect(
      byHandler.ai.counters.contacts + byHandler.hybrid.counters.contacts + byHandler.human.counters.contacts,
    ).toBe(s.current.totals.counters.contacts);
    expect(s.current.bySegment.reduce((n, g) => n + g.counters.contacts, 0)).toBe(s.current.totals.counters.contacts);
  }, 60_000);

  it('compares with the period before or the same dates last year, with deltas from both', async () => {
    const s = await summary('period=last7&compare=previous');
    const c = s.comparison!;
    expect([c.range.firstDay, c.range.lastDay]).toEqual(['2026-11-06', '2026-11-12']);
    same(c.totals, await kpis(c.range.fromMs, c.range.toMs), 'comparison totals');
    for (const f of s.findings) {
      if (f.kind !== 'change') continue;
      const now = s.current.totals.kpis[f.metric];
      const before = c.totals.kpis[f.metric];
      expect([f.now, f.before, f.delta]).toEqual([now, before, (now as number) - (before as number)]);
    }
    const year = await summary('period=last7&compare=lastYear');
    expect([year.comparison!.range.firstDay, year.comparison!.range.lastDay]).toEqual(['2025-11-13', '2025-11-19']);
    expect(year.comparison!.totals.counters.contacts).toBe(0);

    // Today so far, against yesterday up to the same time of day, by the hour.
    const today = await summary('period=today');
    expect(today.interval).toBe('1h');
    expect(today.current.range.toMs).toBe(NOW);
    expect(today.current.range.firstDay).toBe('2026-11-20');
    const y = today.comparison!.range;
    expect([y.firstDay, y.toMs - y.fromMs]).toEqual(['2026-11-19', NOW - today.current.range.fromMs]);
    same(today.current.totals, await kpis(today.current.range.fromMs, NOW), 'today');
    same(today.comparison!.totals, await kpis(y.fromMs, y.toMs), 'yesterday so far');

    // This week starts on Monday 16 November; this month on the 1st.
    expect((await summary('period=thisWeek')).current.range.firstDay).toBe('2026-11-16');
    const month = await summary('period=thisMonth&compare=previous');
    expect(month.current.range.firstDay).toBe('2026-11-01');
    expect(month.comparison!.range.firstDay).toBe('2026-10-01');
    expect(month.comparison!.range.toMs - month.comparison!.range.fromMs).toBe(NOW - month.current.range.fromMs);

    // A pinned link: both ranges as instants give the very same figures as the view it was taken from.
    const r = today.current.range;
    const pinned = await summary(
      `period=custom&from=${r.fromMs}&to=${r.toMs}&compare=custom&compareFrom=${y.fromMs}&compareTo=${y.toMs}`,
    );
    expect(pinned.current.totals).toEqual(today.current.totals);
    expect(pinned.comparison!.totals).toEqual(today.comparison!.totals);
    expect(pinned.current.trend).toEqual(today.current.trend);
    expect(pinned.findings).toEqual(today.findings);

    const custom = await summary('period=custom&from=2026-11-10&to=2026-11-12&compare=none');
    expect([custom.current.range.firstDay, custom.current.range.lastDay]).toEqual(['2026-11-10', '2026-11-12']);
    expect(custom.comparison).toBeNull();
    same(custom.current.totals, await kpis(custom.current.range.fromMs, custom.current.range.toMs), 'custom');
  }, 60_000);

  it('prices contacts with the cost settings, and finds the savings', async () => {
    const put = (cookie: string, body: unknown) =>
      app.request('/api/settings/costs', {
        method: 'PUT',
        headers: { cookie, origin: ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await put(exec, { currency: 'CNY', botSessionCost: 1, agentHourCost: 120 })).status).toBe(403);
    const bad = await put(admin, { currency: 'yuan', botSessionCost: -1, agentHourCost: 120 });
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths.sort()).toEqual(['botSessionCost', 'currency']);
    expect((await put(admin, { currency: 'CNY', botSessionCost: 1, agentHourCost: 120 })).status).toBe(200);

    const s = await summary('period=last7');
    for (const h of ['ai', 'hybrid', 'human'] as const) {
      const c = s.current.byHandler[h].counters;
      const cost = s.current.byHandler[h].cost;
      expect(cost.cost, h).toBeCloseTo(c.botSessions * 1 + (c.handleMs / 3_600_000) * 120, 1);
      expect(cost.costPerContact, h).toBeCloseTo(cost.cost / c.contacts, 2);
    }
    expect(s.current.byHandler.ai.cost.handleHours).toBe(0);
    const ai = s.current.byHandler.ai.cost;
    const human = s.current.byHandler.human.cost;
    expect(s.current.costs.currency).toBe('CNY');
    expect(s.current.costs.savings).toBeCloseTo(ai.contacts * (human.cost / human.contacts - ai.cost / ai.contacts), 1);
    expect(s.findings.some((f) => f.kind === 'savings')).toBe(true);
    const audit = await json<{ entries: { action: string }[] }>(admin, '/api/admin/audit');
    expect(audit.entries.map((e) => e.action)).toContain('settings.costs');
  }, 60_000);

  it('exports the same figures as CSV and Parquet that DuckDB reads back', async () => {
    const s = await summary('period=last7');
    const reader = await openDatabase(':memory:');
    try {
      for (const format of ['csv', 'parquet'] as const) {
        const res = await get(exec, `/api/summary.${format}?period=last7`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toContain(`tandem-summary-2026-11-13-to-2026-11-19.${format}`);
        const file = join(db.path, '..', `summary.${format}`);
        writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        const read = format === 'csv' ? `read_csv('${file}', header = true)` : `read_parquet('${file}')`;
        const rows = await reader.query<{
          section: string;
          group: string | null;
          handler: string | null;
          metric: string;
          value: number | null;
        }>(`SELECT section, "group", handler, metric, value FROM ${read} WHERE period = 'current'`);
        const value = (section: string, metric: string, handler: string | null = null, group: string | null = null) =>
          rows.find((r) => r.section === section && r.metric === metric && r.handler === handler && r.group === group)
            ?.value;
        expect(value('totals', 'contacts'), format).toBe(s.current.totals.kpis.contacts);
        expect(value('totals', 'csat'), format).toBeCloseTo(s.current.totals.kpis.csat!, 12);
        expect(value('totals', 'ahtSeconds'), format).toBeCloseTo(s.current.totals.kpis.ahtSeconds!, 9);
        expect(value('handler', 'conversionRate', 'human'), format).toBeCloseTo(
          s.current.byHandler.human.kpis.conversionRate!,
          12,
        );
        expect(value('segment', 'csat', 'human', 'vip'), format).toBeCloseTo(
          s.current.bySegment.find((g) => g.key === 'vip')!.handlers.human.kpis.csat!,
          12,
        );
        expect(value('cost', 'savings'), format).toBeCloseTo(s.current.costs.savings!, 6);
        const trend = rows.filter((r) => r.section === 'trend' && r.metric === 'contacts');
        expect(trend.map((r) => r.value)).toEqual(s.current.trend.map((d) => d.kpis.contacts));
      }
    } finally {
      await reader.close();
    }
  }, 60_000);

  it('refuses bad addresses by field, and callers without the capability', async () => {
    const bad = async (query: string) =>
      (await json<{ error: { details: { path: string }[] } }>(exec, `/api/summary?${query}`, 400)).error.details.map(
        (d) => d.path,
      );
    expect(await bad('period=fortnight')).toEqual(['period']);
    expect(await bad('period=custom&from=2026-11-01')).toEqual(['from']);
    expect(await bad('period=custom&from=2026-11-10&to=2026-11-01')).toEqual(['to']);
    expect(await bad('compare=custom&compareFrom=2026-11-01')).toEqual(['compareFrom']);
    expect(await bad('period=custom&from=2024-01-01&to=2026-11-01')).toEqual(['to']);
    expect(await bad('compare=sometime')).toEqual(['compare']);
    expect(await bad('period=last7&colour=red')).toEqual(['(body)']);
    expect((await get(supervisor, '/api/summary')).status).toBe(403);
    expect((await get(supervisor, '/api/summary.csv')).status).toBe(403);
    expect((await app.request('/api/summary')).status).toBe(401);
  });
});
