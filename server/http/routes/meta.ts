/** Health and the published event contract. */
import { Hono } from 'hono';
import { can } from '../../auth/principal.ts';
import { eventJsonSchema } from '../../contract/events.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { VERSION } from '../../version.ts';

export function metaRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Anyone (a load balancer) may ask whether we are up; only admins see the details.
  app.get('/api/health', allow('public'), async (c) => {
    try {
      const [row] = await t.db.query<{ events: number; contacts: number }>(
        "SELECT count(*) AS events, count(DISTINCT contact_id) FILTER (WHERE type = 'contact.started') AS contacts FROM events",
      );
      if (!can(c.get('principal'), 'admin')) return c.json({ status: 'ok', version: VERSION });
      return c.json({
        status: 'ok',
        version: VERSION,
        uptimeSeconds: Math.round((Date.now() - t.startedAt) / 1000),
        demo: t.config.demo,
        timeZone: t.timeZone,
        database: { path: t.db.path, status: 'ok', events: row?.events ?? 0, contacts: row?.contacts ?? 0 },
        liveClients: t.hub.clientCount,
      });
    } catch (err) {
      t.log.error({ err }, 'health check failed');
      return c.json({ status: 'degraded', version: VERSION, database: { status: 'error' } }, 503);
    }
  });
  const schema = eventJsonSchema();
  app.get('/api/schema', allow('public'), (c) => c.json(schema));
  return app;
}
