/** The admin API: users, roles and scopes, ingest keys, display links, and the audit log. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { type Origin } from '../../auth/admin.ts';
import { actorOf } from '../../auth/principal.ts';
import { displayCreateRequest, keyCreateRequest, userCreateRequest, userUpdateRequest } from '../../contract/auth.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody, queryOf } from '../validate.ts';

const auditQuery = z.object({
  action: z.string().max(100).optional(),
  actor: z.string().max(100).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The link a wall screen opens; relative to the server unless a public URL is configured. */
export function displayPath(token: string): string {
  return `/d/${token}`;
}

export function adminRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admin = t.admin;
  const origin = (c: Context<AppEnv>): Origin => ({ actor: actorOf(c.get('principal')), ip: c.get('clientIp') });
  const link = (c: Context<AppEnv>, token: string) =>
    new URL(displayPath(token), t.config.publicUrl ?? new URL(c.req.url).origin).href;

  app.get('/api/admin/users', allow('admin'), async (c) => c.json({ users: await t.auth.users.list() }));
  app.post('/api/admin/users', allow('admin'), async (c) => {
    const body = await jsonBody(c, userCreateRequest);
    return c.json({ user: await admin.createUser(origin(c), body) }, 201);
  });
  app.patch('/api/admin/users/:id', allow('admin'), async (c) => {
    const body = await jsonBody(c, userUpdateRequest);
    const updated = await admin.updateUser(origin(c), c.req.param('id'), body);
    // The admin view as GET lists it, sessions count included.
    return c.json({ user: (await t.auth.users.list()).find((u) => u.id === updated.id) ?? updated });
  });
  app.post('/api/admin/users/:id/sign-out', allow('admin'), async (c) =>
    c.json({ sessionsEnded: await admin.signOutEverywhere(origin(c), c.req.param('id')) }),
  );

  app.get('/api/admin/keys', allow('admin'), async (c) => c.json({ keys: await t.auth.keys.list() }));
  app.post('/api/admin/keys', allow('admin'), async (c) => {
    const body = await jsonBody(c, keyCreateRequest);
    const { secret, key } = await admin.createKey(origin(c), body);
    return c.json({ key, secret }, 201);
  });
  app.post('/api/admin/keys/:id/revoke', allow('admin'), async (c) =>
    c.json({ key: await admin.revokeKey(origin(c), c.req.param('id')) }),
  );

  app.get('/api/admin/displays', allow('admin'), async (c) => c.json({ displays: await t.auth.displays.list() }));
  app.post('/api/admin/displays', allow('admin'), async (c) => {
    const body = await jsonBody(c, displayCreateRequest);
    await t.boards.checkScreen(body.board);
    const { token, display } = await admin.createDisplay(origin(c), body);
    return c.json({ display, url: link(c, token) }, 201);
  });
  app.post('/api/admin/displays/:id/revoke', allow('admin'), async (c) =>
    c.json({ display: await admin.revokeDisplay(origin(c), c.req.param('id')) }),
  );

  app.get('/api/admin/audit', allow('admin'), async (c) => {
    const q = queryOf(c, auditQuery);
    return c.json({ entries: await t.auth.audit.list(q) });
  });
  app.get('/api/admin/audit/verify', allow('admin'), async (c) => c.json(await t.auth.audit.verify()));
  return app;
}
