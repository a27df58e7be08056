/** Starts Tandem on a port: the Hono app over @hono/node-server with websockets, plus the web app. */
import { createAdaptorServer, upgradeWebSocket, type ServerType } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AddressInfo } from 'node:net';
import { LIMITS } from './contract/events.ts';
import type { Config } from './config.ts';
import { createApp, type WebHandler } from './http/app.ts';
import { createTandem, type Tandem } from './tandem.ts';
import { startDemo } from './simulator/demo.ts';
import { demoDisplayToken, demoTourId } from './auth/demo-display.ts';

export const WEB_BUILD = fileURLToPath(new URL('../build/handler.js', import.meta.url));

export type RunningServer = {
  tandem: Tandem;
  server: ServerType;
  url: string;
  /** Links to print for a person at the console: first-run setup, the demo wall. */
  links: { setup: string | null; demoDisplay: string | null; demoTour: string | null };
  close(): Promise<void>;
};

async function loadWeb(): Promise<WebHandler | null> {
  if (!existsSync(WEB_BUILD)) return null;
  const mod = (await import(pathToFileURL(WEB_BUILD).href)) as { handler: WebHandler };
  return mod.handler;
}

export async function startServer(
  config: Config,
  /** `web`: a handler in place of the built app (tests); `null` serves the API only. */
  options: { web?: WebHandler | null } = {},
): Promise<RunningServer> {
  const tandem = await createTandem(config);
  const web = options.web !== undefined ? options.web : await loadWeb();
  if (!web) tandem.log.warn('web app not built (run `npm run build`); serving the API only');
  const app = createApp(tandem, { upgradeWebSocket, web });
  const wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.bodyBytes });
  const server = createAdaptorServer({ fetch: app.fetch, websocket: { server: wss } });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  const demo = config.demo ? await startDemo(tandem, config) : null;
  const base = config.publicUrl ?? url;
  const setupToken = tandem.auth.setupToken;
  const demoDisplay = config.demo ? new URL(`/d/${await demoDisplayToken(tandem)}`, base).href : null;
  const links = {
    setup: setupToken ? new URL(`/setup?token=${setupToken}`, base).href : null,
    demoDisplay,
    // The same display link, turning through every built-in board.
    demoTour: demoDisplay ? `${demoDisplay}?playlist=${await demoTourId(tandem)}` : null,
  };
  tandem.log.info({ url, demo: config.demo }, `Tandem is serving ${url}`);
  let closing: Promise<void> | null = null;
  return {
    tandem,
    server,
    url,
    links,
    close() {
      closing ??= (async () => {
        demo?.stop();
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await tandem.close();
      })();
      return closing;
    },
  };
}
