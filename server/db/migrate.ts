/** Applies data/migrations/NNN_name.sql in order, once each, recording them in schema_migrations. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './duckdb.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../data/migrations', import.meta.url));

/** The migrations this code knows, in the order they apply. */
export function knownMigrations(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
}

/** `until`: stop after that migration (a restore builds the schema its backup was taken with first). */
export async function migrate(db: Database, dir = MIGRATIONS_DIR, until?: string): Promise<string[]> {
  const files = knownMigrations(dir).filter((f) => until === undefined || f <= until);
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
