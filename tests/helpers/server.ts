/** Starts a real Tandem server on a free port with a temporary DuckDB file, plus credentials for it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../server/contract/auth.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import type { Tandem } from '../../server/tandem.ts';

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

let counter = 0;

/** A signed-in user with these roles: the Cookie header value to send. */
export async function signedIn(
  t: Tandem,
  roles: Role[],
  scope: { scopeQueues?: string[]; scopeTeams?: string[] } = {},
): Promise<{ cookie: string; userId: string; sessionId: string; username: string }> {
  const username = `${roles.join('-')}-${process.pid}-${++counter}`;
  const user = await t.admin.createUser(
    { actor: { kind: 'test', id: null, name: 'test' } },
    { username, password: 'correct horse battery', roles, ...scope },
  );
  const { token, session } = await t.auth.sessions.create(user.id);
  return { cookie: `tandem_session=${token}`, userId: user.id, sessionId: session.id, username };
}

/** A fresh ingest key (the secret to send as Bearer). */
export async function ingestKey(
  t: Tandem,
  scope: { scopeSources?: string[]; scopeQueues?: string[] } = {},
): Promise<string> {
  const { secret } = await t.admin.createKey(
    { actor: { kind: 'test', id: null, name: 'test' } },
    { name: `test key ${++counter}`, scopeSources: scope.scopeSources ?? [], scopeQueues: scope.scopeQueues ?? [] },
  );
  return secret;
}

export type TestServer = RunningServer & {
  /** An ingest key for POST /api/events and /ws/ingest. */
  key: string;
  /** Cookie header of a signed-in admin. */
  adminCookie: string;
  /** GET as the signed-in admin. */
  get(path: string): Promise<Response>;
};

export async function startTestServer(
  overrides: Partial<Config> = {},
  options: Parameters<typeof startServer>[1] = {},
): Promise<TestServer> {
  const running = await startServer(testConfig(overrides), options);
  const key = await ingestKey(running.tandem);
  const { cookie } = await signedIn(running.tandem, ['admin']);
  return Object.assign(running, {
    key,
    adminCookie: cookie,
    get: (path: string) => fetch(running.url + path, { headers: { cookie } }),
  });
}

export async function postEvents(
  server: { url: string; key: string },
  body: unknown,
  contentType = 'application/json',
): Promise<Response> {
  return fetch(`${server.url}/api/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${server.key}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
