/**
 * The Hono app: who is asking (authenticate), CSRF and header defences, API and websocket routes
 * each with its access policy, pages, and errors turned into JSON once at the edge.
 */
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { Tandem } from '../tandem.ts';
import type { AppEnv } from './env.ts';
import { errorBody, HttpError, NotFound, TooManyRequests } from './errors.ts';
import { allow } from './middleware/allow.ts';
import { bodyLimits } from './middleware/body-limits.ts';
import { authenticate, BASIC_KEY_PATHS } from './middleware/authenticate.ts';
import { requestTelemetry } from './middleware/request-telemetry.ts';
import { sameOrigin } from './middleware/same-origin.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { ConnectionLimits } from '../live/connection-limits.ts';
import { adminRoutes } from './routes/admin.ts';
import { backupRoutes } from './routes/backup.ts';
import { authRoutes } from './routes/auth.ts';
import { boardRoutes } from './routes/boards.ts';
import { eventRoutes } from './routes/events.ts';
import { ingestAdapterRoutes } from './routes/ingest-adapters.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { liveRoutes } from './routes/live.ts';
import { metaRoutes } from './routes/meta.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { staffingRoutes } from './routes/staffing.ts';
import { settingsRoutes } from './routes/settings.ts';
import { qaSettingsRoutes } from './routes/qa-settings.ts';
import { summaryRoutes } from './routes/summary.ts';
import { qaRoutes } from './routes/qa.ts';
import { scorecardRoutes } from './routes/scorecards.ts';
import { webRoutes, type WebHandler } from './routes/web.ts';

export type { WebHandler } from './routes/web.ts';

export type AppOptions = {
  upgradeWebSocket?: UpgradeWebSocket | null;
  web?: WebHandler | null;
};

export function createApp(t: Tandem, options: AppOptions = {}): Hono<AppEnv> {
  const ws = options.upgradeWebSocket ?? null;
  const origins = t.config.publicUrl ? [new URL(t.config.publicUrl).origin] : [];
  const app = new Hono<AppEnv>();
  // One count for both websockets: a client address's sockets are its sockets, whichever path they use.
  const limits = new ConnectionLimits({
    maxPerIp: t.config.wsMaxPerIp,
    maxPerPrincipal: t.config.wsMaxPerPrincipal,
  });

  app.use('*', requestTelemetry(t.metrics.httpRequests, t.log));
  app.use('*', authenticate({ auth: t.auth, trustProxy: t.config.trustProxy }));
  app.use('*', securityHeaders());
  app.use('/api/*', sameOrigin({ allowedOrigins: origins, trustProxy: t.config.trustProxy }));
  app.use('/api/*', bodyLimits());

  app.route('/', authRoutes(t));
  app.route('/', adminRoutes(t));
  app.route('/', backupRoutes(t));
  app.route('/', boardRoutes(t));
  app.route('/', eventRoutes(t, ws, origins, limits));
  app.route('/', ingestAdapterRoutes(t));
  app.route('/', liveRoutes(t, ws, origins, limits));
  app.route('/', kpiRoutes(t));
  app.route('/', staffingRoutes(t));
  app.route('/', settingsRoutes(t));
  app.route('/', qaSettingsRoutes(t));
  app.route('/', summaryRoutes(t));
  app.route('/', qaRoutes(t));
  app.route('/', scorecardRoutes(t));
  app.route('/', metaRoutes(t));
  app.route('/', metricsRoutes(t));
  app.all('/api/*', allow('public'), () => {
    throw new NotFound('no such API endpoint; see docs/events.md and /api/schema');
  });
  app.route('/', webRoutes(t, options.web ?? null));

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      if (err instanceof TooManyRequests) c.header('retry-after', String(err.retryAfterSeconds));
      // Twilio sends a webhook URL's Basic credentials only after a 401 that asks for them.
      if (err.status === 401 && c.req.path.startsWith(BASIC_KEY_PATHS)) {
        c.header('www-authenticate', 'Basic realm="Tandem ingest", charset="UTF-8"');
      }
      return c.json(errorBody(err), err.status);
    }
    t.log.error({ err, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}
