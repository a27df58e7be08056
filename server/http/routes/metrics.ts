/**
 * GET /metrics in the Prometheus text format. The figures (traffic, lag, client counts) describe the
 * business and the deployment, so they are not public: an admin's session may read them, and so may a
 * scraper presenting `Authorization: Bearer <TANDEM_METRICS_TOKEN>` (Prometheus' `authorization`
 * setting). Without that variable only admins can. Loopback-only was not chosen: behind a reverse
 * proxy every caller looks local.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { METRICS_CONTENT_TYPE } from '../../metrics/metrics-registry.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow, permits } from '../middleware/allow.ts';
import { Forbidden, Unauthorized } from '../errors.ts';

/** Whether the Authorization header carries the metrics token; compared in constant time. */
export function presentsMetricsToken(authorization: string | undefined, token: string | null): boolean {
  if (!token) return false;
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function metricsRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // 'public' at the router: the token is not a principal, so the check is made here, in the one place.
  app.get('/metrics', allow('public'), async (c) => {
    const p = c.get('principal');
    if (!presentsMetricsToken(c.req.header('authorization'), t.config.metricsToken) && !permits('admin', p)) {
      if (p.kind === 'anonymous') throw new Unauthorized('an admin session or the metrics token is required');
      throw new Forbidden();
    }
    const text = await t.metrics.registry.render();
    return c.body(text, 200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' });
  });
  return app;
}
