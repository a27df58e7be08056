/**
 * `tandem connect` for Asterisk as an operator runs it: a queue_log imported once, a queue_log followed
 * while app_queue writes to it, and a live AMI, each into a running server with an ingest key.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/vendors/asterisk/${name}`, import.meta.url));

async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tandem connect asterisk-*', () => {
  let server: TestServer;
  const db = tempDbPath();
  const children: ChildProcess[] = [];
  let env: NodeJS.ProcessEnv;
  const stored = async (source: string) =>
    (
      await server.tandem.db.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM events WHERE body LIKE ?', [
        `%"source":"${source}"%`,
      ])
    )[0]!.n;
  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
    env = { ...process.env, TANDEM_KEY: server.key, TANDEM_LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await server.close();
    db.cleanup();
  });

  it('imports a queue_log file once, and again as duplicates', async () => {
    const args = [BIN, 'connect', 'asterisk-queue-log', '--file', fixture('queue-log-1.4.log'), '--url', server.url];
    const first = await run(process.execPath, args, { env });
    expect(first.stdout).toMatch(
      /^12 records: (\d+) events \(\1 stored, 0 duplicates, 0 rejected\); 0 ignored, 0 unknown, 0 malformed/,
    );
    const again = await run(process.execPath, args, { env });
    expect(again.stdout).toMatch(/^12 records: (\d+) events \(0 stored, \1 duplicates, 0 rejected\)/);
  });

  it('follows a queue_log as it grows', async () => {
    const file = join(dirname(db.path), 'queue_log');
    const t = Math.floor(Date.now() / 1000) - 600;
    writeFileSync(file, `${t}|f1.1|support|NONE|ENTERQUEUE||555|1\n`);
    const child = spawn(
      process.execPath,
      [BIN, 'connect', 'asterisk-queue-log', '--file', file, '--follow', '--url', server.url],
      { env, stdio: 'ignore' },
    );
    children.push(child);
    const before = await stored('asterisk-queue-log');
    await until(async () => (await stored('asterisk-queue-log')) >= before + 2);
    appendFileSync(file, `${t + 5}|f1.1|support|Alice|CONNECT|5|f1.2|1\n${t + 65}|f1.1|support|Alice|COMPLETE`);
    await new Promise((r) => setTimeout(r, 600));
    // The half-written last line waits for its end.
    expect(await stored('asterisk-queue-log')).toBe(before + 4);
    appendFileSync(file, 'CALLER|5|60|1\n');
    await until(async () => (await stored('asterisk-queue-log')) === before + 7);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  });

  it('streams a live AMI into the server', async () => {
    const sockets: Socket[] = [];
    const ami: Server = createServer((s) => {
      sockets.push(s);
      s.write('Asterisk Call Manager/9.0.0\r\n');
      s.once('data', () => {
        s.write('Response: Success\r\nMessage: Authentication accepted\r\n\r\n');
        s.write('Event: QueueCallerJoin\r\nUniqueid: a1.1\r\nQueue: support\r\nPosition: 1\r\nCount: 1\r\n\r\n');
        s.write(
          'Event: QueueCallerAbandon\r\nUniqueid: a1.1\r\nQueue: support\r\nPosition: 1\r\nOriginalPosition: 1\r\nHoldTime: 12\r\n\r\n',
        );
      });
    });
    await new Promise<void>((r) => ami.listen(0, '127.0.0.1', r));
    const port = (ami.address() as { port: number }).port;
    const child = spawn(
      process.execPath,
      [
        BIN,
        'connect',
        'asterisk-ami',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--username',
        'tandem',
        '--url',
        server.url,
      ],
      { env: { ...env, TANDEM_AMI_SECRET: 'x' }, stdio: 'ignore' },
    );
    children.push(child);
    await until(async () => (await stored('asterisk-ami')) === 4);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    for (const s of sockets) s.destroy();
    await new Promise((r) => ami.close(r));
  });
});
