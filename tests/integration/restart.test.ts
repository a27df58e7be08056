/** Acknowledged events survive a restart: the same KPIs and live state come back from DuckDB. */
import { describe, expect, it } from 'vitest';
import { postEvents, startTestServer, tempDbPath } from '../helpers/server.ts';
import { Simulator } from '../../server/simulator/simulator.ts';

describe('restart', () => {
  it('rebuilds the same live state and KPIs from the database', async () => {
    const db = tempDbPath();
    const now = Date.now();
    const events = new Simulator({ seed: 3, ratePerMinute: 10, start: now - 90 * 60_000 }).advance(now);
    let server = await startTestServer({ dbPath: db.path });
    try {
      for (let i = 0; i < events.length; i += 4000) {
        expect((await postEvents(server, events.slice(i, i + 4000))).status).toBe(202);
      }
      const range = `from=${now - 2 * 3_600_000}&to=${now}`;
      const kpisBefore = await (await server.get(`/api/kpis?${range}`)).json();
      const liveBefore = await (await server.get(`/api/live`)).json();
      await server.close();

      server = await startTestServer({ dbPath: db.path });
      const kpisAfter = await (await server.get(`/api/kpis?${range}`)).json();
      const liveAfter = await (await server.get(`/api/live`)).json();
      expect(kpisBefore.kpis.contacts).toBeGreaterThan(100);
      expect(kpisAfter.kpis).toEqual(kpisBefore.kpis);
      // Same queues, waiting contacts and agent states; today's counters equal up to the clock moving.
      expect(liveAfter.queues.map((q: { queue: string; waiting: number }) => [q.queue, q.waiting])).toEqual(
        liveBefore.queues.map((q: { queue: string; waiting: number }) => [q.queue, q.waiting]),
      );
      expect(liveAfter.agentCounts).toEqual(liveBefore.agentCounts);
      expect(liveAfter.today.contacts).toBe(liveBefore.today.contacts);
      expect(liveAfter.today.answered).toBe(liveBefore.today.answered);
    } finally {
      await server.close();
      db.cleanup();
    }
  });

  it('starts without walking empty hours when an event carries a far-future time', async () => {
    const db = tempDbPath();
    let server = await startTestServer({ dbPath: db.path });
    try {
      const at = Date.UTC(2099, 11, 31);
      await postEvents(server, [{ id: 'future', type: 'contact.started', at, contactId: 'f', channel: 'app' }]);
      await server.close();
      // Walking every hour up to 2099 would take far longer than the test's timeout.
      server = await startTestServer({ dbPath: db.path });
      const live = await (await server.get(`/api/live`)).json();
      expect(live.today.contacts).toBe(0);
    } finally {
      await server.close();
      db.cleanup();
    }
  });
});
