/**
 * How big a request body may be, decided once for the whole API: most bodies are small JSON forms and
 * are refused past SMALL_BODY_BYTES before they are read (sign-in is open to anyone, and a body is read
 * before its fields can be checked); event batches, vendor feeds and conversation files take up to
 * LIMITS.bodyBytes. A route that takes large bodies is named here, not given a limit of its own.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { LIMITS } from '../../contract/events.ts';
import type { AppEnv } from '../env.ts';
import { PayloadTooLarge } from '../errors.ts';

export const SMALL_BODY_BYTES = 64 * 1024;

/** The routes whose bodies are batches or files. */
export function takesLargeBody(path: string): boolean {
  return path === '/api/events' || path === '/api/qa/import' || path.startsWith('/api/ingest/');
}

const small = bodyLimit({
  maxSize: SMALL_BODY_BYTES,
  onError: () => {
    throw new PayloadTooLarge(`body is larger than ${SMALL_BODY_BYTES} bytes`);
  },
});
const large = bodyLimit({
  maxSize: LIMITS.bodyBytes,
  onError: () => {
    throw new PayloadTooLarge(`body is larger than ${LIMITS.bodyBytes} bytes; split it into smaller batches`);
  },
});

export function bodyLimits(): MiddlewareHandler<AppEnv> {
  return (c, next) => (takesLargeBody(c.req.path) ? large : small)(c, next);
}
