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
});
