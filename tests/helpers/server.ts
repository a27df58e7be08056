/** Starts a real Tandem server on a free port with a temporary DuckDB file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';

export function tempDbPath(): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-test-'));
  return { path: join(dir, 'test.duckdb'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    demo: false,
    timeZone: 'UTC',
    logLevel: 'silent',
    ...overrides,
  };
}

export async function startTestServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
  return startServer(testConfig(overrides));
}

export async function postEvents(base: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  return fetch(`${base}/api/events`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
