import { describe, expect, it } from 'vitest';
import { dayStart, localDay } from '../time.ts';
import { rollup, type ScoredContact } from './score-rollups.ts';

const row = (over: Partial<ScoredContact>): ScoredContact => ({
  contact_id: 'c',
  start_ms: Date.UTC(2026, 10, 20, 12),
  agent: null,
  bot: null,
  queue: null,
  score: null,
  bot_score: null,
  agent_score: null,
  handoff_score: null,
  failed_critical: false,
  ...over,
});

describe('localDay', () => {
  it('names the day in the zone, across midnight and a DST change', () => {
    expect(localDay(Date.UTC(2026, 10, 20, 16, 30), 'Asia/Shanghai')).toBe('2026-11-21');
    expect(localDay(Date.UTC(2026, 10, 20, 15, 59), 'Asia/Shanghai')).toBe('2026-11-20');
    // New York leaves summer time on 1 November 2026: 04:30 UTC is 23:30 the day before.
    expect(localDay(Date.UTC(2026, 10, 2, 4, 30), 'America/New_York')).toBe('2026-11-01');
  });
});

describe('dayStart', () => {
  it('finds local midnight in zones east and west, and on a day with a DST change', () => {
    expect(dayStart('2026-11-21', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 20, 16));
    expect(dayStart('2026-11-21', 'Pacific/Kiritimati')).toBe(Date.UTC(2026, 10, 20, 10));
    expect(dayStart('2026-11-01', 'America/New_York')).toBe(Date.UTC(2026, 10, 1, 4));
    expect(dayStart('2026-11-02', 'America/New_York')).toBe(Date.UTC(2026, 10, 2, 5));
    // The day after 1 November, which had 25 hours there.
    expect(dayStart('2026-11-01', 'America/New_York', 1)).toBe(Date.UTC(2026, 10, 2, 5));
    expect(dayStart('2026-12-31', 'UTC', 1)).toBe(Date.UTC(2027, 0, 1));
    expect(dayStart('2026-11-21', 'Pacific/Pago_Pago')).toBe(Date.UTC(2026, 10, 21, 11));
  });
});

describe('rollup', () => {
  it('counts, averages each score where it applied and gives the critical-fail share, unknown key last', () => {
    const rows = rollup(
      [
        row({ agent: 'b', score: 80, agent_score: 70 }),
        row({ agent: 'a', score: 0, agent_score: 0, failed_critical: true }),
        row({ agent: 'a', score: 90, agent_score: null, bot_score: 50 }),
        row({ agent: null, score: 40 }),
        row({ agent: 'a', score: 61, agent_score: 33.3 }),
      ],
      'agent',
      'UTC',
    );
    expect(rows).toEqual([
      { key: 'a', count: 3, overall: 50.3, bot: 50, agent: 16.7, handoff: null, criticalFailRate: 33.3 },
      { key: 'b', count: 1, overall: 80, bot: null, agent: 70, handoff: null, criticalFailRate: 0 },
      { key: null, count: 1, overall: 40, bot: null, agent: null, handoff: null, criticalFailRate: 0 },
    ]);
  });

  it('groups by the local day of the contact start, in order', () => {
    const rows = rollup(
      [
        row({ start_ms: Date.UTC(2026, 10, 21, 1), score: 10 }),
        row({ start_ms: Date.UTC(2026, 10, 20, 23), score: 20 }),
        row({ start_ms: Date.UTC(2026, 10, 20, 15), score: 30 }),
      ],
      'day',
      'Asia/Shanghai',
    );
    expect(rows.map((r) => [r.key, r.count, r.overall])).toEqual([
      ['2026-11-20', 1, 30],
      ['2026-11-21', 2, 15],
    ]);
  });
});
