/**
 * POST /api/admin/backup: a backup of the running server's database, taken by the server itself (no
 * other process can open the file while it runs). Admins only: a backup holds the whole event log and
 * every password and key hash. The server picks the directory, under TANDEM_BACKUP_DIR (default:
 * `backups` beside the database file); nothing in the request names a path.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Hono } from 'hono';
import { actorOf } from '../../auth/principal.ts';
import type { Config } from '../../config.ts';
import { backupDatabase } from '../../db/backup.ts';
import type { Tandem } from '../../tandem.ts';
import { VERSION } from '../../version.ts';
import type { AppEnv } from '../env.ts';
import { Conflict } from '../errors.ts';
import { allow } from '../middleware/allow.ts';

export function backupRoot(config: Pick<Config, 'backupDir' | 'dbPath'>): string {
  return resolve(config.backupDir ?? join(dirname(resolve(config.dbPath)), 'backups'));
}

export function backupRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // One at a time: each reads every kept table, and two at once would only compete for the disk.
  let writing = false;

  app.post('/api/admin/backup', allow('admin'), async (c) => {
    if (writing) throw new Conflict('a backup is being written already; try again when it is done');
    writing = true;
    try {
      const name = `tandem-${new Date().toISOString().replaceAll(':', '').replace('.', '-')}`;
      const dir = join(backupRoot(t.config), name);
      if (existsSync(dir)) throw new Conflict('a backup of this moment exists already');
      const manifest = await backupDatabase(t.db, dir, VERSION);
      await t.auth.audit.append({
        actor: actorOf(c.get('principal')),
        action: 'backup.create',
        target: name,
        detail: { events: manifest.tables.events ?? 0 },
        ip: c.get('clientIp'),
      });
      t.log.info({ dir, events: manifest.tables.events }, 'backup written');
      return c.json({ backup: { name, dir, manifest } }, 201);
    } finally {
      writing = false;
    }
  });
  return app;
}
