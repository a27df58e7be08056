/**
 * Sessions as the lucia-auth.com guide builds them: the browser holds a random token, the database
 * holds only its SHA-256 as the session id. Expiry slides: a session in use is extended once less
 * than half of its lifetime remains, so an active user stays in and an idle one drops out.
 */
import type { Database } from '../db/duckdb.ts';
import { generateToken, hashToken } from './tokens.ts';
import { userFromRow, type User, type UserRow } from './users.ts';

export type Session = { id: string; userId: string; createdAt: number; expiresAt: number };
export type SessionMeta = { ip?: string | null; userAgent?: string | null };

export class Sessions {
  constructor(
    private readonly db: Database,
    /** Idle lifetime of a session. */
    readonly lifetimeMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(userId: string, meta: SessionMeta = {}): Promise<{ token: string; session: Session }> {
    const token = generateToken();
    const now = this.clock();
    const session: Session = { id: hashToken(token), userId, createdAt: now, expiresAt: now + this.lifetimeMs };
    await this.db.write((tx) =>
      tx.query('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?)', [
        session.id,
        userId,
        now,
        session.expiresAt,
        meta.ip?.slice(0, 100) ?? null,
        meta.userAgent?.slice(0, 300) ?? null,
      ]),
    );
    return { token, session };
  }

  /** The session and its user for a presented token, or null (unknown, expired, or user disabled). */
  async validate(token: string): Promise<{ session: Session; user: User; renewed: boolean } | null> {
    if (!/^[a-z2-7]{32}$/.test(token)) return null;
    const id = hashToken(token);
    const [row] = await this.db.query<UserRow & { s_created: number; s_expires: number }>(
      `SELECT u.*, s.created_ms AS s_created, s.expires_ms AS s_expires
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
      [id],
    );
    if (!row) return null;
    const now = this.clock();
    const user = userFromRow(row);
    if (now >= row.s_expires || user.disabled) {
      await this.invalidate(id);
      return null;
    }
    const session: Session = { id, userId: user.id, createdAt: row.s_created, expiresAt: row.s_expires };
    const renewed = now >= session.expiresAt - this.lifetimeMs / 2;
    if (renewed) {
      session.expiresAt = now + this.lifetimeMs;
      await this.db.write((tx) => tx.query('UPDATE sessions SET expires_ms = ? WHERE id = ?', [session.expiresAt, id]));
    }
    return { session, user, renewed };
  }

  async invalidate(sessionId: string): Promise<void> {
    await this.db.write((tx) => tx.query('DELETE FROM sessions WHERE id = ?', [sessionId]));
  }

  /** Signs a user out everywhere; returns how many sessions ended. */
  async invalidateUser(userId: string, except?: string): Promise<number> {
    const rows = await this.db.write((tx) =>
      tx.query<{ id: string }>('DELETE FROM sessions WHERE user_id = ? AND id <> ? RETURNING id', [
        userId,
        except ?? '',
      ]),
    );
    return rows.length;
  }

  async purgeExpired(): Promise<void> {
    await this.db.write((tx) => tx.query('DELETE FROM sessions WHERE expires_ms <= ?', [this.clock()]));
  }
}
