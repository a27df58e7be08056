/** Producers push events: POST /api/events (JSON, array or NDJSON) and the /ws/ingest stream. */
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import { revokes } from '../../auth/auth.ts';
import { keyPermit } from '../../auth/key-scope.ts';
import type { KeyPrincipal } from '../../auth/principal.ts';
import { WS_CLOSE_REVOKED } from '../../contract/auth.ts';
import { LIMITS } from '../../contract/events.ts';
import { ingestBatchSchema, type IngestReply } from '../../contract/ingest.ts';
import type { EventPermit } from '../../ingest/ingest.ts';
import { itemsOf, parseEventsBody, type ParsedItem } from '../../ingest/parse-body.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { HttpError, PayloadTooLarge } from '../errors.ts';
import { allow } from '../middleware/allow.ts';
import { websocketOrigin } from '../middleware/websocket-origin.ts';
import { wsConnectionLimits } from '../middleware/ws-connection-limits.ts';
import type { ConnectionLimits } from '../../live/connection-limits.ts';

/** Batches one websocket producer may have waiting for their commit before we stop reading its socket. */
const MAX_IN_FLIGHT = 4;
type PausableSocket = { pause(): void; resume(): void };

export function eventRoutes(
  t: Tandem,
  upgradeWebSocket: UpgradeWebSocket | null,
  origins: readonly string[] = [],
  limits: ConnectionLimits | null = null,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/api/events', allow('events:write'), async (c) => {
    const key = c.get('principal') as KeyPrincipal;
    const items = parseEventsBody(await c.req.text(), c.req.header('content-type'));
    t.ingestRate.admit(key, items.length, 'http');
    const ack = await t.ingest.ingestParsed(items, keyPermit(key), 'http');
    return c.json(ack, 202);
  });

  if (upgradeWebSocket) {
    app.get(
      '/ws/ingest',
      allow('events:write'),
      websocketOrigin({ allowedOrigins: origins, trustProxy: t.config.trustProxy }),
      ...(limits
        ? [wsConnectionLimits({ limits, onRefused: (reason) => t.metrics.wsRefused.inc({ socket: 'ingest', reason }) })]
        : []),
      upgradeWebSocket((c) => {
        const key: KeyPrincipal = c.get('principal');
        const permit = keyPermit(key);
        let stopListening: (() => void) | null = null;
        // Messages are handled one after another so acknowledgements come back in order. A producer
        // that sends faster than we commit is paused (TCP back-pressure) instead of queued in memory.
        let chain = Promise.resolve();
        let inFlight = 0;
        let paused = false;
        return {
          onOpen(_event, ws) {
            stopListening = t.auth.onRevoke((r) => {
              if (revokes(r, key)) ws.close(WS_CLOSE_REVOKED, 'ingest key revoked');
            });
          },
          onClose() {
            stopListening?.();
          },
          onMessage(event, ws) {
            const raw = ws.raw as PausableSocket | undefined;
            inFlight++;
            if (inFlight >= MAX_IN_FLIGHT && raw && !paused) {
              raw.pause();
              paused = true;
            }
            chain = chain.then(async () => {
              const reply = await handleIngestMessage(t, event.data, key, permit);
              if (ws.readyState === 1) ws.send(JSON.stringify(reply));
              inFlight--;
              if (paused && inFlight < MAX_IN_FLIGHT / 2 && raw) {
                raw.resume();
                paused = false;
              }
            });
          },
        };
      }),
    );
  }
  return app;
}

async function handleIngestMessage(
  t: Tandem,
  data: unknown,
  key: KeyPrincipal,
  permit?: EventPermit,
): Promise<IngestReply> {
  let batch: string | undefined;
  try {
    if (typeof data !== 'string')
      return { type: 'error', status: 400, code: 'bad_request', message: 'send events as text JSON messages' };
    if (data.length > LIMITS.bodyBytes) throw new PayloadTooLarge(`message is larger than ${LIMITS.bodyBytes} bytes`);
    // Parse once: an envelope or a bare array/object is used as parsed; text that is not one JSON
    // value goes to the body parser (NDJSON, or a 400 with the reason).
    let items: ParsedItem[];
    const parsed = safeJson(data);
    const envelope = ingestBatchSchema.safeParse(parsed);
    if (envelope.success) {
      batch = envelope.data.batch;
      items = itemsOf(envelope.data.events);
    } else {
      items = parsed === undefined ? parseEventsBody(data) : itemsOf(parsed);
    }
    // Refused as a whole, like over HTTP: the producer keeps the batch and sends it again after a pause.
    t.ingestRate.admit(key, items.length, 'websocket');
    const ack = await t.ingest.ingestParsed(items, permit, 'websocket');
    return { type: 'ack', ...(batch !== undefined ? { batch } : {}), ...ack };
  } catch (err) {
    const of = batch !== undefined ? { batch } : {};
    // A 503 (the store cannot write) is no acknowledgement: the producer keeps the batch and sends it again.
    if (err instanceof HttpError)
      return { type: 'error', ...of, status: err.status, code: err.code, message: err.message };
    t.log.error({ err }, 'websocket ingest failed');
    return { type: 'error', ...of, status: 500, code: 'internal', message: 'internal error' };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
