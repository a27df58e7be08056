import { describe, expect, it, vi } from 'vitest';
import type { Database } from '../db/duckdb.ts';
import { checkHealth, LAG_THRESHOLDS } from './health-check.ts';

/** A database that answers the lag query with these watermarks, and whose writes do `write`. */
function fakeDb(rows: { top: number; facts: number; transcripts: number } | Error, write: () => Promise<void>) {
  return {
    path: ':memory:',
    query: async () => {
      if (rows instanceof Error) throw rows;
      return [rows];
    },
    write: async () => write(),
  } as unknown as Database;
}
const log = { error: vi.fn() };

describe('health check', () => {
  it('is ok when the database answers and takes writes and the followers keep up', async () => {
    const h = await checkHealth(
      fakeDb({ top: 999, facts: 990, transcripts: 999 }, async () => {}),
      log,
    );
    expect(h).toEqual({
      status: 'ok',
      degraded: [],
      lag: { events: 1000, kpiFacts: 9, transcriptIndex: 0 },
      writes: 'ok',
    });
  });

  it('is degraded, not down, when a follower lags past its threshold', async () => {
    const top = LAG_THRESHOLDS.transcriptIndex * 2;
    const h = await checkHealth(
      fakeDb({ top, facts: top - LAG_THRESHOLDS.kpiFacts - 1, transcripts: -1 }, async () => {}),
      log,
    );
    expect(h.status).toBe('degraded');
    expect(h.degraded.map((d) => [d.part, d.critical])).toEqual([
      ['kpiFacts', false],
      ['transcriptIndex', false],
    ]);
  });

  it('is down when the database refuses a write, and says so without the error text', async () => {
    const h = await checkHealth(
      fakeDb({ top: 5, facts: 5, transcripts: 5 }, async () => {
        throw new Error('IO Error: No space left on device: /secret/path/tandem.duckdb.wal');
      }),
      log,
    );
    expect(h.status).toBe('down');
    expect(h.writes).toBe('failed');
    expect(h.degraded).toEqual([{ part: 'database', reason: 'the database refused a write', critical: true }]);
  });

  it('is down when the database cannot be read', async () => {
    const h = await checkHealth(
      fakeDb(new Error('gone'), async () => {}),
      log,
    );
    expect(h.status).toBe('down');
    expect(h.lag).toBeNull();
    expect(h.degraded[0]).toMatchObject({ part: 'database', critical: true });
  });

  it('calls a write that waits behind the writer busy, not broken', async () => {
    vi.useFakeTimers();
    try {
      const pending = checkHealth(
        fakeDb({ top: 5, facts: 5, transcripts: 5 }, () => new Promise(() => {})),
        log,
      );
      await vi.advanceTimersByTimeAsync(3500);
      const h = await pending;
      expect(h.status).toBe('degraded');
      expect(h.writes).toBe('busy');
      expect(h.degraded[0]).toMatchObject({ part: 'database', critical: false });
    } finally {
      vi.useRealTimers();
    }
  });
});
