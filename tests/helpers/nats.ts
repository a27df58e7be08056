/**
 * NATS for the scale-out tests: the machine's server (TANDEM_TEST_NATS_URL, else 127.0.0.1:4222) when
 * it answers, or a nats-server of the test's own; and a server of the test's own when the test must
 * stop it. The binary is Debian's (scripts/ensure-test-tools.js installs it) or NATS_SERVER_BIN.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';

const NATS_BIN = [process.env.NATS_SERVER_BIN, '/usr/sbin/nats-server', '/usr/bin/nats-server'].find(
  (p): p is string => !!p && existsSync(p),
);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    const nc = await connect({ servers: url, reconnect: false, timeout: 1000 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

/** A nats-server with JetStream on a free port and a store directory of its own; stop() and start() again. */
export class OwnNatsServer {
  #child: ChildProcess | null = null;
  readonly dir = mkdtempSync(join(tmpdir(), 'tandem-nats-'));
  private constructor(readonly port: number) {}

  static async create(): Promise<OwnNatsServer> {
    const server = new OwnNatsServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!NATS_BIN) throw new Error('nats-server is not installed (apt-get install nats-server, or NATS_SERVER_BIN)');
    this.#child = spawn(NATS_BIN, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.dir], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (await answers(this.url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nats-server did not start');
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    this.#child = null;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The machine's NATS when it answers, else a server of our own (removed by `release`). */
export async function machineNats(): Promise<{ url: string; release(): Promise<void> }> {
  const url = process.env.TANDEM_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
  if (await answers(url)) return { url, release: async () => undefined };
  const own = await OwnNatsServer.create();
  return { url: own.url, release: () => own.remove() };
}
