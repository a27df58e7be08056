/**
 * `tandem backup DIR` and `tandem restore DIR [--force]`, on TANDEM_DB while the server is stopped
 * (DuckDB lets one process open a file for writing, so a running server's file cannot be opened here),
 * and `tandem backup --url URL --user NAME`, which signs in as an admin and has the running server
 * write the backup itself (POST /api/admin/backup). An ingest key is not enough for that: a backup
 * holds every password and key hash, so only an admin may take one.
 */
import { existsSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { backupDatabase, restoreDatabase, type Manifest } from './db/backup.ts';
import { openDatabase, type Database } from './db/duckdb.ts';
import { VERSION } from './version.ts';

export const BACKUP_HELP = `  tandem backup DIR                     write a backup of TANDEM_DB (one snapshot, Parquet) into DIR
  tandem backup --url URL --user NAME   have a running server write one (under its TANDEM_BACKUP_DIR);
                                        NAME is an admin, whose password is read from stdin
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
      throw new Error(
        `${path} is in use by a running Tandem server: stop it first, or have the server take the backup (tandem backup --url URL --user ADMIN)`,
        { cause: err },
      );
    }
    throw err;
  }
}

type ServerBackup = { backup: { name: string; dir: string; manifest: Manifest } };

/** Signs in as `user`, asks the server for a backup, signs out again. */
async function onlineBackup(url: string, user: string): Promise<void> {
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!password) throw new Error(`pipe the password of ${user} into stdin`);
  // The API refuses cookie-authenticated writes from another origin (CSRF): this request is its own.
  const origin = new URL(url).origin;
  const call = async (path: string, cookie: string, body: unknown) => {
    const res = await fetch(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    const json = res.status === 204 ? {} : ((await res.json()) as { error?: { message: string } });
    if (!res.ok) throw new Error(`${path}: server answered ${res.status}: ${json.error?.message ?? ''}`);
    return { res, json };
  };
  const login = await call('/api/auth/login', '', { username: user, password });
  const cookie = login.res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  try {
    const { json } = await call('/api/admin/backup', cookie, {});
    const { backup } = json as ServerBackup;
    console.log(
      `the server backed up ${backup.manifest.tables.events ?? 0} events, ${total(backup.manifest)} rows into ${backup.dir} (on its own disk)`,
    );
  } finally {
    await call('/api/auth/logout', cookie, {}).catch(() => undefined);
  }
}

export async function backupCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, user: { type: 'string' } },
  });
  if (values.url) {
    if (!values.user) throw new Error('backup --url needs --user, an admin (password on stdin)');
    if (positionals.length) throw new Error('with --url the server chooses the directory (its TANDEM_BACKUP_DIR)');
    return onlineBackup(values.url, values.user);
  }
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
