/** `tandem connect` as a user runs it: a vendor file into the local database, or into a running server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../../server/db/duckdb.ts';
import { ingestKey, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const fixture = (p: string) => readFileSync(new URL(`../fixtures/vendors/${p}`, import.meta.url), 'utf8');
type Result = { stdout: string; stderr: string; code?: number };

describe('tandem connect', () => {
  let server: TestServer;
  const db = tempDbPath();
  const serverDb = tempDbPath();
  const file = join(dirname(db.path), 'records.json');
  beforeAll(async () => {
    // Contact records as Firehose writes them, a stray brace from a pasted sample, and the records again.
    writeFileSync(
      file,
      `${fixture('amazon-connect/contact-records-2017.json')}\n}\n${fixture('amazon-connect/contact-records-current.jsonl')}`,
    );
    server = await startTestServer({ dbPath: serverDb.path });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
    serverDb.cleanup();
  });

  it('maps a file into the local database and reports what it could not read', async () => {
    const result: Result = await run(process.execPath, [BIN, 'connect', 'amazon-connect', '--file', file], {
      env: { ...process.env, TANDEM_DB: db.path, TANDEM_LOG_LEVEL: 'silent' },
    }).catch((err: Result) => err);
    expect(result.stdout).toContain(
      '6 records: 18 events (18 stored, 0 duplicates, 0 rejected); 1 ignored, 0 unknown, 1 malformed',
    );
    expect(result.stderr).toMatch(/record #2: malformed: line \d+: text outside any record/);
    expect(result.code).toBe(1);
    const conn = await openDatabase(db.path);
    const rows = await conn.query<{ n: number }>("SELECT count(*) AS n FROM events WHERE body LIKE '%amazon-connect%'");
    expect(rows[0]!.n).toBe(18);
    await conn.close();
  });

  it('sends a file to a running server with an ingest key, and a second run stores nothing new', async () => {
    const env = { ...process.env, TANDEM_KEY: await ingestKey(server.tandem) };
    const args = [
      BIN,
      'connect',
      'genesys-cloud',
      '--file',
      fileURLToPath(
        new URL('../fixtures/vendors/genesys-cloud/conversation-details-query-result-2016.json', import.meta.url),
      ),
      '--url',
      server.url,
    ];
    const first = await run(process.execPath, args, { env });
    expect(first.stdout).toMatch(
      /^1 records: (\d+) events \(\1 stored, 0 duplicates, 0 rejected\); 0 ignored, 0 unknown, 0 malformed/,
    );
    const again = await run(process.execPath, args, { env });
    expect(again.stdout).toMatch(/^1 records: (\d+) events \(0 stored, \1 duplicates, 0 rejected\)/);
  });

  it('names the platforms it knows', async () => {
    const result: Result = await run(process.execPath, [BIN, 'connect', 'avaya', '--file', file]).catch(
      (err: Result) => err,
    );
    expect(result.stderr).toContain('amazon-connect, genesys-cloud');
    expect(result.code).toBe(1);
  });
});
