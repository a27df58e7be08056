/** Sign-in, sign-out, who am I, password change and the first-run setup. */
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { capabilitiesOf, type Principal } from '../../auth/principal.ts';
import { hashToken } from '../../auth/tokens.ts';
import { verifyPassword } from '../../auth/passwords.ts';
import {
  loginRequest,
  passwordChangeRequest,
  setupRequest,
  type Capability,
  type DisplayCheck,
  type Me,
  type SetupCheck,
} from '../../contract/auth.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { BadRequest, Forbidden, Unauthorized } from '../errors.ts';
import { allow } from '../middleware/allow.ts';
import { DISPLAY_COOKIE, SESSION_COOKIE, setSessionCookie } from '../middleware/authenticate.ts';
import { jsonBody } from '../validate.ts';

export function meOf(p: Principal, setupRequired: boolean): Me {
  const capabilities = [...capabilitiesOf(p)] as Capability[];
  switch (p.kind) {
    case 'user':
      return {
        kind: 'user',
        id: p.id,
        username: p.username,
        displayName: p.displayName,
        roles: p.roles,
        capabilities,
        scope:
          p.scope.queues || p.scope.teams
            ? { queues: [...(p.scope.queues ?? [])], teams: [...(p.scope.teams ?? [])] }
            : null,
        sessionExpiresAt: p.sessionExpiresAt,
      };
    case 'display':
      return { kind: 'display', id: p.id, name: p.name, board: p.board, capabilities };
    default:
      return { kind: 'anonymous', setupRequired };
  }
}

export function authRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admin = t.admin;
  const meta = (c: Context<AppEnv>) => ({ ip: c.get('clientIp'), userAgent: c.req.header('user-agent') ?? null });

  app.get('/api/auth/me', allow('public'), (c) => c.json(meOf(c.get('principal'), t.auth.setupToken !== null)));

  app.post('/api/auth/login', allow('public'), async (c) => {
    const body = await jsonBody(c, loginRequest);
    let result;
    try {
      result = await t.auth.login(body.username, body.password, meta(c));
    } catch (err) {
      if (err instanceof Unauthorized) {
        await t.auth.audit.append({
          actor: { kind: 'anonymous', id: null, name: body.username.slice(0, 64) },
          action: 'auth.login_failed',
          ip: c.get('clientIp'),
        });
      }
      throw err;
    }
    // A fresh session on every sign-in: a token planted before login is never promoted.
    const previous = getCookie(c, SESSION_COOKIE);
    if (previous) await t.auth.sessions.invalidate(hashToken(previous));
    setSessionCookie(c, result.token, result.session.expiresAt);
    await t.auth.audit.append({
      actor: { kind: 'user', id: result.user.id, name: result.user.username },
      action: 'auth.login',
      ip: c.get('clientIp'),
    });
    const principal = await t.auth.principalFromSession(result.token);
    return c.json(meOf(principal!, false));
  });

  app.post('/api/auth/logout', allow('public'), async (c) => {
    const p = c.get('principal');
    if (p.kind === 'user') {
      await t.auth.sessions.invalidate(p.sessionId);
      t.auth.revoked({ kind: 'session', id: p.sessionId });
      await t.auth.audit.append({
        actor: { kind: 'user', id: p.id, name: p.username },
        action: 'auth.logout',
        ip: c.get('clientIp'),
      });
    }
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.post('/api/auth/logout-everywhere', allow('signed-in'), async (c) => {
    const p = c.get('principal');
    if (p.kind !== 'user') throw new Forbidden();
    const ended = await admin.signOutEverywhere(
      { actor: { kind: 'user', id: p.id, name: p.username }, ip: c.get('clientIp') },
      p.id,
    );
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ sessionsEnded: ended });
  });

  app.post('/api/auth/password', allow('signed-in'), async (c) => {
    const p = c.get('principal');
    if (p.kind !== 'user') throw new Forbidden();
    const body = await jsonBody(c, passwordChangeRequest);
    const user = await t.auth.users.byId(p.id);
    if (!user || !(await verifyPassword(user.passwordHash, body.currentPassword))) {
      throw new BadRequest('current password is incorrect', [{ path: 'currentPassword', message: 'is incorrect' }]);
    }
    // Every session ends, this one included; this device gets a new one.
    await admin.updateUser({ actor: { kind: 'user', id: p.id, name: p.username }, ip: c.get('clientIp') }, p.id, {
      password: body.newPassword,
    });
    const { token, session } = await t.auth.sessions.create(p.id, meta(c));
    setSessionCookie(c, token, session.expiresAt);
    return c.json({ ok: true });
  });

  app.get('/api/display', allow('public'), async (c) => {
    // Only the display cookie counts here, not a session: the screen must learn its own fate.
    const token = getCookie(c, DISPLAY_COOKIE);
    if (!token) return c.json({ status: 'none' } satisfies DisplayCheck);
    const found = await t.auth.displays.lookup(token);
    if (found.status !== 'ok') return c.json({ status: found.status } satisfies DisplayCheck);
    const d = found.display;
    return c.json({ status: 'ok', display: { id: d.id, name: d.name, board: d.board } } satisfies DisplayCheck);
  });

  app.get('/api/auth/setup', allow('public'), (c) => {
    const token = c.req.query('token') ?? '';
    return c.json({
      setupRequired: t.auth.setupToken !== null,
      valid: t.auth.checkSetupToken(token),
    } satisfies SetupCheck);
  });

  app.post('/api/auth/setup', allow('public'), async (c) => {
    const body = await jsonBody(c, setupRequest);
    // Accounts made another way since start-up (the CLI on a stopped server) retire the link too.
    if ((await t.auth.users.count()) > 0) await t.auth.init();
    if (!t.auth.takeSetupToken(body.token)) {
      throw new Unauthorized('this setup link is not valid or has been used already', 'setup_invalid');
    }
    try {
      const user = await admin.createUser(
        { actor: { kind: 'setup', id: null, name: body.username }, ip: c.get('clientIp') },
        { username: body.username, displayName: body.displayName ?? null, password: body.password, roles: ['admin'] },
      );
      const { token, session } = await t.auth.sessions.create(user.id, meta(c));
      setSessionCookie(c, token, session.expiresAt);
      const principal = await t.auth.principalFromSession(token);
      return c.json(meOf(principal!, false), 201);
    } catch (err) {
      t.auth.restoreSetupToken(body.token); // the link stays usable if creating the account failed
      throw err;
    }
  });
  return app;
}
