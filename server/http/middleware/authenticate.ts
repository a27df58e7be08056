/**
 * Resolves who is asking, once per request: a Bearer ingest key, else the session cookie, else a
 * display link's cookie. It never rejects; `allow()` on each route decides.
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

    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer) {
      const key = await auth.principalFromKey(bearer);
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
