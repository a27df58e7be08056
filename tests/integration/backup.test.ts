/**
 * Backup and restore round trip: a database with traffic, accounts, a key, a board and a scorecard is
 * backed up and restored into a new file, which must answer the same KPIs, hold the same events and
 * kept rows, and let the same people sign in; plus the refusals (data in the target, a newer schema, an
 * unfinished backup, a file in use) and the CLI on files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { boardSpec } from '../../server/contract/boards.ts';
import { DEFAULT_KPI_SETTINGS } from '../../server/contract/kpis.ts';
import { scorecardSpec } from '../../server/contract/scorecards.ts';
import { backupDatabase, KEPT_TABLES, readManifest, restoreDatabase, SKIPPED_TABLES } from '../../server/db/backup.ts';
import { openDatabase, sqlString, type Database } from '../../server/db/duckdb.ts';
import { knownMigrations, migrate, MIGRATIONS_DIR } from '../../server/db/migrate.ts';
import { refreshFacts } from '../../server/kpi/kpi-facts.ts';
import { kpiCounters } from '../../server/kpi/kpi-sql.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { postEvents, signedIn, startTestServer, tempDbPath, testConfig } from '../helpers/server.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const H = 3_600_000;
const dayStart = Date.UTC(2026, 10, 24);
const now = dayStart + 10 * H;
const range = { from: dayStart - 4 * H, to: now };
const origin = { actor: { kind: 'test', id: null, name: 'test' } } as const;
const PASSWORD = 'correct horse battery';

async function counts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of KEPT_TABLES) out[t] = (await db.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`))[0]!.n;
  return out;
}

async function kpis(db: Database) {
  await refreshFacts(db);
  return kpiCounters(db, range, DEFAULT_KPI_SETTINGS, now);
}

describe('backup and restore', () => {
  const source = tempDbPath();
  const work = dirname(source.path);
  const backupDir = join(work, 'backup');
  let tandem: Tandem;

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: source.path, clock: () => now }));
    const sim = new Simulator({ seed: 7, ratePerMinute: 6, start: dayStart - 5 * H });
    const events = sim.advance(now);
    for (let i = 0; i < events.length; i += 5000) await tandem.ingest.ingest(events.slice(i, i + 5000));
    await tandem.admin.createUser(origin, { username: 'ada', password: PASSWORD, roles: ['admin'] });
    const { key } = await tandem.admin.createKey(origin, { name: 'genesys', scopeSources: [], scopeQueues: [] });
    expect(key.name).toBe('genesys');
    await tandem.boards.createBoard(
      origin,
      boardSpec.parse({ name: 'Floor', rows: 4, widgets: [{ type: 'clock', width: 4, height: 2 }] }),
    );
    await tandem.scorecards.create(
      origin,
      scorecardSpec.parse({
        name: 'Billing QA',
        sections: [
          { title: 'Agent', weight: 1, questions: [{ id: 'q', text: 'Verified', kind: 'yesno', part: 'agent' }] },
        ],
      }),
    );
    // A session, which a restore must not bring back.
    await tandem.auth.login('ada', PASSWORD, {});
    await refreshFacts(tandem.db);
  }, 120_000);

  afterAll(async () => {
    await tandem?.close().catch(() => undefined);
    source.cleanup();
  });

  it('restores a backup taken from a running server into a new file: same KPIs, events, rows and sign-ins', async () => {
    // Taken through the server's own handle while it runs, as one snapshot.
    const manifest = await backupDatabase(tandem.db, backupDir, '9.9.9');
    const before = { kpis: await kpis(tandem.db), counts: await counts(tandem.db) };
    const ids = await tandem.db.query<{ id: string }>('SELECT id FROM events ORDER BY rowid');
    expect(ids.length).toBeGreaterThan(500);
    expect(manifest.tandemVersion).toBe('9.9.9');
    expect(manifest.migrations).toEqual(knownMigrations());
    expect(manifest.tables).toEqual(before.counts);
    expect(before.counts).toMatchObject({ users: 1, ingest_keys: 1, boards: 1, scorecards: 1 });
    expect(before.counts.audit_log).toBeGreaterThan(3);
    expect(before.kpis.contacts).toBeGreaterThan(100);
    expect(before.kpis.handled).toBeGreaterThan(50);
    // Derived tables and sessions stay out of the backup.
    expect(readdirSync(backupDir).sort()).toEqual(['manifest.json', ...KEPT_TABLES.map((t) => `${t}.parquet`)].sort());
    expect(readManifest(backupDir).tables.events).toBe(ids.length);

    const target = join(work, 'restored', 'tandem.duckdb');
    mkdirSync(dirname(target));
    const { replaced } = await restoreDatabase(target, backupDir);
    expect(replaced).toBeNull();
    expect(existsSync(`${target}.restoring`)).toBe(false);

    const restored = await createTandem(testConfig({ dbPath: target, clock: () => now }));
    try {
      expect(await counts(restored.db)).toEqual(before.counts);
      // Same events, in the same order (so the same rowids).
      expect(await restored.db.query('SELECT id FROM events ORDER BY rowid')).toEqual(ids);
      expect(await kpis(restored.db)).toEqual(before.kpis);
      expect(await restored.db.query('SELECT * EXCLUDE (applied_ms) FROM schema_migrations ORDER BY name')).toEqual(
        knownMigrations().map((name) => ({ name })),
      );
      // Sessions are not restored; the password still works, and the audit chain is intact.
      expect((await restored.db.query('SELECT count(*) AS n FROM sessions'))[0]).toEqual({ n: 0 });
      const { user } = await restored.auth.login('ada', PASSWORD, {});
      expect(user.roles).toEqual(['admin']);
      expect(await restored.auth.audit.verify()).toEqual({ entries: before.counts.audit_log, brokenAt: null });
      expect((await restored.boards.list()).boards.map((b) => b.name)).toContain('Floor');
      expect((await restored.scorecards.list()).map((s) => s.name)).toEqual(['Billing QA']);
    } finally {
      await restored.close();
    }
  }, 120_000);

  it('refuses a target that holds data unless forced, and then keeps the old file', async () => {
    const target = join(work, 'restored', 'tandem.duckdb');
    await expect(restoreDatabase(target, backupDir)).rejects.toThrow(/already holds data .*--force/);
    const { replaced } = await restoreDatabase(target, backupDir, { force: true, now: dayStart });
    expect(replaced).toBe(`${target}.before-restore-2026-11-24T000000`);
    expect(existsSync(replaced!)).toBe(true);
    const db = await openDatabase(target);
    expect((await db.query('SELECT count(*) AS n FROM users'))[0]).toEqual({ n: 1 });
    await db.close();
  }, 60_000);

  it('refuses an unfinished backup, a newer schema and a backup directory in use', async () => {
    const partial = join(work, 'partial');
    cpSync(backupDir, partial, { recursive: true });
    rmSync(join(partial, 'manifest.json'));
    await expect(restoreDatabase(join(work, 'p.duckdb'), partial)).rejects.toThrow(/no manifest\.json/);

    const newer = join(work, 'newer');
    cpSync(backupDir, newer, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(newer, 'manifest.json'), 'utf8')) as { migrations: string[] };
    manifest.migrations.push('999_from_the_future.sql');
    writeFileSync(join(newer, 'manifest.json'), JSON.stringify(manifest));
    await expect(restoreDatabase(join(work, 'n.duckdb'), newer)).rejects.toThrow(
      /newer than this Tandem knows \(999_from_the_future\.sql/,
    );
    expect(existsSync(join(work, 'n.duckdb'))).toBe(false);
    // Backing up into a directory that holds files would mix two backups.
    await expect(backupDatabase(tandem.db, backupDir, '9.9.9')).rejects.toThrow(/not empty/);
  });

  it('sorts every table of the schema into kept or skipped', async () => {
    const db = await openDatabase(':memory:');
    await migrate(db);
    const tables = (await db.query<{ t: string }>('SELECT table_name AS t FROM duckdb_tables()')).map((r) => r.t);
    const sorted = new Set<string>([...KEPT_TABLES, ...SKIPPED_TABLES]);
    expect(tables.filter((t) => !sorted.has(t))).toEqual([]);
    await db.close();
  });

  it('restores a backup of an older schema and upgrades it', async () => {
    const all = knownMigrations();
    const oldDir = join(work, 'old-migrations');
    mkdirSync(oldDir);
    // A database as of migration 012: before the KPI contact attributes.
    for (const f of all.slice(0, all.indexOf('012_qa_contacts.sql') + 1)) {
      cpSync(join(MIGRATIONS_DIR, f), join(oldDir, f));
    }
    const oldPath = join(work, 'old.duckdb');
    const old = await openDatabase(oldPath);
    await migrate(old, oldDir);
    await old.write((tx) =>
      tx.query(`INSERT INTO events (id, type, at_ms, received_ms, body) VALUES ('e1', 'contact.started', 1, 2, '{}')`),
    );
    const oldBackup = join(work, 'old-backup');
    const manifest = await backupDatabase(old, oldBackup, '0.0.1');
    await old.close();
    expect(manifest.migrations.at(-1)).toBe('012_qa_contacts.sql');
    expect(manifest.tables).not.toHaveProperty('summary_settings');

    const target = join(work, 'upgraded.duckdb');
    await restoreDatabase(target, oldBackup);
    const db = await openDatabase(target);
    expect(
      (await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name),
    ).toEqual(all);
    expect(await db.query('SELECT id, at_ms FROM events')).toEqual([{ id: 'e1', at_ms: 1 }]);
    await db.close();
  });

  it('reads one snapshot while writes go on, and refuses a table it has no rule for', async () => {
    const db = await openDatabase(join(work, 'snap.duckdb'));
    await migrate(db);
    const count = async (q: Pick<Database, 'query'>) =>
      (await q.query<{ n: number }>('SELECT count(*) AS n FROM boards'))[0]!.n;
    const seen = await db.snapshot(async (tx) => {
      const first = await count(tx);
      await db.write((w) => w.query("INSERT INTO boards VALUES ('b_1', 'x', '{}', 1, 'test')"));
      return [first, await count(tx), await count(db)];
    });
    expect(seen).toEqual([0, 0, 1]);
    await db.write((w) => w.query('CREATE TABLE mystery (x INTEGER)'));
    await expect(backupDatabase(db, join(work, 'mystery'), '9.9.9')).rejects.toThrow(
      /no backup rule for table mystery/,
    );
    await db.close();
  });

  it('quotes file names that DuckDB cannot take as parameters', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(() => sqlString('a\nb')).toThrow(/control character/);
  });
});

describe('tandem backup / restore', () => {
  it('backs up a stopped database and restores it into another file', async () => {
    const db = tempDbPath();
    const work = dirname(db.path);
    const env = { ...process.env, TANDEM_LOG_LEVEL: 'silent' };
    const seed = await createTandem(testConfig({ dbPath: db.path }));
    const at = Date.UTC(2026, 0, 5, 9);
    await seed.ingest.ingest([
      { id: 'c1', type: 'contact.started', at, contactId: 'k1', channel: 'voice' },
      { id: 'c2', type: 'queue.entered', at: at + 1000, contactId: 'k1', queue: 'billing' },
    ]);
    await seed.admin.createUser(origin, { username: 'bo', password: PASSWORD, roles: ['supervisor'] });
    await seed.close();
    try {
      const dir = join(work, "o'clock backup");
      const backup = await run(process.execPath, [BIN, 'backup', dir], { env: { ...env, TANDEM_DB: db.path } });
      expect(backup.stdout).toMatch(/backed up 2 events, \d+ rows in \d+ tables/);

      const target = join(work, 'copy.duckdb');
      const restore = await run(process.execPath, [BIN, 'restore', dir], { env: { ...env, TANDEM_DB: target } });
      expect(restore.stdout).toContain(`restored 2 events`);
      const again = await run(process.execPath, [BIN, 'restore', dir], { env: { ...env, TANDEM_DB: target } }).catch(
        (err: { stderr: string; code: number }) => err,
      );
      expect((again as { code?: number }).code).toBe(1);
      expect(again.stderr).toMatch(/already holds data .*--force/);

      const copy = await openDatabase(target);
      expect(await copy.query('SELECT id FROM events ORDER BY id')).toEqual([{ id: 'c1' }, { id: 'c2' }]);
      expect(await copy.query('SELECT username FROM users')).toEqual([{ username: 'bo' }]);
      await copy.close();

      // A server holds the file: both commands say so instead of failing on DuckDB's lock.
      const server = spawn(process.execPath, [BIN, 'serve'], {
        env: { ...env, TANDEM_DB: target, PORT: '0', HOST: '127.0.0.1', TANDEM_DEMO: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        await new Promise<void>((resolve, reject) => {
          server.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('Tandem is running') && resolve());
          server.once('exit', (code) => reject(new Error(`server exited (${code})`)));
        });
        for (const args of [
          ['backup', join(work, 'held')],
          ['restore', dir, '--force'],
        ]) {
          const held = await run(process.execPath, [BIN, ...args], { env: { ...env, TANDEM_DB: target } }).catch(
            (err: { stderr: string }) => err,
          );
          expect(held.stderr).toMatch(/is in use by a running Tandem server/);
        }
      } finally {
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise((resolve) => server.once('exit', resolve));
          server.kill('SIGTERM');
          await exited;
        }
      }

      const missing = await run(process.execPath, [BIN, 'backup', join(work, 'x')], {
        env: { ...env, TANDEM_DB: join(work, 'nothing.duckdb') },
      }).catch((err: { stderr: string }) => err);
      expect(missing.stderr).toMatch(/there is no database at/);
    } finally {
      db.cleanup();
    }
  }, 60_000);
});

describe('online backup (POST /api/admin/backup)', () => {
  it('has the running server write one snapshot under its backup directory, for an admin, also from the CLI', async () => {
    const db = tempDbPath();
    const work = dirname(db.path);
    const root = join(work, 'backups');
    const server = await startTestServer({ dbPath: db.path, backupDir: root });
    try {
      const sim = new Simulator({ seed: 3, ratePerMinute: 4, start: Date.now() - 2 * H });
      expect((await postEvents(server, sim.advance(Date.now()))).status).toBe(202);
      const res = await fetch(`${server.url}/api/admin/backup`, {
        method: 'POST',
        headers: { cookie: server.adminCookie, origin: server.url },
      });
      expect(res.status).toBe(201);
      const { backup } = (await res.json()) as {
        backup: { name: string; dir: string; manifest: { tables: Record<string, number> } };
      };
      expect(backup.dir).toBe(join(root, backup.name));
      const events = (await server.tandem.db.query<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n;
      expect(backup.manifest.tables.events).toBe(events);
      expect((await server.tandem.auth.audit.list({ action: 'backup.create' })).map((e) => e.target)).toEqual([
        backup.name,
      ]);

      // From the shell: sign in as an admin (password on stdin), have the server write it, sign out.
      await server.tandem.admin.createUser(origin, { username: 'ops', password: PASSWORD, roles: ['admin'] });
      const cli = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
        const child = execFile(
          process.execPath,
          [BIN, 'backup', '--url', server.url, '--user', 'ops'],
          { env: { ...process.env, TANDEM_LOG_LEVEL: 'silent' } },
          (err, stdout, stderr) => (err ? reject(new Error(stderr)) : resolve({ stdout, stderr })),
        );
        child.stdin?.end(`${PASSWORD}\n`);
      });
      expect(cli.stdout).toMatch(new RegExp(`the server backed up ${events} events, \\d+ rows into .*backups`));
      expect(readdirSync(root)).toHaveLength(2);
      expect(
        (
          await server.tandem.db.query(
            'SELECT count(*) AS n FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = ?)',
            ['ops'],
          )
        )[0],
      ).toEqual({ n: 0 });

      // Restored elsewhere, it holds what the server held.
      const target = join(work, 'from-online.duckdb');
      await restoreDatabase(target, backup.dir);
      const copy = await openDatabase(target);
      expect((await copy.query('SELECT count(*) AS n FROM events'))[0]).toEqual({ n: events });
      await copy.close();

      const supervisor = await fetch(`${server.url}/api/admin/backup`, {
        method: 'POST',
        headers: { cookie: (await signedIn(server.tandem, ['supervisor'])).cookie, origin: server.url },
      });
      expect(supervisor.status).toBe(403);
    } finally {
      await server.close();
      db.cleanup();
    }
  }, 60_000);
});
