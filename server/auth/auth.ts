/**
 * Authentication: turns a presented secret (session cookie, display link, ingest key) into a
 * Principal, runs the login and first-run setup flows, and tells live connections when a secret
 * they were opened with stops being valid.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/duckdb.ts';
import { TooManyRequests, Unauthorized } from '../http/errors.ts';
import { AuditLog } from './audit.ts';
import { Displays } from './displays.ts';
import { IngestKeys } from './ingest-keys.ts';
import { burnVerification, verifyPassword } from './passwords.ts';
import {
  userScope,
  type DisplayPrincipal,
  type KeyPrincipal,
  type Principal,
  type UserPrincipal,
} from './principal.ts';
import { Sessions, type Session, type SessionMeta } from './sessions.ts';
import { LoginThrottle, type ThrottleOptions } from './throttle.ts';
import { generateToken, hashToken } from './tokens.ts';
import { Users, type User } from './users.ts';

export type Revocation =
  | { kind: 'user'; id: string }
  | { kind: 'session'; id: string }
  | { kind: 'display'; id: string }
  | { kind: 'key'; id: string };

/** Whether a revocation ends what this principal was let in with. */
export function revokes(r: Revocation, p: Principal): boolean {
  switch (p.kind) {
    case 'user':
      return (r.kind === 'user' && r.id === p.id) || (r.kind === 'session' && r.id === p.sessionId);
    case 'display':
      return r.kind === 'display' && r.id === p.id;
    case 'key':
      return r.kind === 'key' && r.id === p.id;
    default:
      return false;
  }
}

export type AuthOptions = {
  sessionLifetimeMs: number;
  throttle?: ThrottleOptions;
  clock?: () => number;
};

export const LOGIN_FAILED = 'username or password is incorrect';

export class Auth {
  readonly users: Users;
  readonly sessions: Sessions;
  readonly displays: Displays;
  readonly keys: IngestKeys;
  readonly audit: AuditLog;
  readonly throttle: LoginThrottle;
  #setupToken: string | null = null;
  #listeners = new Set<(r: Revocation) => void>();

  constructor(db: Database, options: AuthOptions) {
    const clock = options.clock ?? Date.now;
    this.users = new Users(db, clock);
    this.sessions = new Sessions(db, options.sessionLifetimeMs, clock);
    this.displays = new Displays(db, clock);
    this.keys = new IngestKeys(db, clock);
    this.audit = new AuditLog(db, clock);
    this.throttle = new LoginThrottle({ clock, ...options.throttle });
  }

  /** With no users yet, makes the one-time setup token (printed on the console by the server). */
  async init(): Promise<void> {
    this.#setupToken = (await this.users.count()) === 0 ? generateToken(20) : null;
  }

  get setupToken(): string | null {
    return this.#setupToken;
  }

  /** True while the setup link is still usable. */
  checkSetupToken(token: string): boolean {
    if (!this.#setupToken) return false;
    const a = Buffer.from(hashToken(token));
    const b = Buffer.from(hashToken(this.#setupToken));
    return timingSafeEqual(a, b);
  }

  /** Consumes the setup token; only one caller can win. */
  takeSetupToken(token: string): boolean {
    if (!this.checkSetupToken(token)) return false;
    this.#setupToken = null;
    return true;
  }

  /** Puts a taken token back when the account it was for could not be created. */
  restoreSetupToken(token: string): void {
    this.#setupToken ??= token;
  }

  async login(
    username: string,
    password: string,
    meta: SessionMeta,
  ): Promise<{ token: string; session: Session; user: User }> {
    const account = username.trim().toLowerCase();
    const address = meta.ip ?? 'unknown';
    const wait = this.throttle.waitMs(account, address);
    if (wait > 0) {
      throw new TooManyRequests(
        `too many sign-in attempts; try again in ${Math.ceil(wait / 1000)} seconds`,
        Math.ceil(wait / 1000),
      );
    }
    const user = await this.users.byUsername(account);
    const ok = user ? await verifyPassword(user.passwordHash, password) : (await burnVerification(password), false);
    if (!user || !ok || user.disabled) {
      this.throttle.failed(account, address);
      throw new Unauthorized(LOGIN_FAILED, 'login_failed');
    }
    this.throttle.succeeded(account);
    const { token, session } = await this.sessions.create(user.id, meta);
    return { token, session, user };
  }

  async principalFromSession(token: string): Promise<UserPrincipal | null> {
    const found = await this.sessions.validate(token);
    if (!found) return null;
    const { user, session, renewed } = found;
    return {
      kind: 'user',
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      scope: userScope(user.roles, user.scopeQueues, user.scopeTeams),
      sessionId: session.id,
      sessionExpiresAt: session.expiresAt,
      sessionRenewed: renewed,
    };
  }

  async principalFromDisplay(token: string): Promise<DisplayPrincipal | 'revoked' | null> {
    const found = await this.displays.lookup(token);
    if (found.status === 'revoked') return 'revoked';
    if (found.status !== 'ok') return null;
    const d = found.display;
    return {
      kind: 'display',
      id: d.id,
      name: d.name,
      board: d.board,
      scope: { queues: d.scopeQueues.length ? new Set(d.scopeQueues) : null, teams: null },
    };
  }

  async principalFromKey(secret: string): Promise<KeyPrincipal | 'revoked' | null> {
    const found = await this.keys.lookup(secret);
    if (found.status === 'revoked') return 'revoked';
    if (found.status !== 'ok') return null;
    const k = found.key;
    return {
      kind: 'key',
      id: k.id,
      name: k.name,
      sources: k.scopeSources.length ? new Set(k.scopeSources) : null,
      queues: k.scopeQueues.length ? new Set(k.scopeQueues) : null,
    };
  }

  /** Live connections listen here to close when their credentials stop being valid. */
  onRevoke(fn: (r: Revocation) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  revoked(r: Revocation): void {
    for (const fn of this.#listeners) fn(r);
  }
}
