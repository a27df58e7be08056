/** Applies data/migrations/NNN_name.sql in order, once each, recording them in schema_migrations. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './duckdb.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../data/migrations', import.meta.url));

export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  return db.write(async (tx) => {
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_ms BIGINT NOT NULL)',
    );
    const done = new Set((await tx.query<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.query(readFileSync(join(dir, file), 'utf8'));
      await tx.query('INSERT INTO schema_migrations VALUES (?, ?)', [file, Date.now()]);
      applied.push(file);
    }
    return applied;
  });
}
