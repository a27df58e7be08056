/**
 * Response headers that harden every answer. API responses get a CSP that allows nothing; pages get
 * SvelteKit's own CSP (svelte.config.js), which carries the hashes of its inline bootstrap script.
 */
import type { MiddlewareHandler } from 'hono';
import type { OutgoingHttpHeaders } from 'node:http';
import type { AppEnv } from '../env.ts';

export const COMMON_HEADERS: OutgoingHttpHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    // Pages written straight to the Node response by SvelteKit got their headers in routes/web.ts.
    if (c.env?.outgoing?.headersSent) return;
    for (const [name, value] of Object.entries(COMMON_HEADERS)) c.res.headers.set(name, String(value));
    if (!c.res.headers.has('content-security-policy')) {
      c.res.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (c.get('secure')) c.res.headers.set('strict-transport-security', 'max-age=31536000');
    if (c.get('authVia') === 'session') c.res.headers.set('cache-control', 'no-store');
  };
}
