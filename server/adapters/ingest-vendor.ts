/**
 * Runs an adapter over parsed vendor records and sends the events through the one ingest path, in
 * batches the contract allows. Shared by `POST /api/ingest/<platform>` and `tandem connect`.
 */
import { LIMITS } from '../contract/events.ts';
import type { AdapterAck } from '../contract/ingest-adapters.ts';
import type { EventPermit, Ingest } from '../ingest/ingest.ts';
import type { PlatformAdapter, VendorRecord } from './adapter.ts';
import type { ParsedRecord } from './vendor-json.ts';

export async function ingestVendorRecords(
  ingest: Pick<Ingest, 'ingestParsed'>,
  adapter: PlatformAdapter,
  parsed: readonly ParsedRecord[],
  options: {
    permit?: EventPermit;
    now?: number;
    /** Throws to refuse the whole batch once its event count is known (the per-key rate limit). */
    admit?: (events: number) => void;
  } = {},
): Promise<AdapterAck> {
  const records: VendorRecord[] = [];
  const unreadable: AdapterAck['issues'] = [];
  parsed.forEach((p, index) => {
    if (p.ok) records.push({ index, value: p.value });
    else unreadable.push({ record: index, kind: 'malformed', reason: p.reason });
  });
  let mapped;
  try {
    mapped = adapter.map(records, options.now ?? Date.now());
  } catch (err) {
    // A mapping bug must not cost the producer its batch silently: say so, store nothing from it.
    mapped = {
      events: [],
      ignored: 0,
      issues: records.map((r) => ({
        record: r.index,
        kind: 'malformed' as const,
        reason: `adapter failed: ${(err as Error).message}`,
      })),
    };
  }
  options.admit?.(mapped.events.length);
  const issues = [...unreadable, ...mapped.issues].sort((a, b) => a.record - b.record);
  const ack: AdapterAck = {
    platform: adapter.platform,
    records: parsed.length,
    ignored: mapped.ignored,
    unknown: issues.filter((i) => i.kind === 'unknown').length,
    malformed: issues.filter((i) => i.kind === 'malformed').length,
    issues,
    events: mapped.events.length,
    accepted: 0,
    duplicates: 0,
    rejected: [],
  };
  for (let i = 0; i < mapped.events.length; i += LIMITS.batchEvents) {
    const chunk = mapped.events.slice(i, i + LIMITS.batchEvents);
    const res = await ingest.ingestParsed(
      chunk.map((m) => ({ ok: true, value: m.event })),
      options.permit,
      adapter.platform,
    );
    ack.accepted += res.accepted;
    ack.duplicates += res.duplicates;
    for (const r of res.rejected) ack.rejected.push({ ...r, index: r.index + i, record: chunk[r.index]!.record });
  }
  return ack;
}
