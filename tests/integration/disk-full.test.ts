/**
 * A real full disk, cheaply: the running server's file-size limit (RLIMIT_FSIZE, set from outside with
 * util-linux `prlimit`) is lowered until DuckDB's writes fail with EFBIG, as they would with ENOSPC.
 * Ingest answers 503 `storage_unavailable` ("the disk is full") and acknowledges nothing; DuckDB
 * invalidates itself after such a failure, so the server opens the file again and keeps serving reads;
 * once the limit is lifted the same batches are taken, and afterwards the file holds every acknowledged
 * event once. Skipped where `prlimit` is missing (not Linux, a minimal image).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openDatabase } from '../../server/db/duckdb.ts';
import { tempDbPath } from '../helpers/server.ts';
import { BIN, serveChild } from '../helpers/child-server.ts';

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

const at = Date.UTC(2026, 0, 5, 9);
/** A kibibyte that does not compress, the same for the same n and i (a batch sent again is the same batch). */
const noise = (n: number, i: number) => createHash('sha512').update(`${n}/${i}`).digest('hex').repeat(8);
/** 200 events of about 1 KiB each, so the files grow fast. */
const batchOf = (n: number) =>
  Array.from({ length: 200 }, (_, i) => ({
    id: `d${n}-${i}`,
    type: 'contact.started',
    at: at + i,
    contactId: `d${n}-c${i}`,
    channel: 'chat',
    note: noise(n, i),
  }));

describe.skipIf(!hasPrlimit)('a full disk', () => {
  it(
    'answers 503, keeps serving reads, and takes the same batches once there is room',
    { timeout: 60_000 },
    async () => {
      const db = tempDbPath();
      const key = JSON.parse(
        execFileSync(process.execPath, [BIN, 'key', 'add', 'disk', '--json'], {
          env: { ...process.env, TANDEM_DB: db.path, TANDEM_LOG_LEVEL: 'silent' },
        }).toString(),
      ).secret as string;
      const server = await serveChild(db.path, { TANDEM_LOG_LEVEL: 'fatal' });
      const post = (events: unknown[]) =>
        fetch(`${server.url}/api/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify(events),
        });
      const acked = new Set<string>();
      try {
        // Room for the write-ahead log to reach DuckDB's checkpoint threshold (16 MiB) but not for the
        // checkpoint to move it all into the database file: the hard case, where DuckDB invalidates
        // itself. Only the soft limit is set, which the same user may raise again.
        execFileSync('prlimit', ['--pid', String(server.child.pid), `--fsize=${17 * 1024 * 1024}:`]);

        let n = 0;
        let refused: Response | null = null;
        for (; n < 200 && !refused; n++) {
          const res = await post(batchOf(n));
          if (res.status === 202) for (const e of batchOf(n)) acked.add(e.id);
          else refused = res;
        }
        expect(refused, 'the limit was never reached').not.toBeNull();
        expect(refused!.status).toBe(503);
        expect(await refused!.json()).toEqual({
          error: { code: 'storage_unavailable', message: 'the event store cannot write: the disk is full' },
        });
        const failed = n - 1;
        // Still full: a batch not sent before is refused too, and reads are served from a database opened
        // again. (The refused batch itself may have reached the log before the write that failed, a
        // checkpoint's: sent again it would then be taken, as duplicates, with nothing to write.) The limit
        // is per file, so a database that opens again may checkpoint its log into free blocks of the file
        // and find room where a full disk would have none: no file may grow at all now.
        execFileSync('prlimit', ['--pid', String(server.child.pid), '--fsize=0:']);
        const unseen = failed + 1000;
        const stillFull = await post(batchOf(unseen));
        expect(stillFull.status).toBe(503);
        const live = await fetch(`${server.url}/api/health`);
        expect([200, 503]).toContain(live.status);
        const health = (await live.json()) as { degraded: { reason: string }[] };
        expect(health.degraded.map((d) => d.reason)).not.toContain('the database could not be read');

        execFileSync('prlimit', ['--pid', String(server.child.pid), '--fsize=unlimited:']);
        for (const m of [failed, unseen]) {
          const again = await post(batchOf(m));
          expect(again.status).toBe(202);
          const ack = (await again.json()) as { accepted: number; duplicates: number };
          expect(ack.accepted + ack.duplicates).toBe(200);
          console.log(`disk full: batch ${m} sent again: ${JSON.stringify(ack)}`);
          for (const e of batchOf(m)) acked.add(e.id);
        }
        for (let m = failed + 1; m < failed + 4; m++) {
          expect((await post(batchOf(m))).status).toBe(202);
          for (const e of batchOf(m)) acked.add(e.id);
        }
        server.child.kill('SIGTERM');
        expect(await server.exited).toBe(0);

        const conn = await openDatabase(db.path);
        try {
          const rows = await conn.query<{ n: number; d: number }>(
            'SELECT count(*) AS n, count(DISTINCT id) AS d FROM events',
          );
          expect(rows[0]).toEqual({ n: acked.size, d: acked.size });
          console.log(
            `disk full: refused after ${failed} batches (${failed * 200} events), ${acked.size} stored in the end`,
          );
        } finally {
          await conn.close();
        }
      } finally {
        server.child.kill('SIGKILL');
        db.cleanup();
      }
    },
  );
});
