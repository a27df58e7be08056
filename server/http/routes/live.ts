/** The live snapshot over HTTP and the /ws/live push stream, each narrowed to the caller's scope. */
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import { scopeOf, type Principal } from '../../auth/principal.ts';
import { revokes } from '../../auth/auth.ts';
import { WS_CLOSE_REVOKED } from '../../contract/auth.ts';
import { clientMessageSchema } from '../../contract/live.ts';
import type { LiveSocket } from '../../live/live-hub.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { websocketOrigin } from '../middleware/websocket-origin.ts';

type RawSocket = { bufferedAmount: number; send(data: Buffer, options: { binary: boolean }): void };

export function liveRoutes(
  t: Tandem,
  upgradeWebSocket: UpgradeWebSocket | null,
  origins: readonly string[] = [],
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/live', allow('live:read'), (c) => c.json(t.hub.current(scopeOf(c.get('principal')))));

  if (upgradeWebSocket) {
    app.get(
      '/ws/live',
      allow('live:read'),
      websocketOrigin({ allowedOrigins: origins, trustProxy: t.config.trustProxy }),
      upgradeWebSocket((c) => {
        const principal: Principal = c.get('principal');
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
            handle = t.hub.connect(socket, scopeOf(principal));
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
