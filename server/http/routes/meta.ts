/** Health and the published event contract. */
import { Hono } from 'hono';
import { can } from '../../auth/principal.ts';
import { eventJsonSchema } from '../../contract/events.ts';
import { checkHealth } from '../../health/health-check.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { VERSION } from '../../version.ts';

export function metaRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Anyone (a load balancer) may ask whether we are up and what is degraded, in words that hold no
  // secret (no paths, no error text: those go to the log); only admins see the details.
  app.get('/api/health', allow('public'), async (c) => {
    const health = await checkHealth(t.db, t.log, t.cluster?.health() ?? null);
    const code = health.status === 'down' ? 503 : 200;
    const degraded = health.degraded.map(({ part, reason }) => ({ part, reason }));
    if (!can(c.get('principal'), 'admin')) return c.json({ status: health.status, version: VERSION, degraded }, code);
    let counts: { events: number; contacts: number } | null = null;
    if (health.lag) {
      try {
        // A scan of the whole log: worth it for an admin's look, never for every load-balancer probe.
        [counts = null] = await t.db.query<{ events: number; contacts: number }>(
          "SELECT count(*) AS events, count(DISTINCT contact_id) FILTER (WHERE type = 'contact.started') AS contacts FROM events",
        );
      } catch (err) {
        t.log.error({ err }, 'health check: could not count events');
      }
    }
    return c.json(
      {
        status: health.status,
        version: VERSION,
        degraded,
        uptimeSeconds: Math.round((Date.now() - t.startedAt) / 1000),
        demo: t.config.demo,
        timeZone: t.timeZone,
        database: {
          path: t.db.path,
          status: health.lag ? 'ok' : 'error',
          writes: health.writes,
          events: counts?.events ?? 0,
          contacts: counts?.contacts ?? 0,
        },
        lag: health.lag ? { kpiFacts: health.lag.kpiFacts, transcriptIndex: health.lag.transcriptIndex } : null,
        liveClients: t.hub.clientCount,
        // Embedded: no message bus to report on. Scale-out: the shared stream as this node reads it.
        nats: t.cluster
          ? {
              stream: t.cluster.eventLog.stream,
              position: t.cluster.follower.state.position,
              invalid: t.cluster.follower.state.invalid,
              ...t.cluster.health(),
            }
          : 'not used',
      },
      code,
    );
  });
  const schema = eventJsonSchema();
  app.get('/api/schema', allow('public'), (c) => c.json(schema));
  return app;
}
