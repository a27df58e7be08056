/** The live snapshot over HTTP and the /ws/live push stream, each narrowed to the caller's scope. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { UpgradeWebSocket } from 'hono/ws';
import { narrowScope, scopeOf, type Principal, type Scope } from '../../auth/principal.ts';
import { revokes } from '../../auth/auth.ts';
import { WS_CLOSE_REVOKED } from '../../contract/auth.ts';
import { clientMessageSchema } from '../../contract/live.ts';
import type { LiveSocket } from '../../live/live-hub.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { queryOf } from '../validate.ts';
import { websocketOrigin } from '../middleware/websocket-origin.ts';
import { wsConnectionLimits } from '../middleware/ws-connection-limits.ts';
import type { ConnectionLimits } from '../../live/connection-limits.ts';

type RawSocket = { bufferedAmount: number; send(data: Buffer, options: { binary: boolean }): void };

/** `?queues=a,b&teams=x`: a board about part of the center asks for that part only. */
const boardScope = z.object({
  queues: z.string().max(4096).optional(),
  teams: z.string().max(4096).optional(),
});
const listOf = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function scopeFor(c: Context<AppEnv>): Scope {
  const q = queryOf(c, boardScope);
  return narrowScope(scopeOf(c.get('principal')), listOf(q.queues), listOf(q.teams));
}

export function liveRoutes(
  t: Tandem,
  upgradeWebSocket: UpgradeWebSocket | null,
  origins: readonly string[] = [],
  limits: ConnectionLimits | null = null,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/live', allow('live:read'), (c) => c.json(t.hub.current(scopeFor(c))));

  if (upgradeWebSocket) {
    app.get(
      '/ws/live',
      allow('live:read'),
      websocketOrigin({ allowedOrigins: origins, trustProxy: t.config.trustProxy }),
      ...(limits
        ? [wsConnectionLimits({ limits, onRefused: (reason) => t.metrics.wsRefused.inc({ socket: 'live', reason }) })]
        : []),
      upgradeWebSocket((c) => {
        const principal: Principal = c.get('principal');
        const scope = scopeFor(c);
        let handle: ReturnType<typeof t.hub.connect> = null;
        let stopListening: (() => void) | null = null;
        const end = () => {
          stopListening?.();
          handle?.disconnect();
        };
        return {
          onOpen(_event, ws) {
            const raw = ws.raw as RawSocket | undefined;
            const socket: LiveSocket = {
              // Buffers go out as text frames: the browser expects JSON text, not a Blob.
              send: (data) => (typeof data === 'string' ? ws.send(data) : raw?.send(data, { binary: false })),
              get bufferedAmount() {
                return raw?.bufferedAmount ?? 0;
              },
              close: (code, reason) => ws.close(code, reason),
            };
            handle = t.hub.connect(socket, scope);
            // Sign-out, a revoked display link or a changed account closes the stream at once; the
            // client then asks again and gets the new answer (a login, the revoked screen, a new scope).
            stopListening = t.auth.onRevoke((r) => {
              if (revokes(r, principal)) ws.close(WS_CLOSE_REVOKED, 'credentials revoked');
            });
          },
          onMessage(event, ws) {
            let parsed: unknown;
            try {
              parsed = JSON.parse(String(event.data));
            } catch {
              parsed = undefined;
            }
            const msg = clientMessageSchema.safeParse(parsed);
            if (!msg.success) {
              ws.send(
                JSON.stringify({
                  type: 'error',
                  message: 'unknown message: send {"type":"resync"} or {"type":"ping"}',
                }),
              );
              return;
            }
            if (msg.data.type === 'resync') handle?.resync();
          },
          onClose: end,
          onError: end,
        };
      }),
    );
  }
  return app;
}
