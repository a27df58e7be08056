/**
 * Rollups answer for whole past days exactly as the facts do, in any zone, interval, split and
 * business hours; they are summed again when (and only when) facts they depend on change, and they
 * outlive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_KPI_SETTINGS,
  emptyCounters,
  type BusinessHours,
  type KpiSettings,
} from '../../server/contract/kpis.ts';
import { openDatabase, type Database } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { openSpans } from '../../server/kpi/business-hours.ts';
import { refreshFacts } from '../../server/kpi/kpi-facts.ts';
import { sumFacts, type IntervalQuery } from '../../server/kpi/kpi-interval-sql.ts';
import { kpiIntervals } from '../../server/kpi/kpi-intervals.ts';
import {
  columnOf,
  ROLLUP_DIMENSIONS,
  rollupDays,
  rollupShape,
  SUMMED,
  warmRollups,
} from '../../server/kpi/kpi-rollups.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { tempDbPath } from '../helpers/server.ts';

const H = 3_600_000;
const DAY = 24 * H;
// Four days around the end of daylight saving time in New York (1 November 2026).
const start = Date.UTC(2026, 9, 30, 0);
const end = Date.UTC(2026, 10, 3, 6);
const now = end + H;

async function load(path = ':memory:'): Promise<{ db: Database; ingest: Ingest; events: Record<string, unknown>[] }> {
  const db = await openDatabase(path);
  await migrate(db);
  const ingest = new Ingest(new EventStore(db), { now: () => now });
  const sim = new Simulator({ seed: 5, ratePerMinute: 1.5, start, idPrefix: 'r', transcripts: false });
  const events = sim.advance(end) as Record<string, unknown>[];
  await ingest.ingest(events);
  return { db, ingest, events };
}

const atOf = (e: Record<string, unknown>) => new Date(e.at as string | number).getTime();

const rolledDays = (db: Database, shape: string) =>
  db.query<{ day_ms: number; watermark: number }>(
    'SELECT day_ms, watermark FROM kpi_rollup_days WHERE shape = ? ORDER BY day_ms',
    [shape],
  );

describe('KPI rollups', () => {
  let db: Database;
  let events: Record<string, unknown>[];
  let ingest: Ingest;
  beforeAll(async () => {
    ({ db, events, ingest } = await load());
  });
  afterAll(async () => db?.close());

  it('keep a column for every numeric counter, in the table', async () => {
    const numeric = Object.entries(emptyCounters())
      .filter(([, v]) => typeof v === 'number')
      .map(([k]) => k);
    expect([...SUMMED].sort()).toEqual(numeric.sort());
    const columns = await db.query<{ column_name: string }>('DESCRIBE kpi_rollup_slots');
    expect(columns.map((c) => c.column_name)).toEqual(['shape', 'day_ms', 'slot_ms', 'key', ...SUMMED.map(columnOf)]);
  });

  it('take only whole local days that have ended, and no filtered query', () => {
    const tz = 'America/New_York';
    const q: IntervalQuery = { from: start, to: end, interval: '1h', by: 'none', timeZone: tz };
    // 30 Oct 00:00 UTC is 29 Oct 20:00 in New York: the first whole day is 30 Oct, the last 2 Nov.
    expect(rollupDays(q, now).map((d) => (d.end - d.start) / H)).toEqual([24, 24, 25, 24]);
    expect(rollupDays(q, Date.UTC(2026, 10, 2, 4, 59))).toHaveLength(2);
    expect(rollupDays({ ...q, channel: 'chat' }, now)).toEqual([]);
    expect(rollupDays({ ...q, queues: ['sales'] }, now)).toEqual([]);
    expect(rollupDays({ ...q, by: 'queue', queues: ['sales'] }, now)).toHaveLength(4);
    expect(rollupDays({ ...q, by: 'team' }, now)).toEqual([]);
    expect(rollupDays({ ...q, by: 'agent' }, now)).toEqual([]);
    // Spans that cut a quarter hour (settings cannot make them) are summed from the facts.
    expect(rollupDays({ ...q, open: [[start + 2 * DAY + 17 * 60_000, end]] }, now)).toEqual([]);
  });

  it('answer exactly as the facts do, in every zone, interval, split and business hours', async () => {
    await refreshFacts(db);
    // Monday 2 November and the night of the clocks going back in New York, 1 November.
    const hours: BusinessHours = {
      mon: [
        ['08:30', '12:00'],
        ['13:00', '24:00'],
      ],
      sat: [['09:00', '13:15']],
      sun: [['00:00', '03:00']],
    };
    const settings: KpiSettings = {
      ...DEFAULT_KPI_SETTINGS,
      queues: { sales: { slThresholdSeconds: 45, shortAbandonSeconds: 2 } },
    };
    for (const timeZone of ['America/New_York', 'Asia/Kathmandu', 'UTC']) {
      const open = openSpans(start, end, hours, timeZone);
      for (const interval of ['15m', '1h', '1d', 'range'] as const) {
        for (const by of ROLLUP_DIMENSIONS) {
          for (const o of [undefined, open]) {
            const q: IntervalQuery = { from: start + 90 * 60_000, to: end, interval, by, timeZone, open: o };
            const label = `${timeZone} ${interval} by ${by}${o ? ' open' : ''}`;
            expect(rollupDays(q, now).length, label).toBeGreaterThan(1);
            expect(await kpiIntervals(db, q, settings, now), label).toEqual(await sumFacts(db, q, settings, now));
          }
        }
      }
    }
    const sales = { ...DEFAULT_KPI_SETTINGS, queues: settings.queues };
    const q: IntervalQuery = { from: start, to: end, interval: '1h', by: 'queue', timeZone: 'UTC', queues: ['sales'] };
    expect(await kpiIntervals(db, q, sales, now)).toEqual(await sumFacts(db, q, sales, now));
    // The range, through the function /api/kpis uses, in the zone that says which days are whole.
    expect(await kpiCounters(db, { from: start + H, to: end, timeZone: 'Asia/Kathmandu' }, settings, now)).toEqual(
      (
        await sumFacts(db, { from: start + H, to: end, interval: 'range', by: 'none', timeZone: 'UTC' }, settings, now)
      )[0]!.counters,
    );
  }, 120_000);

  it('sum again only the days that late events change', async () => {
    const tz = 'UTC';
    const q: IntervalQuery = { from: start, to: end, interval: '1d', by: 'handler', timeZone: tz };
    const shape = rollupShape('handler', tz, DEFAULT_KPI_SETTINGS);
    await kpiIntervals(db, q, DEFAULT_KPI_SETTINGS, now);
    const before = await rolledDays(db, shape);
    expect(before).toHaveLength(4);
    // A survey for a contact of the second day, sent late.
    const contact = events.find((e) => e.type === 'contact.started' && atOf(e) > start + DAY + 6 * H)!;
    await ingest.ingest([
      {
        id: 'late-survey',
        type: 'survey.completed',
        at: atOf(contact) + H,
        contactId: contact.contactId,
        csat: 5,
      },
    ]);
    const answer = await kpiIntervals(db, q, DEFAULT_KPI_SETTINGS, now);
    expect(answer).toEqual(await sumFacts(db, q, DEFAULT_KPI_SETTINGS, now));
    const after = await rolledDays(db, shape);
    expect(after.map((d) => d.watermark > before.find((b) => b.day_ms === d.day_ms)!.watermark)).toEqual([
      false,
      true,
      false,
      false,
    ]);
  });

  it('count a returning customer against days within the FCR horizon only', async () => {
    const tz = 'UTC';
    const short: KpiSettings = { ...DEFAULT_KPI_SETTINGS, fcrHorizonDays: 1 };
    const q: IntervalQuery = { from: start, to: end, interval: '1d', by: 'none', timeZone: tz };
    await kpiIntervals(db, q, DEFAULT_KPI_SETTINGS, now);
    await kpiIntervals(db, q, short, now);
    const week = await rolledDays(db, rollupShape('none', tz, DEFAULT_KPI_SETTINGS));
    const day = await rolledDays(db, rollupShape('none', tz, short));
    // A customer last seen more than two days ago comes back today.
    const last = new Map<unknown, number>();
    for (const e of events) if (e.type === 'contact.started' && e.customerId) last.set(e.customerId, atOf(e));
    const [customerId, lastSeen] = [...last].find(([, at]) => at < start + 2 * DAY)!;
    const back = {
      id: 'back',
      type: 'contact.started',
      at: end + 10 * 60_000,
      contactId: 'back',
      customerId,
      channel: 'chat',
    };
    await ingest.ingest([back]);
    for (const s of [DEFAULT_KPI_SETTINGS, short]) {
      expect(await kpiIntervals(db, q, s, now)).toEqual(await sumFacts(db, q, s, now));
    }
    const changed = (was: typeof week, is: typeof week) =>
      is.filter((d) => d.watermark > was.find((b) => b.day_ms === d.day_ms)!.watermark).map((d) => d.day_ms);
    // Under a 7-day horizon the first day's FCR may have changed; under a 1-day horizon nothing could.
    expect(changed(week, await rolledDays(db, rollupShape('none', tz, DEFAULT_KPI_SETTINGS)))).toEqual([
      Math.floor(lastSeen / DAY) * DAY,
    ]);
    expect(changed(day, await rolledDays(db, rollupShape('none', tz, short)))).toEqual([]);
  });
});

describe('KPI rollups on disk', () => {
  it('are read back after a restart instead of summed again', async () => {
    const file = tempDbPath();
    try {
      const tz = 'Asia/Shanghai';
      const q: IntervalQuery = { from: start, to: end, interval: '1h', by: 'queue', timeZone: tz };
      const first = await load(file.path);
      const answer = await kpiIntervals(first.db, q, DEFAULT_KPI_SETTINGS, now);
      await first.db.close();

      const db = await openDatabase(file.path);
      // Marking the stored sums proves the answer comes from them: the facts did not change.
      await db.write((tx) => tx.query('UPDATE kpi_rollup_slots SET offered = offered + 1000'));
      const again = await kpiIntervals(db, q, DEFAULT_KPI_SETTINGS, now);
      const offered = (rows: typeof answer) => rows.reduce((s, r) => s + r.counters.offered, 0);
      const slots = await db.query<{ n: number }>('SELECT count(*) AS n FROM kpi_rollup_slots');
      const days = rollupDays(q, now);
      const marked = await db.query<{ n: number }>(
        `SELECT count(*) AS n FROM kpi_rollup_slots WHERE shape = ? AND day_ms >= ? AND day_ms < ?`,
        [rollupShape('queue', tz, DEFAULT_KPI_SETTINGS), days[0]!.start, days.at(-1)!.end],
      );
      expect(slots[0]!.n).toBeGreaterThan(0);
      expect(offered(again)).toBe(offered(answer) + 1000 * marked[0]!.n);
      await db.close();
    } finally {
      file.cleanup();
    }
  }, 60_000);

  it('are summed ahead for recent days, every split, and dropped when the settings change', async () => {
    const { db } = await load();
    const tz = 'UTC';
    await refreshFacts(db);
    let summed = 0;
    for (let step = 0; step < 20; step++) {
      const n = await warmRollups(db, DEFAULT_KPI_SETTINGS, tz, now, 5);
      if (n === 0) break;
      summed += n;
    }
    // Five days back from 3 November: 29 October to 2 November, for every split.
    expect(summed).toBe(5 * ROLLUP_DIMENSIONS.length);
    expect(await warmRollups(db, DEFAULT_KPI_SETTINGS, tz, now, 5)).toBe(0);
    const other = { ...DEFAULT_KPI_SETTINGS, slThresholdSeconds: 30 };
    expect(await warmRollups(db, other, tz, now, 5)).toBeGreaterThan(0);
    const shapes = await db.query<{ shape: string }>('SELECT DISTINCT shape FROM kpi_rollup_days');
    expect(shapes.map((s) => s.shape)).not.toContain(rollupShape('none', tz, DEFAULT_KPI_SETTINGS));
    await db.close();
  }, 60_000);
});
