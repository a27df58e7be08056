/**
 * A built file removed under a running server (a rebuild deletes the old hashed and precompressed
 * assets) must fail only the request for it: the adapter's file server (sirv, the very code adapter-node
 * bundles) pipes a read stream without an error listener, which once crashed the whole process.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { WebHandler } from '../../server/http/app.ts';
import { startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

type Sirv = (dir: string, opts: Record<string, unknown>) => WebHandler;
// Not exported by the package: loaded by file, so the test runs the exact code that serves the app.
const VENDOR = new URL('../../node_modules/@sveltejs/adapter-node/files/chunks/vendor.js', import.meta.url);

describe('static files removed while serving', () => {
  const db = tempDbPath();
  const dir = mkdtempSync(join(tmpdir(), 'tandem-static-'));
  let server: TestServer;
  let warn: ReturnType<typeof vi.fn>;

  beforeAll(async () => {
    mkdirSync(join(dir, '_app'), { recursive: true });
    for (const name of ['app.js', 'app.js.br', 'app.js.gz', 'gone.js', 'error.js']) {
      writeFileSync(join(dir, '_app', name), `// ${name}\n`);
    }
    const { s: sirv } = (await import(VENDOR.href)) as { s: Sirv };
    // As adapter-node configures it: files listed once at start, precompressed variants preferred.
    const files = sirv(dir, { etag: true, gzip: true, brotli: true });
    const web: WebHandler = (req, res, next) => {
      // A handler that pipes a missing file before writing any header: the error can still be a 404.
      if (req.url === '/_app/early.js') {
        createReadStream(join(dir, '_app', 'never-there.js')).pipe(res);
        return;
      }
      files(req, res, next);
    };
    server = await startTestServer({ dbPath: db.path }, { web });
    warn = vi.fn();
    server.tandem.log.warn = warn as never;
  });
  afterAll(async () => {
    await server?.close();
    db.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a file that is there', async () => {
    const res = await fetch(`${server.url}/_app/app.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('// app.js\n');
  });

  it('fails only the request for a precompressed file removed after start, and keeps answering', async () => {
    rmSync(join(dir, '_app', 'app.js.br'));
    const failed = await fetch(`${server.url}/_app/app.js`, { headers: { 'accept-encoding': 'br' } }).then(
      async (res) => ({ status: res.status, body: await res.text() }),
      (err: Error) => ({ status: 0, body: err.message }),
    );
    // sirv has sent its 200 headers before the read fails: the response is cut off, never completed.
    expect(failed.status === 0 || failed.body !== '// app.js.br\n').toBe(true);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ path: '/_app/app.js', err: expect.objectContaining({ code: 'ENOENT' }) }),
      'static file could not be read',
    );
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const still = await fetch(`${server.url}/_app/app.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(still.status).toBe(200);
  });

  it('answers 404 when the file is missing before any header went out', async () => {
    const res = await fetch(`${server.url}/_app/early.js`);
    expect(res.status).toBe(404);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  it('survives a burst of requests for removed files', async () => {
    rmSync(join(dir, '_app', 'gone.js'));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${server.url}/_app/gone.js`).then(
          (r) => r.text(),
          () => '',
        ),
      ),
    );
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });
});
