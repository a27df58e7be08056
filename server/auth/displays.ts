/**
 * Wall-display links: a long random token in the URL, stored hashed. A link never expires by idle
 * time (screens run for weeks) but can be revoked, after which the screen says so.
 */
import type { Board, DisplayView } from '../contract/auth.ts';
import type { Database } from '../db/duckdb.ts';
import { NotFound } from '../http/errors.ts';
import { readList, writeList } from './json-list.ts';
import { generateToken, hashToken, newId } from './tokens.ts';

type DisplayRow = {
  id: string;
  name: string;
  board: string;
  token_hash: string;
  scope_queues: string;
  created_ms: number;
  created_by: string;
  revoked_ms: number | null;
  last_seen_ms: number | null;
};

function viewOf(r: DisplayRow): DisplayView {
  return {
    id: r.id,
    name: r.name,
    board: r.board as Board,
    scopeQueues: readList(r.scope_queues),
    createdAt: r.created_ms,
    createdBy: r.created_by,
    revokedAt: r.revoked_ms,
    lastSeenAt: r.last_seen_ms,
  };
}

/** Last-seen times are written at most this often per display. */
const SEEN_EVERY_MS = 5 * 60_000;
export const DISPLAY_TOKEN_BYTES = 32;

export type DisplayLookup = { status: 'ok'; display: DisplayView } | { status: 'revoked' | 'unknown' };

export class Displays {
  #seen = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(
    d: { name: string; board: Board; scopeQueues: string[] },
    createdBy: string,
  ): Promise<{ token: string; display: DisplayView }> {
    const token = generateToken(DISPLAY_TOKEN_BYTES);
    const id = newId();
    await this.db.write((tx) =>
      tx.query('INSERT INTO displays VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL)', [
        id,
        d.name,
        d.board,
        hashToken(token),
        writeList(d.scopeQueues),
        this.clock(),
        createdBy,
      ]),
    );
    return { token, display: (await this.byId(id))! };
  }

  async byId(id: string): Promise<DisplayView | null> {
    const [row] = await this.db.query<DisplayRow>('SELECT * FROM displays WHERE id = ?', [id]);
    return row ? viewOf(row) : null;
  }

  async list(): Promise<DisplayView[]> {
    return (await this.db.query<DisplayRow>('SELECT * FROM displays ORDER BY revoked_ms NULLS FIRST, name')).map(
      viewOf,
    );
  }

  async lookup(token: string): Promise<DisplayLookup> {
    if (!/^[a-z2-7]{40,80}$/.test(token)) return { status: 'unknown' };
    const [row] = await this.db.query<DisplayRow>('SELECT * FROM displays WHERE token_hash = ?', [hashToken(token)]);
    if (!row) return { status: 'unknown' };
    if (row.revoked_ms !== null) return { status: 'revoked' };
    const now = this.clock();
    if (now - (this.#seen.get(row.id) ?? row.last_seen_ms ?? 0) >= SEEN_EVERY_MS) {
      this.#seen.set(row.id, now);
      await this.db.write((tx) => tx.query('UPDATE displays SET last_seen_ms = ? WHERE id = ?', [now, row.id]));
    }
    return { status: 'ok', display: viewOf(row) };
  }

  async revoke(id: string): Promise<DisplayView> {
    const d = await this.byId(id);
    if (!d) throw new NotFound(`no display with id ${id}`);
    if (d.revokedAt === null) {
      await this.db.write((tx) => tx.query('UPDATE displays SET revoked_ms = ? WHERE id = ?', [this.clock(), id]));
    }
    return (await this.byId(id))!;
  }

  /** Gives a display a new link (the old one stops working); used for the demo wall on each start. */
  async rotate(id: string): Promise<string> {
    const token = generateToken(DISPLAY_TOKEN_BYTES);
    await this.db.write((tx) =>
      tx.query('UPDATE displays SET token_hash = ?, revoked_ms = NULL WHERE id = ?', [hashToken(token), id]),
    );
    return token;
  }
}
