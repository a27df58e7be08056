/** The `tandem` command as a user runs it: import a file, simulate against a running server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../../server/db/duckdb.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer, tempDbPath } from '../helpers/server.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));

describe('tandem CLI', () => {
  it('imports NDJSON into the local database and reports rejected events by position', async () => {
    const db = tempDbPath();
    const file = join(dirname(db.path), 'events.ndjson');
    const at = Date.UTC(2026, 0, 5, 9);
    writeFileSync(
      file,
      [
        { id: 'f1', type: 'contact.started', at, contactId: 'fc', channel: 'email' },
        { id: 'f2', type: 'queue.entered', at: at + 1000, contactId: 'fc', queue: 'billing' },
        { id: 'f3', type: 'queue.entered', at: at + 1000, contactId: 'fc' },
        { id: 'f1', type: 'contact.started', at, contactId: 'fc', channel: 'email' },
      ]
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
    const result = await run(process.execPath, [BIN, 'import', file], {
      env: { ...process.env, TANDEM_DB: db.path, TANDEM_LOG_LEVEL: 'silent' },
    }).catch((err: { stdout: string; stderr: string; code: number }) => err);
    expect(result.stdout).toContain('imported 2 events, 1 duplicates skipped, 1 rejected');
    expect(result.stderr).toMatch(/event #2 \(f3\): queue /);
    expect((result as { code?: number }).code).toBe(1);
    const conn = await openDatabase(db.path);
    const rows = await conn.query<{ n: number }>('SELECT count(*) AS n FROM events');
    expect(rows[0]!.n).toBe(2);
    await conn.close();
    db.cleanup();
  });

  describe('simulate', () => {
    let server: TestServer;
    const db = tempDbPath();
    beforeAll(async () => {
      server = await startTestServer({ dbPath: db.path });
    });
    afterAll(async () => {
      await server.close();
      db.cleanup();
    });

    it('drives a running server through POST /api/events', async () => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'simulate', '--url', server.url, '--rate', '30', '--seed', '9', '--backfill', '20', '--duration', '1'],
        { env: { ...process.env, TANDEM_KEY: server.key } },
      );
      const sent = Number([...stdout.matchAll(/sent (\d+) events/g)].at(-1)?.[1]);
      expect(sent).toBeGreaterThan(100);
      const health = await (await server.get(`/api/health`)).json();
      expect(health.database.events).toBe(sent);
      const live = await (await server.get(`/api/live`)).json();
      expect(live.today.contacts + live.rolling15.contacts).toBeGreaterThan(0);
      expect(live.agents.length).toBeGreaterThan(0);
    });

    it('explains a missing --url', async () => {
      const err = await run(process.execPath, [BIN, 'simulate']).catch((e: { stderr: string }) => e);
      expect((err as { stderr: string }).stderr).toContain('simulate needs --url');
    });
  });

  describe('accounts, keys and displays', () => {
    const db = tempDbPath();
    const env = { ...process.env, TANDEM_DB: db.path, TANDEM_LOG_LEVEL: 'silent' };
    const tandem = (args: string[], input?: string) =>
      new Promise<{ stdout: string; stderr: string; code: number }>((resolve) => {
        const child = execFile(process.execPath, [BIN, ...args], { env }, (err, stdout, stderr) =>
          resolve({ stdout, stderr, code: err ? ((err as { code?: number }).code ?? 1) : 0 }),
        );
        child.stdin?.end(input ?? '');
      });
    afterAll(() => db.cleanup());

    it('creates users, keys and displays, prints secrets once and audits each change', async () => {
      const added = await tandem(
        ['user', 'add', 'Ana', '--role', 'supervisor', '--queues', 'sales,vip', '--password-stdin'],
        'a long enough password\n',
      );
      expect(added.stdout).toContain('created user ana (supervisor)');
      expect(added.stdout).not.toContain('password');
      const generated = await tandem(['user', 'add', 'root', '--role', 'admin']);
      expect(generated.stdout).toMatch(/password \(shown once\): [a-z2-7]{24}/);
      const bad = await tandem(['user', 'add', 'x1', '--role', 'boss']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/--role .*admin/);
      const weak = await tandem(['user', 'add', 'weak', '--role', 'qa', '--password-stdin'], 'short');
      expect(weak.stderr).toContain('password must be at least 10 characters');

      const key = JSON.parse((await tandem(['key', 'add', 'PBX bridge', '--queues', 'sales', '--json'])).stdout);
      expect(key.secret).toMatch(/^tdk_/);
      expect(key.key.scopeQueues).toEqual(['sales']);
      const display = await tandem(['display', 'add', 'Floor 3', '--url', 'https://wall.example.com']);
      expect(display.stdout).toMatch(/link \(shown once\): https:\/\/wall\.example\.com\/d\/[a-z2-7]{52}/);

      const users = await tandem(['user', 'list']);
      expect(users.stdout).toMatch(/ana\s+supervisor\s+sales,vip\s+\*\s+active/);
      expect((await tandem(['user', 'disable', 'ana'])).stdout).toContain('disabled user ana');
      expect((await tandem(['key', 'revoke', 'PBX bridge'])).stdout).toContain('revoked ingest key PBX bridge');
      const keys = await tandem(['key', 'list']);
      expect(keys.stdout).toContain('revoked');
      expect(keys.stdout).not.toContain(key.secret);

      const conn = await openDatabase(db.path);
      const actions = await conn.query<{ action: string; actor_kind: string }>(
        'SELECT action, actor_kind FROM audit_log ORDER BY seq',
      );
      await conn.close();
      expect(actions.map((a) => a.action)).toEqual([
        'user.create',
        'user.create',
        'key.create',
        'display.create',
        'user.update',
        'key.revoke',
      ]);
      expect(new Set(actions.map((a) => a.actor_kind))).toEqual(new Set(['cli']));
    });

    it('says so when a running server holds the database', async () => {
      const server = await startTestServer({ dbPath: db.path });
      try {
        const res = await tandem(['user', 'list']);
        expect(res.code).toBe(1);
        expect(res.stderr).toContain('in use by a running Tandem server');
      } finally {
        await server.close();
      }
    });
  });
});
