/** User accounts: create, read, update, disable. Passwords arrive here only to be hashed. */
import type { Role, UserView } from '../contract/auth.ts';
import type { Database } from '../db/duckdb.ts';
import { Conflict, NotFound } from '../http/errors.ts';
import { readList, writeList } from './json-list.ts';
import { hashPassword } from './passwords.ts';
import { newId } from './tokens.ts';

export type UserRow = {
  id: string;
  username: string;
  display_name: string | null;
  password_hash: string;
  roles: string;
  scope_queues: string;
  scope_teams: string;
  disabled: boolean;
  created_ms: number;
  password_changed_ms: number;
};

/** An account as the server holds it: what admins see, plus the password hash. */
export type User = Omit<UserView, 'activeSessions'> & { passwordHash: string };

export function userFromRow(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    roles: readList<Role>(r.roles),
    scopeQueues: readList(r.scope_queues),
    scopeTeams: readList(r.scope_teams),
    disabled: r.disabled,
    createdAt: r.created_ms,
    passwordChangedAt: r.password_changed_ms,
  };
}

export type NewUser = {
  username: string;
  displayName?: string | null;
  password: string;
  roles: Role[];
  scopeQueues?: string[];
  scopeTeams?: string[];
};

export type UserChanges = {
  displayName?: string | null;
  roles?: Role[];
  scopeQueues?: string[];
  scopeTeams?: string[];
  disabled?: boolean;
  password?: string;
};

export class Users {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async count(): Promise<number> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*) AS n FROM users');
    return row?.n ?? 0;
  }

  async create(u: NewUser): Promise<User> {
    const passwordHash = await hashPassword(u.password);
    const now = this.clock();
    const id = newId();
    await this.db.write(async (tx) => {
      const taken = await tx.query('SELECT 1 FROM users WHERE username = ?', [u.username]);
      if (taken.length) throw new Conflict(`username "${u.username}" is taken`, 'username');
      await tx.query('INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, false, ?, ?)', [
        id,
        u.username,
        u.displayName ?? null,
        passwordHash,
        writeList(u.roles),
        writeList(u.scopeQueues ?? []),
        writeList(u.scopeTeams ?? []),
        now,
        now,
      ]);
    });
    return (await this.byId(id))!;
  }

  async byId(id: string): Promise<User | null> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE id = ?', [id]);
    return row ? userFromRow(row) : null;
  }

  async byUsername(username: string): Promise<User | null> {
    const [row] = await this.db.query<UserRow>('SELECT * FROM users WHERE username = ?', [
      username.trim().toLowerCase(),
    ]);
    return row ? userFromRow(row) : null;
  }

  async list(now = this.clock()): Promise<UserView[]> {
    const rows = await this.db.query<UserRow & { sessions: number }>(
      `SELECT u.*, (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_ms > ?) AS sessions
       FROM users u ORDER BY u.username`,
      [now],
    );
    return rows.map((r) => ({ ...viewOf(userFromRow(r)), activeSessions: r.sessions }));
  }

  /** Applies changes; returns the user before and after so callers can tell what changed. */
  async update(id: string, changes: UserChanges): Promise<{ before: User; after: User }> {
    const before = await this.byId(id);
    if (!before) throw new NotFound(`no user with id ${id}`);
    const passwordHash = changes.password !== undefined ? await hashPassword(changes.password) : null;
    await this.db.write(async (tx) => {
      await tx.query(
        `UPDATE users SET display_name = ?, roles = ?, scope_queues = ?, scope_teams = ?, disabled = ?,
           password_hash = ?, password_changed_ms = ? WHERE id = ?`,
        [
          changes.displayName !== undefined ? changes.displayName : before.displayName,
          writeList(changes.roles ?? before.roles),
          writeList(changes.scopeQueues ?? before.scopeQueues),
          writeList(changes.scopeTeams ?? before.scopeTeams),
          changes.disabled ?? before.disabled,
          passwordHash ?? before.passwordHash,
          passwordHash ? this.clock() : before.passwordChangedAt,
          id,
        ],
      );
    });
    return { before, after: (await this.byId(id))! };
  }

  /** Admins that can still sign in: the last one must not lock everybody out. */
  async activeAdmins(): Promise<User[]> {
    const rows = await this.db.query<UserRow>('SELECT * FROM users WHERE NOT disabled');
    return rows.map(userFromRow).filter((u) => u.roles.includes('admin'));
  }
}

export function viewOf(u: User): Omit<UserView, 'activeSessions'> {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    scopeQueues: u.scopeQueues,
    scopeTeams: u.scopeTeams,
    disabled: u.disabled,
    createdAt: u.createdAt,
    passwordChangedAt: u.passwordChangedAt,
  };
}
