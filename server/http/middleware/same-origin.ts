/**
 * CSRF defence for the API: a state-changing request that a browser could send on its own (cookie
 * auth, or none yet, as for login) must come from our own origin. Requests that presented an ingest
 * key are exempt: authenticate() then never looked at cookies. An Authorization header as such is
 * not enough: browsers attach cached Basic credentials by themselves.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { Forbidden } from '../errors.ts';
import { BASIC_KEY_PATHS } from './authenticate.ts';

/** The principal (or the failure) came from a key, so no cookie was consulted. */
function presentedAKey(c: Context<AppEnv>): boolean {
  const failure = c.get('authFailure');
  return c.get('authVia') === 'key' || failure === 'invalid_key' || failure === 'revoked_key';
}

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
    if (SAFE.has(c.req.method) || presentedAKey(c)) return next();
    // A vendor webhook's first try carries no credentials and no Origin (Twilio waits for the 401
    // before sending Basic). Without a cookie principal nothing there can act: allow() answers 401.
    if (c.req.path.startsWith(BASIC_KEY_PATHS) && c.get('authVia') === 'none') return next();
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
