/**
 * `tandem connect <platform> --file PATH [--url URL]`: a file of a platform's records (exported
 * contact records, a saved agent event stream, analytics detail records) through its adapter, into
 * the local database or a running server's `/api/ingest/<platform>`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ingestVendorRecords } from './adapters/ingest-vendor.ts';
import { adapterFor, PLATFORMS } from './adapters/registry.ts';
import { parseVendorRecords, type ParsedRecord } from './adapters/vendor-json.ts';
import { loadConfig } from './config.ts';
import type { AdapterAck } from './contract/ingest-adapters.ts';
import { createTandem } from './tandem.ts';

export const CONNECT_HELP = `  tandem connect PLATFORM --file PATH [--url URL]
                                        map a file of a platform's own records (JSON, JSON lines or
                                        concatenated objects) to events: ${PLATFORMS.join(', ')}
`;

/** Records per request to a running server: well under the body and batch limits. */
const CHUNK = 2000;

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

export async function connectFile(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { file: { type: 'string' }, url: { type: 'string' } },
  });
  const platform = positionals[0] ?? '';
  const adapter = adapterFor(platform);
  if (!adapter) throw new Error(`connect needs a PLATFORM: one of ${PLATFORMS.join(', ')}`);
  if (!values.file) throw new Error('connect needs --file PATH (the platform records to import)');
  const parsed = parseVendorRecords(readFileSync(values.file, 'utf8'));
  const acks: AdapterAck[] = [];
  if (values.url) {
    for (let i = 0; i < parsed.length; i += CHUNK) {
      const chunk = parsed.slice(i, i + CHUNK);
      const ack = await postRecords(values.url, platform, chunk);
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
  } else {
    const tandem = await createTandem({ ...loadConfig(), demo: false, logLevel: 'warn' });
    try {
      acks.push(await ingestVendorRecords(tandem.ingest, adapter, parsed));
    } finally {
      await tandem.close();
    }
  }
  const sum = (k: 'records' | 'events' | 'accepted' | 'duplicates' | 'ignored' | 'unknown' | 'malformed') =>
    acks.reduce((n, a) => n + a[k], 0);
  for (const a of acks) {
    for (const i of a.issues.slice(0, 10)) console.error(`record #${i.record}: ${i.kind}: ${i.reason}`);
    for (const r of a.rejected.slice(0, 10)) {
      console.error(
        `record #${r.record} event ${r.id ?? ''}: ${r.errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      );
    }
  }
  console.log(
    `${sum('records')} records: ${sum('events')} events (${sum('accepted')} stored, ${sum('duplicates')} duplicates, ` +
      `${acks.reduce((n, a) => n + a.rejected.length, 0)} rejected); ${sum('ignored')} ignored, ` +
      `${sum('unknown')} unknown, ${sum('malformed')} malformed`,
  );
  if (sum('unknown') + sum('malformed') + acks.reduce((n, a) => n + a.rejected.length, 0) > 0) process.exitCode = 1;
}
