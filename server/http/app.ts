/**
 * The Hono app: API and websocket routes, errors turned into JSON once at the edge, and every
 * other request handed to the built SvelteKit app.
 */
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tandem } from '../tandem.ts';
import { errorBody, HttpError, NotFound } from './errors.ts';
import { eventRoutes } from './routes/events.ts';
import { kpiRoutes } from './routes/kpis.ts';
import { liveRoutes } from './routes/live.ts';
import { metaRoutes } from './routes/meta.ts';

/** SvelteKit's adapter-node handler (connect-style). */
export type WebHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export type AppOptions = {
  upgradeWebSocket?: UpgradeWebSocket | null;
  web?: WebHandler | null;
};

export function createApp(t: Tandem, options: AppOptions = {}): Hono<{ Bindings: HttpBindings }> {
  const ws = options.upgradeWebSocket ?? null;
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.route('/', eventRoutes(t, ws));
  app.route('/', liveRoutes(t, ws));
  app.route('/', kpiRoutes(t));
  app.route('/', metaRoutes(t));
  app.all('/api/*', () => {
    throw new NotFound('no such API endpoint; see docs/events.md and /api/schema');
  });

  app.all('*', async (c) => {
    const web = options.web;
    if (!web || !c.env?.incoming) {
      return c.text('Tandem API is running. The web app is not built: run `npm run build`.', 404);
    }
    await new Promise<void>((resolve) => {
      c.env.outgoing.once('close', resolve);
      c.env.outgoing.once('finish', resolve);
      web(c.env.incoming, c.env.outgoing, () => {
        c.env.outgoing.statusCode = 404;
        c.env.outgoing.end('not found');
      });
    });
    return RESPONSE_ALREADY_SENT;
  });

  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json(errorBody(err), err.status);
    t.log.error({ err, path: c.req.path }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'internal error' } }, 500);
  });
  return app;
}
