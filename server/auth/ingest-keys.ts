/**
 * Ingest keys for producers: `tdk_` + 256 random bits, shown once, stored as SHA-256. Every event
 * request checks one, so valid keys are cached in memory; creating or revoking a key goes through
 * this class, which keeps the cache exact within this process.
 */
import type { KeyView } from '../contract/auth.ts';
import type { Database } from '../db/duckdb.ts';
import { NotFound } from '../http/errors.ts';
import { readList, writeList } from './json-list.ts';
import { generateToken, hashToken, newId } from './tokens.ts';

type KeyRow = {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  scope_sources: string;
  scope_queues: string;
  created_ms: number;
  created_by: string;
  revoked_ms: number | null;
  last_used_ms: number | null;
};

function viewOf(r: KeyRow): KeyView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scopeSources: readList(r.scope_sources),
    scopeQueues: readList(r.scope_queues),
    createdAt: r.created_ms,
    createdBy: r.created_by,
    revokedAt: r.revoked_ms,
    lastUsedAt: r.last_used_ms,
  };
}

export const KEY_PREFIX = 'tdk_';
const USED_EVERY_MS = 60_000;

export type KeyLookup = { status: 'ok'; key: KeyView } | { status: 'revoked' | 'unknown' };

export class IngestKeys {
  #byHash: Map<string, KeyView> | null = null;
  #revoked = new Set<string>();
  #used = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async #load(): Promise<Map<string, KeyView>> {
    if (this.#byHash) return this.#byHash;
    const rows = await this.db.query<KeyRow>('SELECT * FROM ingest_keys');
    const map = new Map<string, KeyView>();
    for (const r of rows) {
      if (r.revoked_ms === null) map.set(r.key_hash, viewOf(r));
      else this.#revoked.add(r.key_hash);
    }
    this.#byHash = map;
    return map;
  }

  async create(
    k: { name: string; scopeSources: string[]; scopeQueues: string[] },
    createdBy: string,
  ): Promise<{ secret: string; key: KeyView }> {
    const secret = KEY_PREFIX + generateToken(32);
    const id = newId();
    const hash = hashToken(secret);
    await this.db.write((tx) =>
      tx.query('INSERT INTO ingest_keys VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)', [
        id,
        k.name,
        hash,
        secret.slice(0, KEY_PREFIX.length + 6),
        writeList(k.scopeSources),
        writeList(k.scopeQueues),
        this.clock(),
        createdBy,
      ]),
    );
    const key = (await this.byId(id))!;
    (await this.#load()).set(hash, key);
    return { secret, key };
  }

  async byId(id: string): Promise<KeyView | null> {
    const [row] = await this.db.query<KeyRow>('SELECT * FROM ingest_keys WHERE id = ?', [id]);
    return row ? viewOf(row) : null;
  }

  async list(): Promise<KeyView[]> {
    const rows = await this.db.query<KeyRow>('SELECT * FROM ingest_keys ORDER BY revoked_ms NULLS FIRST, name');
    return rows.map((r) => ({
      ...viewOf(r),
      lastUsedAt: Math.max(r.last_used_ms ?? 0, this.#used.get(r.id) ?? 0) || null,
    }));
  }

  /** Checks a presented key. Cheap: a hash and a map lookup; the last-used time is written lazily. */
  async lookup(secret: string): Promise<KeyLookup> {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 120) return { status: 'unknown' };
    const hash = hashToken(secret);
    const key = (await this.#load()).get(hash);
    if (!key) return { status: this.#revoked.has(hash) ? 'revoked' : 'unknown' };
    const now = this.clock();
    const last = this.#used.get(key.id) ?? 0;
    this.#used.set(key.id, now);
    if (now - last >= USED_EVERY_MS) {
      void this.db
        .write((tx) => tx.query('UPDATE ingest_keys SET last_used_ms = ? WHERE id = ?', [now, key.id]))
        .catch(() => undefined);
    }
    return { status: 'ok', key };
  }

  async revoke(id: string): Promise<KeyView> {
    const k = await this.byId(id);
    if (!k) throw new NotFound(`no ingest key with id ${id}`);
    if (k.revokedAt === null) {
      const [row] = await this.db.write((tx) =>
        tx.query<{ key_hash: string }>('UPDATE ingest_keys SET revoked_ms = ? WHERE id = ? RETURNING key_hash', [
          this.clock(),
          id,
        ]),
      );
      if (row) {
        (await this.#load()).delete(row.key_hash);
        this.#revoked.add(row.key_hash);
      }
    }
    return (await this.byId(id))!;
  }
}
