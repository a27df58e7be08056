/**
 * Backup and restore: a backup is a directory of one Parquet file per kept table plus manifest.json,
 * written from one snapshot; a restore builds a new database file from it and only then puts it in place.
 *
 * Why not DuckDB's EXPORT DATABASE / IMPORT DATABASE: EXPORT writes every table (it has no way to
 * leave the derived ones out) and its own schema.sql, which restores the schema of the day but not
 * the record of migrations that produced it. Here the schema comes from the migrations the manifest
 * names, so a backup from an older Tandem is loaded into exactly its own schema and then upgraded by
 * the newer migrations, as a database file would be. The data travels the way EXPORT moves it: COPY ..
 * TO Parquet, and back with read_parquet.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { openDatabase, sqlString, type Database } from './duckdb.ts';
import { knownMigrations, migrate, MIGRATIONS_DIR } from './migrate.ts';

/**
 * What a backup keeps: the event log (the source of every figure) and everything people made or
 * configured. events_incoming is normally empty; after a crash it holds rows the next start recovers.
 */
export const KEPT_TABLES = [
  'events',
  'events_incoming',
  'users',
  'ingest_keys',
  'displays',
  'audit_log',
  'kpi_settings',
  'qa_settings',
  'summary_settings',
  'boards',
  'playlists',
  'scorecards',
  'scorecard_versions',
  'qa_evaluations',
  'qa_calibrations',
  // Consistent with the events beside it (same transaction), so a restored node resumes the stream there.
  'stream_positions',
] as const;

/**
 * Left out and rebuilt from the events after a restore: they follow the log by rowid, and the
 * migrations create them empty with their watermark at -1, so the server's first refreshes rebuild them.
 * Sessions are left out on purpose: a restored session could be one signed out or revoked since the
 * backup (the sign-out only deleted its row), so after a restore everyone signs in again.
 * schema_migrations is the manifest's `migrations`.
 */
export const SKIPPED_TABLES = [
  'sessions',
  'schema_migrations',
  'kpi_contacts',
  'kpi_facts',
  'kpi_agent_states',
  'kpi_facts_state',
  'kpi_fact_changes',
  'kpi_rollup_days',
  'kpi_rollup_slots',
  'kpi_rollup_entries',
  'transcript_index_state',
  'transcript_vocab',
  'transcript_segments',
  'transcript_postings',
  'transcript_postings_tail',
  'transcript_terms', // before migration 010
  'qa_contacts',
  'qa_contacts_state',
  // The health check's own row (server/health/write-probe.ts), made on first use outside the migrations.
  'health_probe',
  // The transcript index's sorted copy while a merge builds it (a merge cut short leaves it behind).
  'transcript_postings_next',
] as const;

const FORMAT = 'tandem-backup';
const FORMAT_VERSION = 1;

const manifestSchema = z.object({
  format: z.literal(FORMAT),
  formatVersion: z.number().int(),
  tandemVersion: z.string(),
  createdAt: z.string(),
  migrations: z.array(z.string()),
  tables: z.record(z.string(), z.number().int().nonnegative()),
});
export type Manifest = z.infer<typeof manifestSchema>;

const fileOf = (dir: string, table: string) => join(dir, `${table}.parquet`);

async function tablesOf(db: { query: Database['query'] }): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY name",
  );
  return rows.map((r) => r.name);
}

async function rowCount(db: { query: Database['query'] }, table: string): Promise<number> {
  // The name is one of KEPT_TABLES, never input.
  const [row] = await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
  return row?.n ?? 0;
}

/**
 * Writes a backup of `db` into `dir` (created; it must be empty if it exists). Every table is read in
 * one transaction, so the backup is one moment of the database even while events keep arriving.
 * manifest.json is written last: a directory without it is an unfinished backup and is never restored.
 */
export async function backupDatabase(db: Database, dir: string, tandemVersion: string): Promise<Manifest> {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${dir} is not empty: back up into a new directory`);
  }
  const created = !existsSync(target);
  mkdirSync(target, { recursive: true });
  const written: string[] = [];
  // A failed backup leaves nothing behind that could be mistaken for part of one.
  const discard = () => {
    if (created) rmSync(target, { recursive: true, force: true });
    else for (const file of written) rmSync(file, { force: true });
  };
  return db
    .snapshot(async (tx) => {
      const tables = await tablesOf(tx);
      const known = new Set<string>([...KEPT_TABLES, ...SKIPPED_TABLES]);
      const unknown = tables.filter((t) => !known.has(t));
      // A table added by a later migration must be sorted into kept or skipped, never silently lost.
      if (unknown.length)
        throw new Error(`no backup rule for table ${unknown.join(', ')}: is this Tandem older than the database?`);
      const migrations = (await tx.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map(
        (r) => r.name,
      );
      const counts: Record<string, number> = {};
      for (const table of KEPT_TABLES) {
        if (!tables.includes(table)) continue; // an older schema
        counts[table] = await rowCount(tx, table);
        // In the table's own order: the events keep their rowids, the order the server read them in.
        written.push(fileOf(target, table));
        await tx.query(`COPY ${table} TO ${sqlString(fileOf(target, table))} (FORMAT parquet, COMPRESSION zstd)`);
      }
      const manifest: Manifest = {
        format: FORMAT,
        formatVersion: FORMAT_VERSION,
        tandemVersion,
        createdAt: new Date().toISOString(),
        migrations,
        tables: counts,
      };
      writeFileSync(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      return manifest;
    })
    .catch((err: unknown) => {
      discard();
      throw err;
    });
}

/** The backup's manifest, checked against what this code can restore. */
export function readManifest(dir: string, migrationsDir = MIGRATIONS_DIR): Manifest {
  const file = join(resolve(dir), 'manifest.json');
  if (!existsSync(file)) throw new Error(`${dir} holds no manifest.json: not a Tandem backup, or an unfinished one`);
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || parsed.data.format !== FORMAT) throw new Error(`${file} is not a Tandem backup manifest`);
  const manifest = parsed.data;
  if (manifest.formatVersion > FORMAT_VERSION) {
    throw new Error(
      `the backup was written by a newer Tandem (${manifest.tandemVersion}): upgrade Tandem to restore it`,
    );
  }
  const known = knownMigrations(migrationsDir);
  // Migrations apply in order, so a backup's must be the first of ours; any other is a newer schema.
  const newer = manifest.migrations.filter((m, i) => known[i] !== m);
  if (newer.length) {
    throw new Error(
      `the backup's schema is newer than this Tandem knows (${newer.join(', ')}; made by Tandem ${manifest.tandemVersion}): upgrade Tandem to restore it`,
    );
  }
  const kept = new Set<string>(KEPT_TABLES);
  for (const table of Object.keys(manifest.tables)) {
    if (!kept.has(table)) throw new Error(`the backup holds a table this Tandem does not restore: ${table}`);
    if (!existsSync(fileOf(resolve(dir), table))) throw new Error(`the backup lacks ${table}.parquet`);
  }
  return manifest;
}

/** Rows in the kept tables of the database at `path` (0 for a new file): what a restore would replace. */
async function existingRows(path: string): Promise<number> {
  if (!existsSync(path)) return 0;
  let db: Database;
  try {
    db = await openDatabase(path);
  } catch (err) {
    if (/lock/i.test((err as Error).message)) {
      throw new Error(`${path} is in use by a running Tandem server: stop it before restoring`, { cause: err });
    }
    throw err;
  }
  try {
    const tables = new Set(await tablesOf(db));
    let rows = 0;
    for (const table of KEPT_TABLES) if (tables.has(table)) rows += await rowCount(db, table);
    return rows;
  } finally {
    await db.close();
  }
}

function moveDatabase(from: string, to: string): void {
  renameSync(from, to);
  if (existsSync(`${from}.wal`)) renameSync(`${from}.wal`, `${to}.wal`);
}

function removeDatabase(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

export type RestoreResult = { manifest: Manifest; replaced: string | null };

/**
 * Restores the backup in `dir` into the database file `path`. Refuses a database that holds data unless
 * `force`; then the old file is kept beside it (`replaced`), not deleted. The new database is built in
 * a file of its own and moved into place only once every table is loaded and counted, so a failed
 * restore leaves the old database as it was.
 */
export async function restoreDatabase(
  path: string,
  dir: string,
  options: { force?: boolean; migrationsDir?: string; now?: number } = {},
): Promise<RestoreResult> {
  const source = resolve(dir);
  const manifest = readManifest(source, options.migrationsDir);
  const rows = await existingRows(path);
  if (rows > 0 && !options.force) {
    throw new Error(
      `${path} already holds data (${rows} rows): restore into a new TANDEM_DB, or pass --force to replace it`,
    );
  }
  const building = `${path}.restoring`;
  removeDatabase(building);
  const db = await openDatabase(building);
  try {
    await migrate(db, options.migrationsDir, manifest.migrations.at(-1) ?? '');
    await db.write(async (tx) => {
      for (const [table, expected] of Object.entries(manifest.tables)) {
        // BY NAME: columns match by name, whatever order ALTER TABLE left them in.
        await tx.query(`INSERT INTO ${table} BY NAME SELECT * FROM read_parquet(?)`, [fileOf(source, table)]);
        const [row] = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
        if (row?.n !== expected) {
          throw new Error(`${table}.parquet holds ${row?.n ?? 0} rows where the manifest says ${expected}`);
        }
      }
    });
    // Then up to this Tandem's schema, as a database file of that age would be on start-up.
    await migrate(db, options.migrationsDir);
  } catch (err) {
    await db.close();
    removeDatabase(building);
    throw err;
  }
  await db.close();
  let replaced: string | null = null;
  if (existsSync(path)) {
    const stamp = new Date(options.now ?? Date.now()).toISOString().replaceAll(':', '').replace(/\..*/, '');
    replaced = `${path}.before-restore-${stamp}`;
    moveDatabase(path, replaced);
  }
  moveDatabase(building, path);
  return { manifest, replaced };
}
