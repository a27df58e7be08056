/**
 * The access matrix: every route and websocket × every kind of caller → allowed or denied, checked
 * with real requests against a real server. The expectations below are the design; a route that
 * the app registers without an entry here, or a page without a policy, fails the test.
 */
import { upgradeWebSocket } from '@hono/node-server';
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../../server/http/app.ts';
import { PAGE_POLICIES, pagePolicy } from '../../server/http/routes/web.ts';
import { ingestKey, signedIn, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

type Caller =
  | 'anonymous'
  | 'admin'
  | 'supervisor'
  | 'scopedSupervisor'
  | 'qa'
  | 'executive'
  | 'display'
  | 'revokedDisplay'
  | 'key'
  | 'revokedKey'
  | 'unknownKey'
  | 'expiredSession';

const CALLERS: Caller[] = [
  'anonymous',
  'admin',
  'supervisor',
  'scopedSupervisor',
  'qa',
  'executive',
  'display',
  'revokedDisplay',
  'key',
  'revokedKey',
  'unknownKey',
  'expiredSession',
];
/** Callers that present no valid credentials: denied with 401, everyone else with 403. */
const UNAUTHENTICATED = new Set<Caller>(['anonymous', 'revokedDisplay', 'revokedKey', 'unknownKey', 'expiredSession']);
const USERS: Caller[] = ['admin', 'supervisor', 'scopedSupervisor', 'qa', 'executive'];
const EVERYONE = CALLERS;
const LIVE: Caller[] = ['admin', 'supervisor', 'scopedSupervisor', 'display'];
const KPI: Caller[] = ['admin', 'supervisor', 'scopedSupervisor', 'executive'];
const ADMIN: Caller[] = ['admin'];
const QA: Caller[] = ['admin', 'qa'];
const SUMMARY: Caller[] = ['admin', 'executive'];

type Probe = { path: string; body?: unknown; ws?: boolean };
type Entry = { allow: Caller[]; probes: Probe[] };

/** `METHOD path` exactly as the router lists it → who may call it, and the requests that check it. */
const MATRIX: Record<string, Entry> = {
  'GET /api/auth/me': { allow: EVERYONE, probes: [{ path: '/api/auth/me' }] },
  'POST /api/auth/login': { allow: EVERYONE, probes: [{ path: '/api/auth/login', body: {} }] },
  'POST /api/auth/logout': { allow: EVERYONE, probes: [{ path: '/api/auth/logout', body: {} }] },
  'POST /api/auth/logout-everywhere': { allow: USERS, probes: [{ path: '/api/auth/logout-everywhere', body: {} }] },
  'POST /api/auth/password': { allow: USERS, probes: [{ path: '/api/auth/password', body: {} }] },
  'GET /api/auth/setup': { allow: EVERYONE, probes: [{ path: '/api/auth/setup?token=x' }] },
  'POST /api/auth/setup': { allow: EVERYONE, probes: [{ path: '/api/auth/setup', body: {} }] },
  'GET /api/admin/users': { allow: ADMIN, probes: [{ path: '/api/admin/users' }] },
  'POST /api/admin/users': { allow: ADMIN, probes: [{ path: '/api/admin/users', body: {} }] },
  'PATCH /api/admin/users/:id': { allow: ADMIN, probes: [{ path: '/api/admin/users/nobody', body: {} }] },
  'POST /api/admin/users/:id/sign-out': {
    allow: ADMIN,
    probes: [{ path: '/api/admin/users/nobody/sign-out', body: {} }],
  },
  'GET /api/admin/keys': { allow: ADMIN, probes: [{ path: '/api/admin/keys' }] },
  'POST /api/admin/keys': { allow: ADMIN, probes: [{ path: '/api/admin/keys', body: {} }] },
  'POST /api/admin/keys/:id/revoke': { allow: ADMIN, probes: [{ path: '/api/admin/keys/nokey/revoke', body: {} }] },
  'GET /api/admin/displays': { allow: ADMIN, probes: [{ path: '/api/admin/displays' }] },
  'POST /api/admin/displays': { allow: ADMIN, probes: [{ path: '/api/admin/displays', body: {} }] },
  'POST /api/admin/displays/:id/revoke': {
    allow: ADMIN,
    probes: [{ path: '/api/admin/displays/nodisplay/revoke', body: {} }],
  },
  'GET /api/admin/audit': { allow: ADMIN, probes: [{ path: '/api/admin/audit' }] },
  'GET /api/admin/audit/verify': { allow: ADMIN, probes: [{ path: '/api/admin/audit/verify' }] },
  'POST /api/events': { allow: ['key'], probes: [{ path: '/api/events', body: [] }] },
  'GET /ws/ingest': { allow: ['key'], probes: [{ path: '/ws/ingest', ws: true }] },
  'POST /api/ingest/:platform': {
    allow: ['key'],
    probes: [
      { path: '/api/ingest/amazon-connect', body: [] },
      { path: '/api/ingest/genesys-cloud', body: [] },
      { path: '/api/ingest/twilio-taskrouter', body: [] },
    ],
  },
  'GET /api/live': { allow: LIVE, probes: [{ path: '/api/live' }] },
  'GET /ws/live': { allow: LIVE, probes: [{ path: '/ws/live', ws: true }] },
  'GET /api/kpis': { allow: KPI, probes: [{ path: '/api/kpis' }] },
  'GET /api/kpis/intervals': { allow: KPI, probes: [{ path: '/api/kpis/intervals?by=queue' }] },
  'GET /api/staffing': { allow: KPI, probes: [{ path: '/api/staffing?calls=100&ahtSeconds=180' }] },
  'GET /api/settings/kpis': { allow: [...new Set([...KPI, ...LIVE])], probes: [{ path: '/api/settings/kpis' }] },
  'PUT /api/settings/kpis': {
    allow: ADMIN,
    probes: [{ path: '/api/settings/kpis', body: { settings: { slVariant: 'x' } } }],
  },
  'PUT /api/settings/kpis/queues/:queue': {
    allow: ADMIN,
    probes: [{ path: '/api/settings/kpis/queues/sales', body: { settings: { slVariant: 'x' } } }],
  },
  'DELETE /api/settings/kpis/queues/:queue': { allow: ADMIN, probes: [{ path: '/api/settings/kpis/queues/none' }] },
  'GET /api/boards': { allow: LIVE, probes: [{ path: '/api/boards' }] },
  'GET /api/boards/:id': { allow: LIVE, probes: [{ path: '/api/boards/overview' }] },
  'POST /api/boards': { allow: ADMIN, probes: [{ path: '/api/boards', body: {} }] },
  'PUT /api/boards/:id': { allow: ADMIN, probes: [{ path: '/api/boards/b_nosuchboardxx', body: {} }] },
  'DELETE /api/boards/:id': { allow: ADMIN, probes: [{ path: '/api/boards/b_nosuchboardxx' }] },
  'POST /api/boards/:id/duplicate': { allow: ADMIN, probes: [{ path: '/api/boards/overview/duplicate', body: {} }] },
  'GET /api/boards/:id/export': { allow: ADMIN, probes: [{ path: '/api/boards/overview/export' }] },
  'POST /api/boards/import': { allow: ADMIN, probes: [{ path: '/api/boards/import', body: {} }] },
  'GET /api/playlists/:id': { allow: LIVE, probes: [{ path: '/api/playlists/p_nosuchplaylist' }] },
  'POST /api/playlists': { allow: ADMIN, probes: [{ path: '/api/playlists', body: {} }] },
  'PUT /api/playlists/:id': { allow: ADMIN, probes: [{ path: '/api/playlists/p_nosuchplaylist', body: {} }] },
  'DELETE /api/playlists/:id': { allow: ADMIN, probes: [{ path: '/api/playlists/p_nosuchplaylist' }] },
  'POST /api/playlists/:id/duplicate': {
    allow: ADMIN,
    probes: [{ path: '/api/playlists/p_nosuchplaylist/duplicate', body: {} }],
  },
  'GET /api/playlists/:id/export': { allow: ADMIN, probes: [{ path: '/api/playlists/p_nosuchplaylist/export' }] },
  'GET /api/qa/search': { allow: ['admin', 'qa'], probes: [{ path: '/api/qa/search?q=refund' }] },
  'GET /api/qa/contacts': { allow: ['admin', 'qa'], probes: [{ path: '/api/qa/contacts?handler=hybrid' }] },
  'GET /api/qa/contacts.csv': { allow: ['admin', 'qa'], probes: [{ path: '/api/qa/contacts.csv' }] },
  'GET /api/qa/contacts/:id': { allow: ['admin', 'qa'], probes: [{ path: '/api/qa/contacts/nobody' }] },
  'POST /api/qa/import': { allow: ADMIN, probes: [{ path: '/api/qa/import', body: {} }] },
  'GET /api/qa/scorecards': { allow: QA, probes: [{ path: '/api/qa/scorecards' }] },
  'GET /api/qa/scorecards/:id': { allow: QA, probes: [{ path: '/api/qa/scorecards/sc_nosuchscorecard' }] },
  'POST /api/qa/scorecards': { allow: ADMIN, probes: [{ path: '/api/qa/scorecards', body: {} }] },
  'PUT /api/qa/scorecards/:id': { allow: ADMIN, probes: [{ path: '/api/qa/scorecards/sc_nosuchscorecard', body: {} }] },
  'DELETE /api/qa/scorecards/:id': { allow: ADMIN, probes: [{ path: '/api/qa/scorecards/sc_nosuchscorecard' }] },
  'POST /api/qa/evaluations': { allow: QA, probes: [{ path: '/api/qa/evaluations', body: {} }] },
  'GET /api/qa/evaluations': { allow: QA, probes: [{ path: '/api/qa/evaluations?contactId=nobody' }] },
  'GET /api/qa/scores': { allow: QA, probes: [{ path: '/api/qa/scores?by=agent' }] },
  'GET /api/qa/calibrations': { allow: QA, probes: [{ path: '/api/qa/calibrations' }] },
  'GET /api/qa/calibrations/:id': { allow: QA, probes: [{ path: '/api/qa/calibrations/cal_nosuchsession' }] },
  'POST /api/qa/calibrations': { allow: QA, probes: [{ path: '/api/qa/calibrations', body: {} }] },
  'GET /api/settings/redaction': { allow: ADMIN, probes: [{ path: '/api/settings/redaction' }] },
  'PUT /api/settings/redaction': {
    allow: ADMIN,
    probes: [{ path: '/api/settings/redaction', body: { kinds: ['NOPE'] } }],
  },
  'GET /api/summary': { allow: SUMMARY, probes: [{ path: '/api/summary?period=yesterday' }] },
  // Exports need the export capability as well as the summary: the same callers today.
  'GET /api/summary.csv': { allow: SUMMARY, probes: [{ path: '/api/summary.csv?period=yesterday' }] },
  'GET /api/summary.parquet': { allow: SUMMARY, probes: [{ path: '/api/summary.parquet?period=yesterday' }] },
  'GET /api/settings/costs': { allow: SUMMARY, probes: [{ path: '/api/settings/costs' }] },
  'PUT /api/settings/costs': { allow: ADMIN, probes: [{ path: '/api/settings/costs', body: { currency: 'x' } }] },
  'GET /api/health': { allow: EVERYONE, probes: [{ path: '/api/health' }] },
  'GET /api/schema': { allow: EVERYONE, probes: [{ path: '/api/schema' }] },
  'GET /api/display': { allow: EVERYONE, probes: [{ path: '/api/display' }] },
  'GET /d/:token': { allow: EVERYONE, probes: [{ path: '/d/notatoken' }] },
  // Middleware and the catch-alls: unknown API paths are a 404 for anyone.
  'ALL /api/*': { allow: EVERYONE, probes: [{ path: '/api/no-such-thing' }] },
  // Pages: checked below against PAGE_POLICIES, page by page.
  'ALL /*': { allow: EVERYONE, probes: [{ path: '/' }] },
};

/** Who may open each page prefix of PAGE_POLICIES. */
const PAGES: Record<string, Caller[]> = {
  '/': EVERYONE,
  '/login': EVERYONE,
  '/setup': EVERYONE,
  '/d': EVERYONE,
  '/wall': LIVE,
  '/admin': ADMIN,
  '/qa': QA,
  '/summary': SUMMARY,
};

const ROUTES_DIR = fileURLToPath(new URL('../../web/src/routes', import.meta.url));

function pagePaths(dir = ROUTES_DIR): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pagePaths(full));
    else if (entry.name === '+page.svelte') {
      const rel = relative(ROUTES_DIR, dir).split(sep).filter(Boolean);
      // Route groups "(name)" do not appear in URLs; parameters become a sample value.
      const segments = rel.filter((s) => !/^\(.+\)$/.test(s)).map((s) => (s.startsWith('[') ? 'sample' : s));
      out.push('/' + segments.join('/'));
    }
  }
  return out.sort();
}

describe('access matrix', () => {
  let server: TestServer;
  const db = tempDbPath();
  const headers: Record<Caller, () => Promise<Record<string, string>>> = {} as never;

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
    const t = server.tandem;
    const origin = server.url;
    // Each check gets a fresh session, so a sign-out probe cannot spoil the next one.
    const user = async (roles: Parameters<typeof signedIn>[1], scope = {}) => {
      const u = await signedIn(t, roles, scope);
      return async () => {
        const { token } = await t.auth.sessions.create(u.userId);
        return { cookie: `tandem_session=${token}`, origin };
      };
    };
    headers.anonymous = async () => ({ origin });
    headers.admin = await user(['admin']);
    headers.supervisor = await user(['supervisor']);
    headers.scopedSupervisor = await user(['supervisor'], { scopeQueues: ['sales'] });
    headers.qa = await user(['qa']);
    headers.executive = await user(['executive']);
    const display = await t.admin.createDisplay(
      { actor: { kind: 'test', id: null, name: 'test' } },
      { name: 'Floor', board: 'overview', scopeQueues: [] },
    );
    headers.display = async () => ({ cookie: `tandem_display=${display.token}`, origin });
    const gone = await t.admin.createDisplay(
      { actor: { kind: 'test', id: null, name: 'test' } },
      { name: 'Old', board: 'overview', scopeQueues: [] },
    );
    await t.admin.revokeDisplay({ actor: { kind: 'test', id: null, name: 'test' } }, gone.display.id);
    headers.revokedDisplay = async () => ({ cookie: `tandem_display=${gone.token}`, origin });
    headers.key = async () => ({ authorization: `Bearer ${server.key}` });
    const revoked = await ingestKey(t);
    const revokedId = (await t.auth.keys.list()).find((k) => revoked.startsWith(k.prefix))!.id;
    await t.admin.revokeKey({ actor: { kind: 'test', id: null, name: 'test' } }, revokedId);
    headers.revokedKey = async () => ({ authorization: `Bearer ${revoked}` });
    headers.unknownKey = async () => ({ authorization: 'Bearer tdk_' + 'a'.repeat(52) });
    const stale = await signedIn(t, ['admin']);
    await t.auth.sessions.invalidate(stale.sessionId); // what an expired session looks like to a request
    headers.expiredSession = async () => ({ cookie: stale.cookie, origin });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('has an entry for every route the app registers, and no stale ones', () => {
    const app = createApp(server.tandem, { upgradeWebSocket });
    const registered = new Set(app.routes.map((r) => `${r.method} ${r.path}`));
    expect([...registered].sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it('has a policy for every page of the web app', () => {
    expect(Object.keys(PAGES).sort()).toEqual(Object.keys(PAGE_POLICIES).sort());
    for (const path of pagePaths()) {
      const first = '/' + (path.split('/')[1] ?? '');
      expect(Object.keys(PAGE_POLICIES), `page ${path} needs an entry in PAGE_POLICIES`).toContain(first);
      expect(pagePolicy(path)).toBe(PAGE_POLICIES[first]);
    }
  });

  async function http(caller: Caller, probe: Probe, method: string): Promise<number> {
    const h = await headers[caller]();
    const res = await fetch(server.url + probe.path, {
      method,
      redirect: 'manual',
      headers: { ...h, ...(probe.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: probe.body !== undefined ? JSON.stringify(probe.body) : undefined,
    });
    await res.arrayBuffer();
    return res.status;
  }

  function websocket(caller: Caller, probe: Probe): Promise<number> {
    return headers[caller]().then(
      (h) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(server.url.replace('http', 'ws') + probe.path, { headers: h });
          ws.once('open', () => {
            ws.terminate();
            resolve(101);
          });
          ws.once('unexpected-response', (_req, res) => {
            resolve(res.statusCode ?? 0);
            ws.terminate();
          });
          ws.once('error', () => resolve(-1));
        }),
    );
  }

  for (const [route, entry] of Object.entries(MATRIX)) {
    const method = route.split(' ')[0]!;
    it(`${route}`, async () => {
      for (const probe of entry.probes) {
        for (const caller of CALLERS) {
          const status = probe.ws
            ? await websocket(caller, probe)
            : await http(caller, probe, method === 'ALL' ? 'GET' : method);
          const label = `${caller} ${method} ${probe.path} -> ${status}`;
          if (entry.allow.includes(caller)) expect([401, 403], label).not.toContain(status);
          else expect(status, label).toBe(UNAUTHENTICATED.has(caller) ? 401 : 403);
        }
      }
    });
  }

  for (const [prefix, allowed] of Object.entries(PAGES)) {
    const path = prefix === '/d' ? '/d/notatoken' : prefix === '/admin' ? '/admin/users' : prefix;
    it(`page ${path}`, async () => {
      for (const caller of CALLERS) {
        const h = await headers[caller]();
        const res = await fetch(server.url + path, { headers: h, redirect: 'manual' });
        await res.arrayBuffer();
        const location = res.headers.get('location') ?? '';
        const label = `${caller} ${path} -> ${res.status} ${location}`;
        if (allowed.includes(caller)) {
          expect(location, label).not.toMatch(/^\/login|^\/\?denied/);
        } else if (UNAUTHENTICATED.has(caller)) {
          expect(location, label).toMatch(/^\/login\?next=/);
        } else {
          expect(location, label).toMatch(/^\/\?denied=/);
        }
      }
    });
  }
});
