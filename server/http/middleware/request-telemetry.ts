/**
 * Times every request and records it under its route pattern (never the raw path, which would make
 * one series per contact id), method and status class; and logs one structured line per request at
 * debug level (trace for the built app's files, which a page fetches by the dozen).
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from 'pino';
import type { Histogram } from '../../metrics/metrics-registry.ts';
import type { AppEnv } from '../env.ts';

export function requestTelemetry(histogram: Histogram, log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      // The handler that answered (or threw); -1 would be the last route matched, not the one reached.
      const route = routePath(c) || 'unmatched';
      // A page answered by the web app has written the Node response itself (c.res is only a marker).
      const outgoing = c.env?.outgoing;
      const status = outgoing?.headersSent ? outgoing.statusCode : c.res.status;
      const method = c.req.method;
      histogram.observe(seconds, { route, method, status: `${Math.floor(status / 100)}xx` });
      const level = c.req.path.startsWith('/_app/') ? 'trace' : 'debug';
      if (log.isLevelEnabled(level)) {
        // The path only where the pattern has no parameter: parameters carry display-link secrets
        // (/d/:token) and contact ids, which the log has no business keeping.
        const path = route.includes(':') ? undefined : c.req.path;
        log[level]({ method, route, path, status, ms: Math.round(seconds * 10_000) / 10 }, 'request');
      }
    }
  };
}
