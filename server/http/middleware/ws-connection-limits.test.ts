import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/principal.ts';
import { ConnectionLimits } from '../../live/connection-limits.ts';
import type { AppEnv } from '../env.ts';
import { errorBody, HttpError } from '../errors.ts';
import { principalKey, wsConnectionLimits } from './ws-connection-limits.ts';

const display: Principal = {
  kind: 'display',
  id: 'd1',
  name: 'Floor 2',
  board: 'live',
  scope: { queues: null, teams: null },
};

/** An app whose handler stays open until `release` is called, like a socket that is still upgrading. */
function appWith(limits: ConnectionLimits, refused: string[]) {
  const app = new Hono<AppEnv>();
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  app.use('*', async (c, next) => {
    c.set('clientIp', '10.0.0.1');
    c.set('principal', display);
    await next();
  });
  app.get('/ws', wsConnectionLimits({ limits, onRefused: (r) => refused.push(r) }), async (c) => {
    await held;
    return c.text('upgraded');
  });
  app.onError((err, c) => (err instanceof HttpError ? c.json(errorBody(err), err.status) : c.text('bad', 500)));
  return { app, release: () => release() };
}

const upgrade = { headers: { upgrade: 'websocket' } };

describe('wsConnectionLimits', () => {
  it('answers 429 naming the setting and its value past the limit, and reports the reason', async () => {
    const limits = new ConnectionLimits({ maxPerIp: 10, maxPerPrincipal: 1 });
    const refused: string[] = [];
    const { app, release } = appWith(limits, refused);
    const first = app.request('/ws', upgrade);
    const second = await app.request('/ws', upgrade);
    expect(second.status).toBe(429);
    expect(await second.json()).toEqual({
      error: {
        code: 'too_many_connections',
        message: 'too many open websockets for these credentials: the limit is 1',
        details: [{ path: 'TANDEM_WS_MAX_PER_PRINCIPAL', message: 'at most 1 open websockets' }],
      },
    });
    expect(refused).toEqual(['per_principal']);
    release();
    expect((await first).status).toBe(200);
    // Without a socket to watch, the slot ends with the request.
    expect(limits.openFor({ principal: 'display:d1' })).toBe(0);
  });

  it('leaves plain requests (no upgrade) alone', async () => {
    const limits = new ConnectionLimits({ maxPerIp: 1, maxPerPrincipal: 1 });
    const { app, release } = appWith(limits, []);
    release();
    const answers = await Promise.all([app.request('/ws'), app.request('/ws')]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
  });

  it('keys principals by what they are: a session, a display link, an ingest key', () => {
    expect(principalKey(display)).toBe('display:d1');
    expect(principalKey({ kind: 'key', id: 'k1', name: 'pbx', sources: null, queues: null })).toBe('key:k1');
    expect(principalKey({ kind: 'anonymous' })).toBeNull();
  });
});
