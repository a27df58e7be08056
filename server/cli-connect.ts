/**
 * `tandem connect <platform> ...`: a platform's records through its adapter, into the local database
 * or a running server's `/api/ingest/<platform>`. A file once (exported contact records, a saved event
 * stream, a queue_log), a file followed as it grows (`--follow`), or a live Asterisk Manager Interface.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { PlatformAdapter } from './adapters/adapter.ts';
import { ingestVendorRecords } from './adapters/ingest-vendor.ts';
import { adapterFor, PLATFORMS, readRecords } from './adapters/registry.ts';
import type { ParsedRecord } from './adapters/vendor-json.ts';
import { loadConfig } from './config.ts';
import { runAmiClient } from './connect/ami-client.ts';
import { tailFile } from './connect/file-tail.ts';
import type { AdapterAck } from './contract/ingest-adapters.ts';
import { createTandem } from './tandem.ts';

export const CONNECT_HELP = `  tandem connect PLATFORM --file PATH [--follow] [--url URL]
                                        map a file of a platform's own records (JSON, JSON lines or
                                        concatenated objects; queue_log lines) to events; --follow
                                        keeps reading it as it grows: ${PLATFORMS.join(', ')}
  tandem connect asterisk-ami --host HOST [--port 5038] --username USER [--url URL]
                                        stream queue events from an Asterisk Manager Interface
                                        (secret in TANDEM_AMI_SECRET, or --secret)
`;

/** Records per request to a running server: well under the body and batch limits. */
const CHUNK = 2000;

type Totals = Record<'records' | 'events' | 'accepted' | 'duplicates' | 'ignored' | 'unknown' | 'malformed', number>;

/** Where mapped records go: a running server (with --url) or the local database. */
type Sink = { send(parsed: ParsedRecord[]): Promise<AdapterAck[]>; close(): Promise<void> };

async function postRecords(url: string, platform: string, records: ParsedRecord[]): Promise<AdapterAck> {
  const key = process.env.TANDEM_KEY;
  if (!key) throw new Error('set TANDEM_KEY to an ingest key (create one with: tandem key add NAME)');
  const res = await fetch(new URL(`/api/ingest/${platform}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    // Unreadable records stay in place as null so positions in the reply match the file's.
    body: JSON.stringify(records.map((r) => (r.ok ? r.value : null))),
  });
  const body = (await res.json()) as AdapterAck & { error?: { message: string } };
  if (!res.ok) throw new Error(`server answered ${res.status}: ${body.error?.message ?? JSON.stringify(body)}`);
  return body;
}

async function openSink(adapter: PlatformAdapter, url: string | undefined): Promise<Sink> {
  if (url) {
    if (!process.env.TANDEM_KEY)
      throw new Error('set TANDEM_KEY to an ingest key (create one with: tandem key add NAME)');
    return {
      async send(parsed) {
        const acks: AdapterAck[] = [];
        for (let i = 0; i < parsed.length; i += CHUNK) {
          const chunk = parsed.slice(i, i + CHUNK);
          const ack = await postRecords(url, adapter.platform, chunk);
          // The server saw a null where the file had unreadable text: give the file's own reason.
          const reasonAt = (n: number) => {
            const p = chunk[n];
            return p && !p.ok ? p.reason : undefined;
          };
          acks.push({
            ...ack,
            issues: ack.issues.map((x) => ({ ...x, record: x.record + i, reason: reasonAt(x.record) ?? x.reason })),
            rejected: ack.rejected.map((x) => ({ ...x, record: x.record + i })),
          });
        }
        return acks;
      },
      close: async () => undefined,
    };
  }
  const tandem = await createTandem({ ...loadConfig(), demo: false, logLevel: 'warn' });
  return {
    send: async (parsed) => [await ingestVendorRecords(tandem.ingest, adapter, parsed)],
    close: () => tandem.close(),
  };
}

/** Prints each problem and the totals; true when every record and event was taken. */
function report(acks: AdapterAck[], prefix = ''): boolean {
  const sum = (k: keyof Totals) => acks.reduce((n, a) => n + a[k], 0);
  for (const a of acks) {
    for (const i of a.issues.slice(0, 10)) console.error(`${prefix}record #${i.record}: ${i.kind}: ${i.reason}`);
    for (const r of a.rejected.slice(0, 10)) {
      console.error(
        `${prefix}record #${r.record} event ${r.id ?? ''}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      );
    }
  }
  const rejected = acks.reduce((n, a) => n + a.rejected.length, 0);
  console.log(
    `${prefix}${sum('records')} records: ${sum('events')} events (${sum('accepted')} stored, ${sum('duplicates')} duplicates, ` +
      `${rejected} rejected); ${sum('ignored')} ignored, ${sum('unknown')} unknown, ${sum('malformed')} malformed`,
  );
  return sum('unknown') + sum('malformed') + rejected === 0;
}

/** Until Ctrl-C or SIGTERM. */
function stopSignal(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  return controller.signal;
}

const stamp = () => `${new Date().toISOString()} `;

export async function connectFile(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      file: { type: 'string' },
      url: { type: 'string' },
      follow: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      username: { type: 'string' },
      secret: { type: 'string' },
    },
  });
  const platform = positionals[0] ?? '';
  const adapter = adapterFor(platform);
  if (!adapter) throw new Error(`connect needs a PLATFORM: one of ${PLATFORMS.join(', ')}`);

  if (values.host) {
    if (platform !== 'asterisk-ami') throw new Error('--host is for asterisk-ami (an Asterisk Manager Interface)');
    const secret = values.secret ?? process.env.TANDEM_AMI_SECRET;
    const port = Number(values.port ?? 5038);
    if (!values.username || !secret) throw new Error('asterisk-ami needs --username and a secret (TANDEM_AMI_SECRET)');
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('--port must be a TCP port');
    const sink = await openSink(adapter, values.url);
    try {
      await runAmiClient({
        host: values.host,
        port,
        username: values.username,
        secret,
        signal: stopSignal(),
        log: (m) => console.error(`${stamp()}${m}`),
        onEvents: async (events) => {
          report(await sink.send(events.map((value) => ({ ok: true, value }))), stamp());
        },
      });
    } finally {
      await sink.close();
    }
    return;
  }

  if (!values.file) throw new Error('connect needs --file PATH (the platform records to import)');
  const sink = await openSink(adapter, values.url);
  try {
    if (values.follow) {
      await tailFile({
        path: values.file,
        signal: stopSignal(),
        onError: (err) => console.error(`${stamp()}${values.file}: ${err.message}`),
        onLines: async (lines) => {
          report(await sink.send(readRecords(adapter, lines.join('\n'))), stamp());
        },
      });
      return;
    }
    const acks = await sink.send(readRecords(adapter, readFileSync(values.file, 'utf8')));
    if (!report(acks)) process.exitCode = 1;
  } finally {
    await sink.close();
  }
}
