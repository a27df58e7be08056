/**
 * CSRF defence for the API: a state-changing request that a browser could send on its own (cookie
 * auth, or none yet, as for login) must come from our own origin. Bearer-key requests are exempt:
 * browsers never attach those by themselves.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { Forbidden } from '../errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export type SameOriginOptions = {
  /** Extra origins that count as ours (the public URL behind a proxy). */
  allowedOrigins?: readonly string[];
  trustProxy?: boolean;
};

export function isOwnOrigin(
  origin: string,
  host: string | undefined,
  options: SameOriginOptions,
  forwardedHost?: string,
): boolean {
  if (options.allowedOrigins?.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const own = (options.trustProxy && forwardedHost) || host;
  return url.host === own;
}

export function sameOrigin(options: SameOriginOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Any Authorization header, valid or not, was set by a program, not attached by a browser.
    if (SAFE.has(c.req.method) || c.req.header('authorization') !== undefined) return next();
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      throw new Forbidden('cross-site request refused');
    }
    if (!origin || !isOwnOrigin(origin, new URL(c.req.url).host, options, c.req.header('x-forwarded-host'))) {
      throw new Forbidden(
        origin ? 'cross-origin request refused' : 'the Origin header is required for this request (CSRF protection)',
      );
    }
    return next();
  };
}
