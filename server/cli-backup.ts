/**
 * `tandem backup DIR` and `tandem restore DIR [--force]`, on TANDEM_DB while the server is stopped
 * (DuckDB lets one process open a file for writing, so a running server's file cannot be opened here).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { backupDatabase, restoreDatabase, type Manifest } from './db/backup.ts';
import { openDatabase, type Database } from './db/duckdb.ts';
import { VERSION } from './version.ts';

export const BACKUP_HELP = `  tandem backup DIR                     write a backup of TANDEM_DB (one snapshot, Parquet) into DIR
  tandem restore DIR [--force]          restore a backup into TANDEM_DB (--force replaces a database that
                                        holds data; the old file is kept beside it)
                                        (both work on TANDEM_DB while the server is stopped)
`;

const total = (m: Manifest) => Object.values(m.tables).reduce((a, b) => a + b, 0);

async function openExisting(path: string): Promise<Database> {
  if (path === ':memory:' || !existsSync(path)) throw new Error(`there is no database at ${path} (TANDEM_DB)`);
  try {
    return await openDatabase(path);
  } catch (err) {
    if (/lock/i.test((err as Error).message)) {
      throw new Error(`${path} is in use by a running Tandem server: stop it first, then back up`, { cause: err });
    }
    throw err;
  }
}

export async function backupCommand(args: string[]): Promise<void> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const dir = positionals[0];
  if (!dir) throw new Error('backup needs a DIR to write into (new or empty)');
  const db = await openExisting(loadConfig().dbPath);
  try {
    const manifest = await backupDatabase(db, dir, VERSION);
    console.log(
      `backed up ${manifest.tables.events ?? 0} events, ${total(manifest)} rows in ${Object.keys(manifest.tables).length} tables into ${dir}`,
    );
  } finally {
    await db.close();
  }
}

export async function restoreCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { force: { type: 'boolean', default: false } },
  });
  const dir = positionals[0];
  if (!dir) throw new Error('restore needs the DIR of a backup');
  const path = loadConfig().dbPath;
  if (path === ':memory:') throw new Error('TANDEM_DB must name a database file to restore into');
  const { manifest, replaced } = await restoreDatabase(path, dir, { force: values.force });
  console.log(
    `restored ${manifest.tables.events ?? 0} events, ${total(manifest)} rows (backup of ${manifest.createdAt}, Tandem ${manifest.tandemVersion}) into ${path}`,
  );
  if (replaced) console.log(`the database it replaced is kept as ${replaced}`);
  console.log(
    'KPI facts, rollups and the transcript index are rebuilt when the server starts; everyone signs in again.',
  );
}
