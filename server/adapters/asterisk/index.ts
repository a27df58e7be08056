/**
 * The Asterisk adapters: app_queue's queue_log (a file tailed or imported, one line per record) and
 * live AMI queue events (one `Key: Value` message per record, or the same as JSON objects).
 */
import type { AdapterOutput, PlatformAdapter, VendorRecord } from '../adapter.ts';
import { Collector } from '../adapter.ts';
import { parseVendorRecords, type ParsedRecord } from '../vendor-json.ts';
import { asObject, withDocumentedCase, zodReason } from '../vendor-fields.ts';
import { mapAmiEvent } from './ami.ts';
import { parseAmiText } from './ami-protocol.ts';
import { AMI_SOURCE, QUEUE_LOG_SOURCE } from './common.ts';
import { mapQueueLogLine, parseQueueLogLine, splitQueueLogLines } from './queue-log.ts';
import { AMI_FIELDS, amiEvent } from './types.ts';

/** A JSON array (what `tandem connect` posts) or else the vendor's own text. */
const looksLikeJson = (text: string) => /^\s*[[{]/.test(text);

function mapQueueLog(records: readonly VendorRecord[]): AdapterOutput {
  const out = new Collector(QUEUE_LOG_SOURCE);
  for (const { index, value } of records) {
    if (typeof value !== 'string') {
      out.issue(index, 'malformed', 'a record must be one queue_log line (text)');
      continue;
    }
    const line = parseQueueLogLine(value);
    if (line) mapQueueLogLine(out, index, line);
    else out.issue(index, 'malformed', 'not a queue_log line: fewer than 5 "|"-separated fields');
  }
  return out.out;
}

function mapAmi(records: readonly VendorRecord[], now: number): AdapterOutput {
  const out = new Collector(AMI_SOURCE);
  for (const { index, value } of records) {
    const o = asObject(value);
    if (!o) {
      out.issue(index, 'malformed', 'a record must be one AMI message (headers as an object)');
      continue;
    }
    const e = amiEvent.safeParse(withDocumentedCase(o, AMI_FIELDS));
    if (e.success) mapAmiEvent(out, index, e.data, now);
    else out.issue(index, 'malformed', zodReason(e.error.issues));
  }
  return out.out;
}

export const asteriskQueueLog: PlatformAdapter = {
  platform: 'asterisk-queue-log',
  description: 'Asterisk queue_log lines (time|callid|queuename|agent|event|data...)',
  read: (text): ParsedRecord[] =>
    looksLikeJson(text) ? parseVendorRecords(text) : splitQueueLogLines(text).map((value) => ({ ok: true, value })),
  map: (records) => mapQueueLog(records),
};

export const asteriskAmi: PlatformAdapter = {
  platform: 'asterisk-ami',
  description: 'Asterisk Manager Interface queue events (Key: Value messages, or JSON objects of them)',
  read: (text): ParsedRecord[] =>
    looksLikeJson(text)
      ? parseVendorRecords(text)
      : parseAmiText(text).map((m) => (m.ok ? m : { ok: false, reason: m.reason })),
  map: (records, now) => mapAmi(records, now),
};
