/**
 * Shared helpers for the benchmarks: a real Tandem server in a child process (free port, temporary
 * DuckDB file, demo off), health polling, process CPU time, percentiles and machine facts, and the
 * builder of a large simulated history (buildHistory) that the KPI benches share.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Database } from '../server/db/duckdb.ts';
import { EventStore } from '../server/ingest/event-store.ts';
import { Ingest } from '../server/ingest/ingest.ts';
import { Simulator } from '../server/simulator/simulator.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'tandem.js');

/** True when `importMetaUrl` is the module node was asked to run (so each script can run alone). */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(entry).href === importMetaUrl;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Wall-clock time in ms with sub-millisecond resolution, comparable across processes on this machine. */
export const wallNow = () => performance.timeOrigin + performance.now();

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export type Health = {
  status: string;
  database: { status: string; events: number; contacts: number };
  liveClients: number;
};

export type BenchServer = {
  url: string;
  pid: number;
  dbPath: string;
  health(): Promise<Health>;
  /** An ingest key (Bearer) for POST /api/events and /ws/ingest. */
  key: string;
  /** Cookie header of a signed-in admin, for /api/health details, /api/live and /ws/live. */
  cookie: string;
  /** CPU seconds (user + system, all threads) the server process has used so far; null off Linux. */
  cpuSeconds(): number | null;
  /** Resident memory of the server process in MiB; null off Linux. */
  rssMiB(): number | null;
  stop(): Promise<void>;
};

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Never leave a server or client process behind when the benchmark itself is stopped.
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const child of children) child.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/** Registers a child process so it is killed if the benchmark exits early. */
export function track(child: ChildProcess): void {
  installExitHook();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/**
 * Starts `node bin/tandem.js serve` on a free port of 127.0.0.1 with a fresh DuckDB file.
 * `nodeArgs` go to node before the script (e.g. --cpu-prof to profile the server). `existing.dbPath`
 * serves a database that is already there (kept when the server stops), `existing.port` a fixed port,
 * and `existing.startTimeoutMs` allows a longer start (a large history) than the default minute.
 */
export async function startServer(
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  existing: { dbPath?: string; port?: number; startTimeoutMs?: number } = {},
): Promise<BenchServer> {
  const dir = existing.dbPath ? null : mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const dbPath = existing.dbPath ?? join(dir!, 'bench.duckdb');
  const port = existing.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const serverEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    TANDEM_DB: dbPath,
    TANDEM_DEMO: '0',
    TANDEM_TZ: 'UTC',
    TANDEM_LOG_LEVEL: 'warn',
    // The benches measure what the server can take; the rate per ingest key is an operator's policy on top.
    TANDEM_INGEST_RATE: '0',
    // Every bench client comes from 127.0.0.1 with the one admin session: the per-address and
    // per-principal websocket limits would refuse all but the first few hundred.
    TANDEM_WS_MAX_PER_IP: '100000',
    TANDEM_WS_MAX_PER_PRINCIPAL: '100000',
    ...env,
  };
  // Credentials first, through the CLI, while no server holds the database file.
  const password = randomBytes(18).toString('base64url');
  const username = `bench-admin-${randomBytes(4).toString('hex')}`;
  execFileSync(process.execPath, [CLI, 'user', 'add', username, '--role', 'admin', '--password-stdin'], {
    cwd: ROOT,
    env: serverEnv,
    input: password,
  });
  const { secret: key } = JSON.parse(
    execFileSync(process.execPath, [CLI, 'key', 'add', 'bench', '--json'], { cwd: ROOT, env: serverEnv }).toString(),
  ) as { secret: string };
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve'], {
    cwd: ROOT,
    env: serverEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  let cookie = '';
  const health = async (): Promise<Health> => {
    const res = await fetch(`${url}/api/health`, { headers: cookie ? { cookie } : {} });
    if (!res.ok) throw new Error(`health answered ${res.status}`);
    return (await res.json()) as Health;
  };

  const startTimeoutMs = existing.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw new Error(`server exited during start-up:\n${output}`);
    try {
      const h = await health();
      // Degraded (derived tables catching up on a large history) still serves: only down is not started.
      if (h.status !== 'down') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy within ${startTimeoutMs / 1000} s:\n${output}`);
    }
    await sleep(100);
  }

  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`bench sign-in failed: ${login.status}`);
  cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;

  const pid = child.pid!;
  return {
    url,
    pid,
    dbPath,
    health,
    key,
    get cookie() {
      return cookie;
    },
    cpuSeconds: () => processCpuSeconds(pid),
    rssMiB: () => processRssMiB(pid),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const timeout = sleep(15_000).then(() => {
          if (!exited) child.kill('SIGKILL');
        });
        await Promise.race([exitPromise, timeout]);
        await exitPromise;
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One scrape of /metrics as the signed-in admin: each sample line (name with its labels) to its value.
 * The event-loop delay quantiles are reset by every scrape, so a scrape covers the time since the last.
 */
export async function scrapeMetrics(server: Pick<BenchServer, 'url' | 'cookie'>): Promise<Map<string, number>> {
  const res = await fetch(`${server.url}/metrics`, { headers: { cookie: server.cookie } });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** user + system CPU seconds of a process, from /proc (Linux); null elsewhere. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

export function processRssMiB(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores, all processes), from /proc/stat; null elsewhere. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return null;
  }
}

/** CPU seconds used by this process so far. */
export function selfCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Nearest-rank percentile of an ascending array (p in 0..100); NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export type MachineInfo = {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
};

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** A plain text table for the console. */
export function table(rows: (string | number)[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  return rows
    .map((row) => row.map((cell, i) => String(cell).padEnd(widths[i]!)).join('  '))
    .join('\n')
    .replace(/ +$/gm, '');
}

const DAY_MS = 86_400_000;

export type HistoryOptions = {
  /** About how many contacts the history holds (the simulator's rate is set from it). */
  contacts: number;
  /** Whole days of history, ending at `end`. */
  days: number;
  /** The end of the history (a UTC midnight): its last day is the day before. */
  end: number;
  /** Simulate one day and copy it (shifted, with renamed ids) instead of simulating every day. */
  replicate: boolean;
  /** Traffic after `end` (a copy of the first hours of day one, every site): "today" for a bench whose now is later. */
  afterEndMs?: number;
  log: (line: string) => void;
};

/**
 * Fills an empty, migrated database with about `contacts` simulated contacts over the `days` days
 * before `end`, through the real ingest path. Returns the seconds it took.
 *
 * The simulator's rate is contacts per minute at the daily peak; about a third of that on average.
 * At very high rates the simulator itself is the bottleneck (thousands of agents), so `replicate`
 * simulates one day at a moderate rate and copies it with SQL: side by side within the day ("sites",
 * with their own agents and customers) and then to every other day.
 */
export async function buildHistory(db: Database, o: HistoryOptions): Promise<number> {
  const t0 = performance.now();
  const start = o.end - o.days * DAY_MS;
  const sites = o.replicate ? Math.max(1, Math.ceil(o.contacts / (o.days * 50_000))) : 1;
  const simDays = o.replicate ? 1 : o.days;
  const rate = (o.contacts / (o.days * sites * 24 * 60)) * 2.6;
  o.log(`building: about ${o.contacts} contacts over ${o.days} days (peak ${round(rate)}/min x ${sites} sites)`);
  const sim = new Simulator({ seed: 1, ratePerMinute: rate, start, idPrefix: 'b' });
  const ingest = new Ingest(new EventStore(db), { now: () => o.end });
  let events = 0;
  for (let t = start + 3_600_000; t <= start + simDays * DAY_MS; t += 3_600_000) {
    const batch = sim.advance(t);
    for (let i = 0; i < batch.length; i += 20_000) await ingest.ingest(batch.slice(i, i + 20_000));
    events += batch.length;
    if ((t - start) % (DAY_MS * 3) === 0) o.log(`  ${events} events, day ${(t - start) / DAY_MS}`);
  }
  // Columns as the table has them (body keeps the original ids: KPI queries read the columns).
  const copy = (suffix: string, shiftMs: number, where: string) =>
    db.write((tx) =>
      tx.query(
        `INSERT INTO events SELECT id || ?, type, at_ms + ?, received_ms, contact_id || ?, agent_id || ?, queue, body,
           outcome, reason, channel, customer_id || ?, state, team FROM events WHERE ${where}`,
        [suffix, shiftMs, suffix, suffix, suffix],
      ),
    );
  if (o.replicate) {
    const dayOne = `at_ms < ${start + DAY_MS} AND id NOT LIKE '%~%'`;
    for (let k = 1; k < sites; k++) await copy(`~s${k}`, k * 7_000, dayOne);
    o.log(`  ${sites} sites on day 1`);
    for (let d = 1; d < o.days; d++) {
      await copy(`~d${d}`, d * DAY_MS, `at_ms < ${start + DAY_MS} AND id NOT LIKE '%~d%'`);
      if (d % 5 === 0) o.log(`  copied to day ${d + 1}`);
    }
  }
  if (o.afterEndMs) {
    // Contacts still open at the cut stay open: a running day.
    await copy('~t', o.days * DAY_MS, `at_ms < ${start + o.afterEndMs} AND id NOT LIKE '%~d%' AND id NOT LIKE '%~t%'`);
    o.log(`  ${round(o.afterEndMs / 3_600_000)} h after the end`);
  }
  return (performance.now() - t0) / 1000;
}
