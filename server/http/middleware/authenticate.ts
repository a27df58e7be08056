/**
 * Resolves who is asking, once per request: a Bearer ingest key (or, on the vendor feed paths only, an
 * ingest key as the Basic password), else the session cookie, else a display link's cookie. It never
 * rejects; `allow()` on each route decides.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Auth } from '../../auth/auth.ts';
import { ANONYMOUS } from '../../auth/principal.ts';
import type { AppEnv } from '../env.ts';

export const SESSION_COOKIE = 'tandem_session';
export const DISPLAY_COOKIE = 'tandem_display';

/** The session cookie, as the lucia-auth.com guide sets it; `Secure` whenever the request came over https. */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('secure'),
    path: '/',
    expires: new Date(expiresAt),
  });
}

export type AuthenticateOptions = {
  auth: Auth;
  /** Honour X-Forwarded-For/-Proto (only behind a proxy that sets them). */
  trustProxy: boolean;
};

export function clientAddress(
  c: { req: { header(name: string): string | undefined }; env?: AppEnv['Bindings'] },
  trustProxy: boolean,
) {
  const forwarded = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || c.env?.incoming?.socket?.remoteAddress || 'unknown';
}

/** Paths where an ingest key may come as a Basic password: vendor webhooks that cannot send Bearer. */
export const BASIC_KEY_PATHS = '/api/ingest/';

/**
 * The ingest key in `Authorization`: Bearer anywhere; Basic (any user name, the key as password) only
 * under /api/ingest/. Twilio can only put credentials in the webhook URL, which it sends as Basic.
 * Elsewhere Basic is ignored, so credentials a browser cached for a feed URL act on nothing else.
 */
export function presentedKey(authorization: string | undefined, path: string): string | undefined {
  const header = authorization ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
  if (!basic || !path.startsWith(BASIC_KEY_PATHS)) return undefined;
  const decoded = Buffer.from(basic, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  // An empty password is not an attempt at a key: leave it to 401 "an ingest key is required".
  return password === '' ? undefined : password;
}

export function authenticate({ auth, trustProxy }: AuthenticateOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('clientIp', clientAddress(c, trustProxy));
    const proto = trustProxy ? c.req.header('x-forwarded-proto') : undefined;
    c.set('secure', (proto ?? new URL(c.req.url).protocol.replace(':', '')) === 'https');
    c.set('principal', ANONYMOUS);
    c.set('authFailure', null);
    c.set('authVia', 'none');
    // The app's built files are public and fetched by the dozen per page: no session look-up for them.
    if (c.req.path.startsWith('/_app/')) return next();

    const presented = presentedKey(c.req.header('authorization'), c.req.path);
    if (presented) {
      const key = await auth.principalFromKey(presented);
      if (key && key !== 'revoked') {
        c.set('principal', key);
        c.set('authVia', 'key');
      } else {
        c.set('authFailure', key === 'revoked' ? 'revoked_key' : 'invalid_key');
      }
      return next();
    }

    // A display screen asks for its own view (?as=display) so a signed-in admin testing a link on
    // the same browser sees exactly what the wall will.
    const asDisplay = c.req.query('as') === 'display';
    const sessionToken = asDisplay ? undefined : getCookie(c, SESSION_COOKIE);
    if (sessionToken) {
      const user = await auth.principalFromSession(sessionToken);
      if (user) {
        c.set('principal', user);
        c.set('authVia', 'session');
        await next();
        // The session was just extended: move the cookie's expiry with it, or the browser would
        // drop a session the server still honours.
        // A route that set or cleared the cookie itself (sign-out, password change) has the last word.
        const routeSetIt = c.res.headers.getSetCookie().some((h) => h.startsWith(`${SESSION_COOKIE}=`));
        const sent = c.env?.outgoing?.headersSent ?? false;
        if (user.sessionRenewed && !routeSetIt && !sent && !c.req.header('upgrade')) {
          setSessionCookie(c, sessionToken, user.sessionExpiresAt);
        }
        return;
      }
    }
    const displayToken = getCookie(c, DISPLAY_COOKIE);
    if (displayToken) {
      const display = await auth.principalFromDisplay(displayToken);
      if (display === 'revoked') c.set('authFailure', 'revoked_display');
      else if (display) {
        c.set('principal', display);
        c.set('authVia', 'display');
      }
    }
    return next();
  };
}
