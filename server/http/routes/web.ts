/**
 * Pages: display links, the sign-in gate for protected pages, and everything else handed to the
 * built SvelteKit app. Pages carry no data (they fetch it from the API, which checks again), so
 * the gate is about sending people to the right place, not the last line of defence.
 */
import { Hono, type Context } from 'hono';
import { serialize } from 'hono/utils/cookie';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow, permits, type Policy } from '../middleware/allow.ts';
import { DISPLAY_COOKIE } from '../middleware/authenticate.ts';
import { COMMON_HEADERS } from '../middleware/security-headers.ts';

/** SvelteKit's adapter-node handler (connect-style). */
export type WebHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

/**
 * Every page of the web app and who may open it, by path prefix (longest match wins).
 * The access-matrix test fails when a page under web/src/routes has no entry here.
 */
export const PAGE_POLICIES: Readonly<Record<string, Policy>> = {
  '/': 'public',
  '/login': 'public',
  '/setup': 'public',
  '/d': 'public',
  '/wall': 'live:read',
  '/admin': 'admin',
  '/qa': 'qa:read',
  '/summary': 'summary:read',
};

export function pagePolicy(path: string): Policy {
  let best = '/';
  for (const prefix of Object.keys(PAGE_POLICIES)) {
    if (
      (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) &&
      prefix.length > best.length
    ) {
      best = prefix;
    }
  }
  return PAGE_POLICIES[best]!;
}

const DISPLAY_COOKIE_DAYS = 400; // the longest lifetime browsers accept

export function webRoutes(t: Tandem, web: WebHandler | null): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Opening a display link stores it in a cookie so the wallboard's API and websocket calls carry
  // it; the token stays in the URL, so a kiosk that loses its cookies recovers on reload.
  app.get('/d/:token', allow('public'), async (c) => {
    const found = await t.auth.displays.lookup(c.req.param('token'));
    // A revoked link is kept too, so the screen's /api/display call can say "revoked".
    // Written straight onto SvelteKit's response: Hono's cookie helper would replace the
    // already-sent marker with a response of its own.
    const cookie =
      found.status === 'unknown'
        ? serialize(DISPLAY_COOKIE, '', { path: '/', maxAge: 0 })
        : serialize(DISPLAY_COOKIE, c.req.param('token'), {
            httpOnly: true,
            sameSite: 'Lax',
            secure: c.get('secure'),
            path: '/',
            maxAge: DISPLAY_COOKIE_DAYS * 86_400,
          });
    return serve(c, web, [cookie]);
  });

  app.all('*', allow('public'), async (c) => {
    const policy = pagePolicy(c.req.path);
    const p = c.get('principal');
    const isPage = !c.req.path.startsWith('/_app/') && (c.req.method === 'GET' || c.req.method === 'HEAD');
    if (isPage && policy !== 'public' && p.kind === 'anonymous') {
      return c.redirect(`/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 302);
    }
    if (isPage && !permits(policy, p)) {
      return c.redirect(`/?denied=${encodeURIComponent(c.req.path)}`, 302);
    }
    return serve(c, web);
  });
  return app;
}

async function serve(c: Context<AppEnv>, web: WebHandler | null, cookies: string[] = []): Promise<Response> {
  if (!web || !c.env?.incoming) {
    const res = c.text('Tandem API is running. The web app is not built: run `npm run build`.', 404);
    for (const cookie of cookies) res.headers.append('set-cookie', cookie);
    return res;
  }
  const res = c.env.outgoing;
  for (const [name, value] of Object.entries(COMMON_HEADERS)) res.setHeader(name, value!);
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (c.get('secure')) res.setHeader('strict-transport-security', 'max-age=31536000');
  await new Promise<void>((resolve) => {
    res.once('close', resolve);
    res.once('finish', resolve);
    web(c.env.incoming, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  return RESPONSE_ALREADY_SENT;
}
