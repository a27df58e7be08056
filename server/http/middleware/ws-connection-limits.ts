/**
 * Connection limits for a websocket route, checked before the upgrade is accepted: past a limit the
 * handshake is answered 429 with the usual JSON error (which limit, its value) and never upgraded.
 * The slot is held until the TCP socket closes, whatever ends it (close frame, error, upgrade refused
 * later, client gone), so the count cannot leak.
 */
import type { Duplex } from 'node:stream';
import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../../auth/principal.ts';
import type { ConnectionLimitReason, ConnectionLimits } from '../../live/connection-limits.ts';
import type { AppEnv } from '../env.ts';
import { errorBody, TooManyConnections } from '../errors.ts';

export type WsConnectionLimitsOptions = {
  limits: ConnectionLimits;
  /** Told of every refusal (for /metrics). */
  onRefused?: (reason: ConnectionLimitReason) => void;
};

/** One count per ingest key, display link and sign-in session; an anonymous caller has only its address. */
export function principalKey(p: Principal): string | null {
  switch (p.kind) {
    case 'user':
      return `session:${p.sessionId}`;
    case 'display':
      return `display:${p.id}`;
    case 'key':
      return `key:${p.id}`;
    default:
      return null;
  }
}

const SETTING: Record<ConnectionLimitReason, string> = {
  per_ip: 'TANDEM_WS_MAX_PER_IP',
  per_principal: 'TANDEM_WS_MAX_PER_PRINCIPAL',
};
const WHOSE: Record<ConnectionLimitReason, string> = {
  per_ip: 'this client address',
  per_principal: 'these credentials',
};

export function wsConnectionLimits({ limits, onRefused }: WsConnectionLimitsOptions): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return next();
    const got = limits.acquire(c.get('clientIp'), principalKey(c.get('principal')));
    // On a real upgrade the Node request is there but no response object: the socket is ours to answer on.
    const socket = c.env?.outgoing ? undefined : (c.env?.incoming?.socket as Duplex | undefined);
    if (!got.ok) {
      onRefused?.(got.reason);
      const err = new TooManyConnections(
        `too many open websockets for ${WHOSE[got.reason]}: the limit is ${got.limit}`,
        SETTING[got.reason],
        got.limit,
      );
      if (!socket) throw err;
      await refuseUpgrade(socket, 429, JSON.stringify(errorBody(err)));
      return c.body(null, 429);
    }
    if (!socket) {
      // No socket to watch (app.request in tests): the slot lasts as long as the request.
      try {
        await next();
      } finally {
        got.release();
      }
      return;
    }
    socket.once('close', got.release);
    if (socket.destroyed) got.release();
    await next();
  };
}

/**
 * Answers the handshake with status and JSON body on the raw socket. The adapter's own refusal of an
 * upgrade sends the status with an empty body; a wall controller's log should say which limit it hit.
 * The socket is destroyed once the answer is flushed, so the adapter then leaves it alone.
 */
function refuseUpgrade(socket: Duplex, status: number, body: string): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  const head = [
    `HTTP/1.1 ${status} Too Many Requests`,
    'Connection: close',
    'Content-Type: application/json; charset=UTF-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Retry-After: 10',
  ].join('\r\n');
  return new Promise((resolve) => {
    socket.end(`${head}\r\n\r\n${body}`, () => {
      socket.destroy();
      resolve();
    });
  });
}
