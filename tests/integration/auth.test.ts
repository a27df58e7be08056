/** Sign-in, sessions, throttling, CSRF, setup, audit: through app.request() on a real DuckDB file. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth } from '../../server/auth/auth.ts';
import { openDatabase } from '../../server/db/duckdb.ts';
import { migrate } from '../../server/db/migrate.ts';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const ORIGIN = 'http://localhost';
const PASSWORD = 'correct horse battery';

function cookieFrom(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('tandem_session='));
  if (!set) throw new Error('no session cookie set');
  return set.split(';')[0]!;
}

describe('sign-in and sessions over HTTP', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let setupToken = '';

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...headers },
      body: JSON.stringify(body),
    });
  const me = async (cookie: string) => (await (await app.request('/api/auth/me', { headers: { cookie } })).json()).kind;

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path }));
    app = createApp(tandem);
    setupToken = tandem.auth.setupToken!;
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  it('creates the first admin once through the setup link', async () => {
    expect(setupToken).toMatch(/^[a-z2-7]{32}$/);
    expect((await (await app.request('/api/auth/me')).json()).setupRequired).toBe(true);
    const bad = await post('/api/auth/setup', { token: 'nope', username: 'root', password: PASSWORD });
    expect(bad.status).toBe(401);
    const weak = await post('/api/auth/setup', { token: setupToken, username: 'root', password: 'short' });
    expect(weak.status).toBe(400);
    expect((await weak.json()).error.details).toEqual([{ path: 'password', message: expect.stringContaining('10') }]);
    const ok = await post('/api/auth/setup', { token: setupToken, username: 'Root', password: PASSWORD });
    expect(ok.status).toBe(201);
    expect(await me(cookieFrom(ok))).toBe('user');
    const again = await post('/api/auth/setup', { token: setupToken, username: 'root2', password: PASSWORD });
    expect(again.status).toBe(401);
    const audit = await tandem.auth.audit.list({ action: 'user.create' });
    expect(audit[0]).toMatchObject({ actor: { kind: 'setup' }, target: 'user:root' });
  });

  it('refuses an oversized body on the open sign-in endpoint without reading it', async () => {
    const big = await post('/api/auth/login', { username: 'x', password: 'y'.repeat(200_000) });
    expect(big.status).toBe(413);
  });

  it('answers a wrong password and an unknown user the same way', async () => {
    const wrong = await post('/api/auth/login', { username: 'root', password: 'not the password' });
    const unknown = await post('/api/auth/login', { username: 'nobody', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('throttles repeated failures for an account with growing delays, even for the right password', async () => {
    await tandem.admin.createUser(
      { actor: { kind: 'test', id: null, name: 'test' } },
      { username: 'target', password: PASSWORD, roles: ['qa'] },
    );
    for (let i = 0; i < 3; i++) {
      expect((await post('/api/auth/login', { username: 'target', password: 'guess' + i })).status).toBe(401);
    }
    expect((await post('/api/auth/login', { username: 'target', password: 'guess-3' })).status).toBe(401);
    const blocked = await post('/api/auth/login', { username: 'target', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await post('/api/auth/login', { username: 'target', password: 'guess-4' })).status).toBe(401);
    const longer = await post('/api/auth/login', { username: 'target', password: PASSWORD });
    expect(longer.status).toBe(429);
    expect(longer.headers.get('retry-after')).toBe('2');
    // Another account is not held up by this one (the address allows more failures).
    expect((await post('/api/auth/login', { username: 'root', password: PASSWORD })).status).toBe(200);
  });

  it('gives a new session at every sign-in and ends the one the browser had', async () => {
    const first = cookieFrom(await post('/api/auth/login', { username: 'root', password: PASSWORD }));
    const second = await post('/api/auth/login', { username: 'root', password: PASSWORD }, { cookie: first });
    const next = cookieFrom(second);
    expect(next).not.toBe(first);
    expect(await me(first)).toBe('anonymous');
    expect(await me(next)).toBe('user');
  });

  it('signs out one session, or every session of the user', async () => {
    const a = cookieFrom(await post('/api/auth/login', { username: 'root', password: PASSWORD }));
    const b = cookieFrom(await post('/api/auth/login', { username: 'root', password: PASSWORD }));
    expect((await post('/api/auth/logout', {}, { cookie: a })).status).toBe(204);
    expect(await me(a)).toBe('anonymous');
    expect(await me(b)).toBe('user');
    const c = cookieFrom(await post('/api/auth/login', { username: 'root', password: PASSWORD }));
    const everywhere = await post('/api/auth/logout-everywhere', {}, { cookie: c });
    // b and c, plus sessions earlier tests left behind.
    expect((await everywhere.json()).sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await me(b)).toBe('anonymous');
    expect(await me(c)).toBe('anonymous');
  });

  it('ends every other session when the password changes, and keeps this device signed in', async () => {
    const other = cookieFrom(await post('/api/auth/login', { username: 'root', password: PASSWORD }));
    const mine = cookieFrom(await post('/api/auth/login', { username: 'root', password: PASSWORD }));
    const wrong = await post(
      '/api/auth/password',
      { currentPassword: 'nope', newPassword: 'a new long password' },
      { cookie: mine },
    );
    expect(wrong.status).toBe(400);
    const changed = await post(
      '/api/auth/password',
      { currentPassword: PASSWORD, newPassword: 'a new long password' },
      { cookie: mine },
    );
    expect(changed.status).toBe(200);
    expect(await me(other)).toBe('anonymous');
    expect(await me(mine)).toBe('anonymous');
    expect(await me(cookieFrom(changed))).toBe('user');
    expect((await post('/api/auth/login', { username: 'root', password: PASSWORD })).status).toBe(401);
    expect((await post('/api/auth/login', { username: 'root', password: 'a new long password' })).status).toBe(200);
  });

  it('refuses cookie-authenticated writes from another origin or without one; keys are exempt', async () => {
    const { cookie } = await signedIn(tandem, ['admin']);
    const body = { username: 'csrf-victim', password: PASSWORD, roles: ['admin'] };
    const evil = await post('/api/admin/users', body, { cookie, origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    const noOrigin = await app.request('/api/admin/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    expect(noOrigin.status).toBe(403);
    const crossSite = await post('/api/admin/users', body, { cookie, 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    const loginCsrf = await post(
      '/api/auth/login',
      { username: 'root', password: 'x' },
      { origin: 'https://evil.example' },
    );
    expect(loginCsrf.status).toBe(403);
    expect(await tandem.auth.users.byUsername('csrf-victim')).toBeNull();
    const same = await post('/api/admin/users', body, { cookie });
    expect(same.status).toBe(201);
  });

  it('keeps the last admin from being demoted or disabled', async () => {
    const admins = await tandem.auth.users.activeAdmins();
    const { cookie } = await signedIn(tandem, ['supervisor']);
    expect(cookie).toBeTruthy();
    // Demote every admin but one, then try the last one.
    const [keep, ...rest] = admins;
    for (const a of rest)
      await tandem.admin.updateUser({ actor: { kind: 'test', id: null, name: 't' } }, a.id, { disabled: true });
    await expect(
      tandem.admin.updateUser({ actor: { kind: 'test', id: null, name: 't' } }, keep!.id, { roles: ['qa'] }),
    ).rejects.toThrow(/last active admin/);
  });

  it('sends security headers on API answers and pages', async () => {
    const res = await app.request('/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // Anonymous callers learn only whether the server is up and which parts are degraded.
    expect(Object.keys(await res.json()).sort()).toEqual(['degraded', 'status', 'version']);
  });

  it('records admin actions in an append-only chain that shows tampering', async () => {
    const { cookie } = await signedIn(tandem, ['admin']);
    const created = await post('/api/admin/keys', { name: 'PBX' }, { cookie });
    expect(created.status).toBe(201);
    const { key, secret } = await created.json();
    expect(secret).toMatch(/^tdk_[a-z2-7]{52}$/);
    const entries = (await (await app.request('/api/admin/audit?action=key.', { headers: { cookie } })).json()).entries;
    expect(entries[0]).toMatchObject({ action: 'key.create', target: `key:${key.id}`, actor: { kind: 'user' } });
    expect(JSON.stringify(entries)).not.toContain(secret);
    const verify = async () => (await app.request('/api/admin/audit/verify', { headers: { cookie } })).json();
    expect((await verify()).brokenAt).toBeNull();
    // An edit behind the app's back breaks the chain from that row on.
    await tandem.db.write((tx) => tx.query("UPDATE audit_log SET actor_name = 'someone else' WHERE seq = 2"));
    expect((await verify()).brokenAt).toBe(2);
  });
});

describe('session lifetime', () => {
  it('slides while in use and ends after the idle lifetime', async () => {
    const db = tempDbPath();
    const conn = await openDatabase(db.path);
    await migrate(conn);
    let now = Date.UTC(2026, 10, 24, 9);
    const hour = 3_600_000;
    const auth = new Auth(conn, { sessionLifetimeMs: 12 * hour, clock: () => now });
    const user = await auth.users.create({ username: 'sam', password: PASSWORD, roles: ['supervisor'] });
    const { token, session } = await auth.sessions.create(user.id);
    expect(session.expiresAt).toBe(now + 12 * hour);
    now += 5 * hour; // more than half left: unchanged
    expect((await auth.principalFromSession(token))!.sessionExpiresAt).toBe(session.expiresAt);
    now += 2 * hour; // less than half left: extended to a full lifetime from now
    expect((await auth.principalFromSession(token))!.sessionExpiresAt).toBe(now + 12 * hour);
    now += 12 * hour; // idle for the whole lifetime
    expect(await auth.principalFromSession(token)).toBeNull();
    expect(await conn.query('SELECT * FROM sessions')).toEqual([]);
    // Only the hash is stored.
    const { token: t2 } = await auth.sessions.create(user.id);
    const rows = await conn.query<{ id: string }>('SELECT id FROM sessions');
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.id).not.toContain(t2);
    await conn.close();
    db.cleanup();
  });
});

describe('session cookie', () => {
  it('moves the cookie expiry along when the session slides, and not after sign-out', async () => {
    const db = tempDbPath();
    const tandem = await createTandem(testConfig({ dbPath: db.path }));
    const app = createApp(tandem);
    try {
      const u = await signedIn(tandem, ['supervisor']);
      // A fresh session does not move: no cookie on an ordinary request.
      const fresh = await app.request('/api/auth/me', { headers: { cookie: u.cookie } });
      expect(fresh.headers.getSetCookie()).toEqual([]);
      // Less than half the lifetime left: this request slides the session, so the cookie must follow.
      await tandem.db.write((tx) =>
        tx.query('UPDATE sessions SET expires_ms = ? WHERE id = ?', [Date.now() + 60_000, u.sessionId]),
      );
      const res = await app.request('/api/auth/me', { headers: { cookie: u.cookie } });
      const set = res.headers.getSetCookie().find((c) => c.startsWith('tandem_session='));
      expect(set).toMatch(/HttpOnly/);
      expect(set).toMatch(/SameSite=Lax/);
      expect(set).not.toMatch(/Secure/); // plain http here
      const out = await app.request('/api/auth/logout', {
        method: 'POST',
        headers: { cookie: u.cookie, origin: ORIGIN },
      });
      const cleared = out.headers.getSetCookie().filter((c) => c.startsWith('tandem_session='));
      expect(cleared).toHaveLength(1);
      expect(cleared[0]).toMatch(/Max-Age=0/);
    } finally {
      await tandem.close();
      db.cleanup();
    }
  });
});
