/**
 * A fixed simulated day, with the expected figures computed here, independently and naively, from the
 * event list (loops, no shared code with either engine); both engines must produce them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KPI_SETTINGS } from '../../server/contract/kpis.ts';
import type { TandemEvent } from '../../server/contract/events.ts';
import { openDatabase } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { LiveEngine } from '../../server/live/live-engine.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { Simulator } from '../../server/simulator/simulator.ts';

const dayStart = Date.UTC(2026, 2, 3);
const now = dayStart + 14 * 3_600_000;
type E = TandemEvent & { atMs: number } & Record<string, unknown>;

function reference(events: E[], from: number, to: number) {
  const inRange = (t: number) => t >= from && t < to;
  const of = (type: string) => events.filter((e) => e.type === type);
  const starts = new Map<string, E>();
  for (const e of of('contact.started')) {
    const c = e.contactId as string;
    if (!starts.has(c) || e.atMs < starts.get(c)!.atMs) starts.set(c, e);
  }
  const r = {
    contacts: 0,
    ai: 0,
    hybrid: 0,
    human: 0,
    offered: 0,
    answered: 0,
    within: 0,
    waitMs: 0,
    abandoned: 0,
    short: 0,
    transferred: 0,
    handled: 0,
    handleMs: 0,
    bots: 0,
    contained: 0,
    escalated: 0,
    csatN: 0,
    csatTop2: 0,
    promoters: 0,
    detractors: 0,
    npsN: 0,
    conversions: 0,
    fcrContacts: 0,
    fcrRepeated: 0,
  };
  for (const [c, s] of starts) {
    if (!inRange(s.atMs)) continue;
    r.contacts++;
    const bot = events.filter((e) => e.contactId === c && (e.type === 'bot.started' || e.type === 'bot.ended'));
    if (bot.some((e) => e.type === 'bot.ended' && e.outcome === 'escalated')) r.hybrid++;
    else if (bot.length) r.ai++;
    else r.human++;
  }
  for (const e of of('queue.entered')) if (inRange(e.atMs)) r.offered++;
  for (const l of of('queue.left')) {
    if (!inRange(l.atMs)) continue;
    const entries = of('queue.entered').filter(
      (e) => e.contactId === l.contactId && e.queue === l.queue && e.atMs <= l.atMs,
    );
    const wait = entries.length ? l.atMs - Math.max(...entries.map((e) => e.atMs)) : null;
    if (l.outcome === 'answered') {
      r.answered++;
      if (wait !== null) r.waitMs += wait;
      if (wait !== null && wait <= 20_000) r.within++;
    } else if (l.outcome === 'abandoned') {
      if (wait !== null && wait < 5_000) r.short++;
      else r.abandoned++;
    } else r.transferred++;
  }
  for (const w of of('wrapup.completed')) {
    if (!inRange(w.atMs)) continue;
    let best: E | null = null;
    for (const a of of('queue.left')) {
      if (a.outcome !== 'answered' || a.contactId !== w.contactId || a.agentId !== w.agentId || a.atMs > w.atMs)
        continue;
      if (!best || a.atMs > best.atMs || (a.atMs === best.atMs && a.id > best.id)) best = a;
    }
    if (best) {
      r.handled++;
      r.handleMs += w.atMs - best.atMs;
    }
  }
  for (const e of events) {
    if (!inRange(e.atMs)) continue;
    if (e.type === 'bot.started') r.bots++;
    if (e.type === 'bot.ended' && e.outcome === 'contained') r.contained++;
    if (e.type === 'bot.ended' && e.outcome === 'escalated') r.escalated++;
    if (e.type === 'survey.completed' && typeof e.csat === 'number') {
      r.csatN++;
      if (e.csat >= 4) r.csatTop2++;
    }
    if (e.type === 'survey.completed' && typeof e.nps === 'number') {
      r.npsN++;
      if (e.nps >= 9) r.promoters++;
      if (e.nps <= 6) r.detractors++;
    }
  }
  const firstConversion = new Map<string, number>();
  for (const e of of('contact.converted')) {
    const c = e.contactId as string;
    firstConversion.set(c, Math.min(firstConversion.get(c) ?? Infinity, e.atMs));
  }
  for (const t of firstConversion.values()) if (inRange(t)) r.conversions++;
  const byCustomer = new Map<string, { c: string; at: number }[]>();
  for (const [c, s] of starts) {
    if (typeof s.customerId !== 'string') continue;
    byCustomer.set(s.customerId, [...(byCustomer.get(s.customerId) ?? []), { c, at: s.atMs }]);
  }
  for (const list of byCustomer.values()) {
    list.sort((a, b) => a.at - b.at || (a.c < b.c ? -1 : 1));
    list.forEach((x, i) => {
      if (!inRange(x.at)) return;
      r.fcrContacts++;
      const next = list[i + 1];
      if (next && next.at - x.at <= 7 * 86_400_000) r.fcrRepeated++;
    });
  }
  return r;
}

describe('a fixed day against an independent reference', () => {
  let events: E[];
  let expected: ReturnType<typeof reference>;
  let live: ReturnType<LiveEngine['todayCounters']>;
  let sql: Awaited<ReturnType<typeof kpiCounters>>;

  beforeAll(async () => {
    const raw = new Simulator({ seed: 2026, ratePerMinute: 6, start: dayStart - 3_600_000 }).advance(now);
    events = raw.map((e) => ({ ...e, atMs: typeof e.at === 'number' ? e.at : Date.parse(e.at) }) as E);
    expected = reference(events, dayStart, now);
    const db = await openDatabase(':memory:');
    await migrate(db);
    const engine = new LiveEngine({ timeZone: 'UTC', settings: DEFAULT_KPI_SETTINGS }, now);
    const ingest = new Ingest(new EventStore(db, { onCommitted: (es) => engine.apply(es) }), { now: () => now });
    for (let i = 0; i < raw.length; i += 1000) await ingest.ingest(raw.slice(i, i + 1000));
    live = engine.todayCounters(now);
    sql = await kpiCounters(db, { from: dayStart, to: now }, DEFAULT_KPI_SETTINGS, now);
    await db.close();
  });

  it('has a day worth checking', () => {
    expect(expected.contacts).toBeGreaterThan(200);
    expect(expected.hybrid).toBeGreaterThan(10);
    expect(expected.handled).toBeGreaterThan(50);
    expect(expected.fcrRepeated).toBeGreaterThan(0);
  });

  it.each(['live', 'sql'] as const)('%s engine matches the reference', (which) => {
    const c = which === 'live' ? live : sql;
    expect({
      contacts: c.contacts,
      ai: c.contactsAi,
      hybrid: c.contactsHybrid,
      human: c.contactsHuman,
      offered: c.offered,
      answered: c.answered,
      within: c.answeredWithinThreshold,
      waitMs: c.answeredWaitMs,
      abandoned: c.abandoned,
      short: c.shortAbandoned,
      transferred: c.transferred,
      handled: c.handled,
      handleMs: c.handleMs,
      bots: c.botSessions,
      contained: c.botContained,
      escalated: c.botEscalated,
      csatN: c.csatResponses,
      csatTop2: c.csatTop2,
      promoters: c.npsPromoters,
      detractors: c.npsDetractors,
      npsN: c.npsResponses,
      conversions: c.conversions,
      fcrContacts: c.fcrContacts,
      fcrRepeated: c.fcrRepeated,
    }).toEqual(expected);
  });
});
