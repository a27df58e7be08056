/**
 * The real `tandem serve` as a child process on a free port of 127.0.0.1 (demo off), for tests that
 * kill it, limit it from outside, or run several: resolves with its address once it prints it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tandem.js', import.meta.url));

export type ChildServer = { child: ChildProcess; url: string; exited: Promise<number | null> };

/** `env` adds to or overrides the defaults (TANDEM_LOG_LEVEL warn, say). */
export function serveChild(dbPath: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      TANDEM_DB: dbPath,
      PORT: '0',
      HOST: '127.0.0.1',
      TANDEM_DEMO: '0',
      TANDEM_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /Tandem is running: (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, exited });
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before serving:\n${out}`)));
  });
}
