/**
 * The `tandem` command: serve, simulate (drive any running server), import (a file of events), backup, restore.
 */
import { parseArgs } from 'node:util';
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { loadConfig } from './config.ts';
import { startServer } from './server.ts';
import { Simulator } from './simulator/simulator.ts';
import { localHour } from './simulator/demo.ts';
import { createTandem } from './tandem.ts';
import type { IngestAck } from './contract/ingest.ts';
import { MINUTE } from './time.ts';
import { ADMIN_HELP, adminCommand } from './cli-admin.ts';
import { connectFile, CONNECT_HELP } from './cli-connect.ts';
import { BACKUP_HELP, backupCommand, restoreCommand } from './cli-backup.ts';
import { installProcessGuards } from './process-guards.ts';

const HELP = `tandem — real-time wallboard for contact centers where AI bots and people work together

Usage:
  tandem serve                          start the server (PORT, HOST, TANDEM_DB, TANDEM_DEMO, TANDEM_TZ)
  tandem simulate --url URL [--rate N] [--seed S] [--backfill MIN] [--duration SEC]
                                        push simulated traffic to a running server
                                        (--rate: new contacts per minute at the daily peak, default 8)
  tandem import FILE [--url URL]        load a JSON array or NDJSON file of events, into the local
                                        database (TANDEM_DB) or, with --url, into a running server
${CONNECT_HELP}${ADMIN_HELP}${BACKUP_HELP}  tandem help                           this text

  simulate and import --url need an ingest key in TANDEM_KEY (tandem key add NAME).
`;

async function postEvents(url: string, events: unknown[]): Promise<IngestAck> {
  const key = process.env.TANDEM_KEY;
  if (!key) throw new Error('set TANDEM_KEY to an ingest key (create one with: tandem key add NAME)');
  const res = await fetch(new URL('/api/events', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
  });
  const body = (await res.json()) as IngestAck & { error?: { message: string } };
  if (!res.ok) throw new Error(`server answered ${res.status}: ${body.error?.message ?? JSON.stringify(body)}`);
  return body;
}

async function serve(): Promise<void> {
  const running = await startServer(loadConfig());
  installProcessGuards(running.tandem.log);
  const { setup, demoDisplay, demoTour } = running.links;
  const lines = [`Tandem is running: ${running.url}`];
  if (demoDisplay) lines.push(`Demo wallboard (display link, no sign-in): ${demoDisplay}`);
  if (demoTour) lines.push(`Every board in turn (the same link with a playlist): ${demoTour}`);
  if (setup) lines.push(`No accounts yet. Create the first admin (one-time link): ${setup}`);
  if (running.tandem.config.demo) lines.push('Demo traffic is on: TANDEM_DEMO=0 turns it off.');
  console.log(`\n  ${lines.join('\n  ')}\n`);
  const stop = async (signal: string) => {
    running.tandem.log.info({ signal }, 'shutting down');
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

async function simulate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      rate: { type: 'string', default: '8' },
      seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
      backfill: { type: 'string', default: '0' },
      duration: { type: 'string' },
      tz: { type: 'string', default: Intl.DateTimeFormat().resolvedOptions().timeZone },
    },
  });
  if (!values.url) throw new Error('simulate needs --url, e.g. --url http://localhost:3000');
  const rate = Number(values.rate);
  if (!(rate > 0)) throw new Error('--rate must be a positive number of contacts per minute');
  const now = Date.now();
  const sim = new Simulator({
    seed: Number(values.seed),
    ratePerMinute: rate,
    start: now - Number(values.backfill) * MINUTE,
    idPrefix: `sim-${now.toString(36)}`,
    hourOf: (ms) => localHour(ms, values.tz),
  });
  const until = values.duration ? now + Number(values.duration) * 1000 : Infinity;
  let sent = 0;
  for (;;) {
    const events = sim.advance(Math.min(Date.now(), until));
    for (let i = 0; i < events.length; i += 5000) {
      const ack = await postEvents(values.url, events.slice(i, i + 5000));
      sent += ack.accepted;
      if (ack.rejected.length) console.error(`rejected: ${JSON.stringify(ack.rejected.slice(0, 3))}`);
    }
    process.stdout.write(`\rsent ${sent} events`);
    if (Date.now() >= until) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  process.stdout.write('\n');
}

async function* readEvents(file: string): AsyncGenerator<unknown[]> {
  const head = readFileSync(file, { encoding: 'utf8', flag: 'r' }).slice(0, 1).trim();
  if (head === '[') {
    const all = JSON.parse(readFileSync(file, 'utf8')) as unknown[];
    for (let i = 0; i < all.length; i += 5000) yield all.slice(i, i + 5000);
    return;
  }
  let batch: unknown[] = [];
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      batch.push(JSON.parse(text));
    } catch (err) {
      throw new Error(`${file}:${line}: not valid JSON: ${(err as Error).message}`, { cause: err });
    }
    if (batch.length === 5000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function importFile(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { url: { type: 'string' } } });
  const file = positionals[0];
  if (!file) throw new Error('import needs a FILE (JSON array or NDJSON of events)');
  const tandem = values.url ? null : await createTandem({ ...loadConfig(), demo: false, logLevel: 'warn' });
  const total = { accepted: 0, duplicates: 0, rejected: 0 };
  let offset = 0;
  try {
    for await (const batch of readEvents(file)) {
      const ack = values.url ? await postEvents(values.url, batch) : await tandem!.ingest.ingest(batch, 'import');
      total.accepted += ack.accepted;
      total.duplicates += ack.duplicates;
      total.rejected += ack.rejected.length;
      for (const r of ack.rejected.slice(0, 5)) {
        console.error(
          `event #${offset + r.index}${r.id ? ` (${r.id})` : ''}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
        );
      }
      offset += batch.length;
    }
  } finally {
    await tandem?.close();
  }
  console.log(`imported ${total.accepted} events, ${total.duplicates} duplicates skipped, ${total.rejected} rejected`);
  if (total.rejected > 0) process.exitCode = 1;
}

export async function main(argv: string[]): Promise<void> {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'simulate':
      return simulate(rest);
    case 'import':
      return importFile(rest);
    case 'connect':
      return connectFile(rest);
    case 'backup':
      return backupCommand(rest);
    case 'restore':
      return restoreCommand(rest);
    case 'user':
    case 'key':
    case 'display':
      return adminCommand(command, rest);
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      process.stderr.write(`unknown command: ${command}\n\n${HELP}`);
      process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`tandem: ${(err as Error).message}`);
  process.exit(1);
});
