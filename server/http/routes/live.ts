/** The live snapshot over HTTP and the /ws/live push stream. */
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import { clientMessageSchema } from '../../contract/live.ts';
import type { LiveSocket } from '../../live/live-hub.ts';
import type { Tandem } from '../../tandem.ts';

type RawSocket = { bufferedAmount: number; send(data: Buffer, options: { binary: boolean }): void };

export function liveRoutes(t: Tandem, upgradeWebSocket: UpgradeWebSocket | null): Hono {
  const app = new Hono();
  app.get('/api/live', (c) => c.json(t.hub.current()));

  if (upgradeWebSocket) {
    app.get(
      '/ws/live',
      upgradeWebSocket(() => {
        let handle: ReturnType<typeof t.hub.connect> = null;
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
            handle = t.hub.connect(socket);
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
          onClose() {
            handle?.disconnect();
          },
          onError() {
            handle?.disconnect();
          },
        };
      }),
    );
  }
  return app;
}
