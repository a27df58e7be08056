/** Health and the published event contract. */
import { Hono } from 'hono';
import { eventJsonSchema } from '../../contract/events.ts';
import type { Tandem } from '../../tandem.ts';
import { VERSION } from '../../version.ts';

export function metaRoutes(t: Tandem): Hono {
  const app = new Hono();
  app.get('/api/health', async (c) => {
    try {
      const [row] = await t.db.query<{ events: number; contacts: number }>(
        "SELECT count(*) AS events, count(DISTINCT contact_id) FILTER (WHERE type = 'contact.started') AS contacts FROM events",
      );
      return c.json({
        status: 'ok',
        version: VERSION,
        uptimeSeconds: Math.round((Date.now() - t.startedAt) / 1000),
        demo: t.config.demo,
        timeZone: t.config.timeZone,
        database: { path: t.db.path, status: 'ok', events: row?.events ?? 0, contacts: row?.contacts ?? 0 },
        liveClients: t.hub.clientCount,
      });
    } catch (err) {
      return c.json(
        { status: 'degraded', version: VERSION, database: { status: 'error', message: (err as Error).message } },
        503,
      );
    }
  });
  const schema = eventJsonSchema();
  app.get('/api/schema', (c) => c.json(schema));
  return app;
}
