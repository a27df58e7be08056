/**
 * Administrative actions, shared by the admin API and the CLI. Each one is written to the audit
 * log with who asked and from where, after it succeeds.
 */
import type { Board, DisplayView, KeyView, Role, UserView } from '../contract/auth.ts';
import { Conflict } from '../http/errors.ts';
import type { Auth } from './auth.ts';
import type { UserChanges, NewUser } from './users.ts';
import { viewOf } from './users.ts';

export type Actor = { kind: string; id: string | null; name: string | null };
export type Origin = { actor: Actor; ip?: string | null };

export class Admin {
  constructor(private readonly auth: Auth) {}

  async createUser(o: Origin, input: NewUser): Promise<Omit<UserView, 'activeSessions'>> {
    const user = await this.auth.users.create(input);
    await this.#audit(o, 'user.create', `user:${user.username}`, {
      roles: user.roles,
      scopeQueues: user.scopeQueues,
      scopeTeams: user.scopeTeams,
    });
    return viewOf(user);
  }

  async updateUser(o: Origin, id: string, changes: UserChanges): Promise<Omit<UserView, 'activeSessions'>> {
    const current = await this.auth.users.byId(id);
    if (current) await this.#keepAnAdmin(current.id, current.roles, changes);
    const { before, after } = await this.auth.users.update(id, changes);
    const changed = Object.keys(changes).filter((k) => k !== 'password' || changes.password !== undefined);
    // A new password or a disabled account ends every session; other changes end live sockets so
    // they reconnect under the new roles and scope.
    let ended = 0;
    if (changes.password !== undefined || (after.disabled && !before.disabled)) {
      ended = await this.auth.sessions.invalidateUser(id);
    }
    this.auth.revoked({ kind: 'user', id });
    await this.#audit(o, 'user.update', `user:${after.username}`, {
      changed,
      ...(changes.roles ? { roles: { from: before.roles, to: after.roles } } : {}),
      ...(changes.scopeQueues ? { scopeQueues: { from: before.scopeQueues, to: after.scopeQueues } } : {}),
      ...(changes.scopeTeams ? { scopeTeams: { from: before.scopeTeams, to: after.scopeTeams } } : {}),
      ...(changes.disabled !== undefined ? { disabled: after.disabled } : {}),
      sessionsEnded: ended,
    });
    return viewOf(after);
  }

  /** Signs a user out on every device. */
  async signOutEverywhere(o: Origin, id: string, exceptSession?: string): Promise<number> {
    const user = await this.auth.users.byId(id);
    const ended = await this.auth.sessions.invalidateUser(id, exceptSession);
    this.auth.revoked({ kind: 'user', id });
    await this.#audit(o, 'user.sign_out_everywhere', `user:${user?.username ?? id}`, { sessionsEnded: ended });
    return ended;
  }

  async createKey(
    o: Origin,
    input: { name: string; scopeSources: string[]; scopeQueues: string[] },
  ): Promise<{ secret: string; key: KeyView }> {
    const created = await this.auth.keys.create(input, o.actor.name ?? o.actor.kind);
    await this.#audit(o, 'key.create', `key:${created.key.id}`, {
      name: input.name,
      prefix: created.key.prefix,
      scopeSources: input.scopeSources,
      scopeQueues: input.scopeQueues,
    });
    return created;
  }

  async revokeKey(o: Origin, id: string): Promise<KeyView> {
    const key = await this.auth.keys.revoke(id);
    this.auth.revoked({ kind: 'key', id });
    await this.#audit(o, 'key.revoke', `key:${id}`, { name: key.name, prefix: key.prefix });
    return key;
  }

  async createDisplay(
    o: Origin,
    input: { name: string; board: Board; scopeQueues: string[] },
  ): Promise<{ token: string; display: DisplayView }> {
    const created = await this.auth.displays.create(input, o.actor.name ?? o.actor.kind);
    await this.#audit(o, 'display.create', `display:${created.display.id}`, input);
    return created;
  }

  async revokeDisplay(o: Origin, id: string): Promise<DisplayView> {
    const display = await this.auth.displays.revoke(id);
    this.auth.revoked({ kind: 'display', id });
    await this.#audit(o, 'display.revoke', `display:${id}`, { name: display.name });
    return display;
  }

  async #keepAnAdmin(id: string, roles: Role[], changes: UserChanges): Promise<void> {
    const losesAdmin =
      roles.includes('admin') && (changes.disabled === true || (changes.roles && !changes.roles.includes('admin')));
    if (!losesAdmin) return;
    const admins = await this.auth.users.activeAdmins();
    if (admins.every((a) => a.id === id)) {
      throw new Conflict('this is the last active admin: make another admin first', 'roles');
    }
  }

  #audit(o: Origin, action: string, target: string, detail: unknown): Promise<void> {
    return this.auth.audit.append({ actor: o.actor, action, target, detail, ip: o.ip ?? null });
  }
}
