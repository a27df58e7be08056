/**
 * Cross-site websocket hijacking defence: browsers send Origin on every websocket handshake and
 * attach cookies whatever the origin, so a handshake from another origin is refused. Producers
 * (no browser, no Origin header) authenticate with a Bearer key instead.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { Forbidden } from '../errors.ts';
import { isOwnOrigin, type SameOriginOptions } from './same-origin.ts';

export function websocketOrigin(options: SameOriginOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && !isOwnOrigin(origin, new URL(c.req.url).host, options, c.req.header('x-forwarded-host'))) {
      throw new Forbidden('websocket from another origin refused');
    }
    if (!origin && c.get('authVia') !== 'key' && c.get('authVia') !== 'none') {
      // A cookie-authenticated handshake without Origin did not come from a browser page of ours.
      throw new Forbidden('the Origin header is required for this websocket');
    }
    return next();
  };
}
