/**
 * The audit log: who did what, when, from where. The app only ever appends. Each entry's hash covers
 * its content and the previous entry's hash, so `verify()` finds rows changed or removed behind the
 * app's back (it cannot stop someone with the database file from rewriting the whole chain).
 */
import type { AuditEntry } from '../contract/auth.ts';
import type { Database } from '../db/duckdb.ts';
import { hashToken } from './tokens.ts';

export type AuditInput = {
  actor: { kind: string; id: string | null; name: string | null };
  action: string;
  target?: string | null;
  detail?: unknown;
  ip?: string | null;
};

type AuditRow = {
  seq: number;
  at_ms: number;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
  prev_hash: string;
  hash: string;
};

const GENESIS = '0'.repeat(64);

function entryHash(prev: string, e: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  return hashToken(
    JSON.stringify([prev, e.seq, e.at_ms, e.actor_kind, e.actor_id, e.actor_name, e.action, e.target, e.detail, e.ip]),
  );
}

export type AuditQuery = { action?: string; actor?: string; before?: number; limit?: number };

export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async append(input: AuditInput): Promise<void> {
    await this.db.write(async (tx) => {
      const [last] = await tx.query<{ seq: number; hash: string }>(
        'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
      );
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at_ms: this.clock(),
        actor_kind: input.actor.kind,
        actor_id: input.actor.id,
        actor_name: input.actor.name,
        action: input.action,
        target: input.target ?? null,
        detail: input.detail === undefined ? null : JSON.stringify(input.detail),
        ip: input.ip ?? null,
      };
      const prev = last?.hash ?? GENESIS;
      await tx.query('INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        row.seq,
        row.at_ms,
        row.actor_kind,
        row.actor_id,
        row.actor_name,
        row.action,
        row.target,
        row.detail,
        row.ip,
        prev,
        entryHash(prev, row),
      ]);
    });
  }

  /** Newest first; `before` pages back by sequence number. */
  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (q.action) {
      where.push('action LIKE ?');
      params.push(`${q.action.replace(/[%_\\]/g, '\\$&')}%`);
    }
    if (q.actor) {
      where.push('(actor_name = ? OR actor_id = ?)');
      params.push(q.actor, q.actor);
    }
    if (q.before !== undefined) {
      where.push('seq < ?');
      params.push(q.before);
    }
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
      [...params, Math.min(Math.max(q.limit ?? 100, 1), 1000)],
    );
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at_ms,
      actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
      action: r.action,
      target: r.target,
      detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown),
      ip: r.ip,
    }));
  }

  /** Walks the chain; returns the first sequence number that does not match, or null when intact. */
  async verify(): Promise<{ entries: number; brokenAt: number | null }> {
    const rows = await this.db.query<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
    let prev = GENESIS;
    let expectedSeq = 1;
    for (const r of rows) {
      if (r.seq !== expectedSeq || r.prev_hash !== prev || r.hash !== entryHash(prev, r)) {
        return { entries: rows.length, brokenAt: r.seq };
      }
      prev = r.hash;
      expectedSeq++;
    }
    return { entries: rows.length, brokenAt: null };
  }
}
