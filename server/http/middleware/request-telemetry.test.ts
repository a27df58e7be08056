import { Hono } from 'hono';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../metrics/metrics-registry.ts';
import type { AppEnv } from '../env.ts';
import { requestTelemetry } from './request-telemetry.ts';

function setup(level = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const registry = new Registry();
  const histogram = registry.histogram('t_http_seconds', 'HTTP.', [1]);
  const app = new Hono<AppEnv>();
  app.use('*', requestTelemetry(histogram, pino({ level }, sink)));
  app.get('/d/:token', (c) => c.text('display'));
  app.get('/api/thing', () => {
    throw new Error('boom');
  });
  app.get('/_app/*', (c) => c.text('asset'));
  app.onError((_err, c) => c.text('internal', 500));
  return { app, lines, registry };
}

describe('request telemetry', () => {
  it('records the route pattern and status class, and logs no parameter values', async () => {
    const { app, lines, registry } = setup();
    await app.request('/d/secret-display-token');
    await app.request('/api/thing');
    const text = await registry.render();
    expect(text).toContain('t_http_seconds_count{route="/d/:token",method="GET",status="2xx"} 1');
    expect(text).toContain('t_http_seconds_count{route="/api/thing",method="GET",status="5xx"} 1');
    expect(JSON.stringify(lines)).not.toContain('secret-display-token');
    expect(lines[0]).toMatchObject({ level: 20, msg: 'request', method: 'GET', route: '/d/:token', status: 200 });
    expect(lines[1]).toMatchObject({ route: '/api/thing', path: '/api/thing', status: 500 });
    expect(typeof lines[1]!.ms).toBe('number');
  });

  it('logs built files at trace only', async () => {
    const { app, lines } = setup('debug');
    await app.request('/_app/immutable/app.js');
    expect(lines).toHaveLength(0);
    const traced = setup('trace');
    await traced.app.request('/_app/immutable/app.js');
    expect(traced.lines[0]).toMatchObject({ level: 10, route: '/_app/*' });
  });
});
