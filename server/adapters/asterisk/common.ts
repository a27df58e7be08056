/** What the two Asterisk feeds share: their source names, ids, times and the app_queue vocabulary. */
import type { TandemEvent } from '../../contract/events.ts';
import { LIMITS } from '../../contract/events.ts';
import { eventId, idOf } from '../vendor-fields.ts';

export const QUEUE_LOG_SOURCE = 'asterisk-queue-log';
export const AMI_SOURCE = 'asterisk-ami';

/**
 * Ids name the call (the caller channel's uniqueid), the fact, the queue and the second it happened,
 * so a replayed file or a resent event is stored once while a caller who enters the same queue again
 * later (a dialplan loop after a timeout) is a new visit. The two feeds keep their own prefixes: their
 * clocks differ (seconds in queue_log, microseconds in AMI), so one fact told by both cannot be matched.
 */
export const qlId = (...parts: (string | number)[]) => eventId('ast-ql', ...parts);
export const amiId = (...parts: (string | number)[]) => eventId('ast-ami', ...parts);

/**
 * Epoch seconds as Asterisk writes them (`1366720340`, AMI's `1366720340.303267`), or a database
 * row's `2012-07-03 15:27:23.896208` (read as UTC), to epoch ms; undefined when not a time.
 */
export function asteriskTimeMs(value: string | undefined): number | undefined {
  const v = (value ?? '').trim();
  let ms = NaN;
  if (/^\d{9,11}(\.\d{1,9})?$/.test(v)) ms = Math.floor(Number(v) * 1000);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(v)) {
    ms = Date.parse(`${v.replace(' ', 'T').slice(0, 23)}Z`);
  }
  return Number.isFinite(ms) && ms >= LIMITS.minAt && ms < LIMITS.maxAt ? ms : undefined;
}

/** A queue_log field or AMI value that stands for "none" in Asterisk's own words. */
export function named(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  return v === '' || v.toUpperCase() === 'NONE' || v === '(null)' ? undefined : idOf(v);
}

/** Who hung up, from the completing side. */
export function endedByOf(
  who: 'caller' | 'agent' | string,
): Extract<TandemEvent, { type: 'contact.ended' }>['endedBy'] {
  return who === 'caller' ? 'customer' : who === 'agent' ? 'agent' : 'system';
}
