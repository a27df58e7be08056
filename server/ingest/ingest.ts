/**
 * The one ingest path every producer uses (HTTP, websocket, CLI import, demo simulator):
 * validate each event against the contract, store the valid ones durably, acknowledge.
 */
import { checkEvent, LIMITS, type FieldError, type StoredEvent, type TandemEvent } from '../contract/events.ts';
import type { IngestAck } from '../contract/ingest.ts';
import { StorageUnavailable } from '../http/errors.ts';
import type { EventSink } from './event-store.ts';
import type { ParsedItem } from './parse-body.ts';
import { storageReason } from './storage-reason.ts';
import { loneSurrogatePath, mayHoldLoneSurrogate } from './lone-surrogates.ts';
import { REDACTION_KINDS, type RedactionKind } from '../contract/qa.ts';
import { redact } from '../qa/redact.ts';

type Rejection = IngestAck['rejected'][number];

/** Decides whether the sender may send this (valid) event; returns the reasons when it may not. */
export type EventPermit = (event: TandemEvent) => FieldError[] | null;

/** How a batch arrived, for the metrics: `http`, `websocket`, an adapter's platform, `qa-import`, `demo`. */
export type IngestVia = string;

export type IngestOptions = {
  now?: () => number;
  redaction?: () => readonly RedactionKind[];
  /** Told of every acknowledged batch (the metrics count events by source and outcome). */
  onAck?: (via: IngestVia, ack: IngestAck) => void;
};

export class Ingest {
  #store: EventSink;
  #now: () => number;
  #redaction: () => readonly RedactionKind[];
  #onAck: IngestOptions['onAck'];
  /**
   * @param options.redaction the kinds of personal data taken out of transcript text before it is
   *   stored (every kind by default); asked per batch, so a change of rules applies to the next one.
   */
  constructor(store: EventSink, options: IngestOptions = {}) {
    this.#store = store;
    this.#onAck = options.onAck;
    this.#now = options.now ?? Date.now;
    this.#redaction = options.redaction ?? (() => REDACTION_KINDS);
  }

  /** Validates and stores raw values (already parsed JSON). Resolves after the commit. */
  async ingest(values: readonly unknown[], via: IngestVia = 'other'): Promise<IngestAck> {
    return this.ingestParsed(
      values.map((value) => ({ ok: true, value })),
      undefined,
      via,
    );
  }

  async ingestParsed(items: readonly ParsedItem[], permit?: EventPermit, via: IngestVia = 'other'): Promise<IngestAck> {
    const valid: StoredEvent[] = [];
    const rejected: Rejection[] = [];
    const now = this.#now();
    const kinds = this.#redaction();
    items.forEach((item, index) => {
      if (!item.ok) {
        rejected.push({ index, errors: item.errors });
        return;
      }
      const check = checkEvent(item.value, now);
      if (!check.ok) {
        rejected.push({ index, ...(check.id !== undefined ? { id: check.id } : {}), errors: check.errors });
        return;
      }
      const denied = permit?.(check.value.event);
      if (denied) {
        rejected.push({ index, id: check.value.event.id, errors: denied });
        return;
      }
      // Before anything is serialised: the original text exists only in this request's memory.
      const event = redactEvent(check.value.event, kinds);
      const json = serialise(event);
      const illFormed = json !== null && mayHoldLoneSurrogate(json) ? loneSurrogatePath(event) : null;
      if (illFormed !== null) {
        const message = 'must be valid Unicode (no lone surrogates)';
        rejected.push({ index, id: check.value.event.id, errors: [{ path: illFormed, message }] });
        return;
      }
      // UTF-8 needs at most 3 bytes per UTF-16 unit, so short events skip the byte count.
      const tooBig =
        json !== null && json.length * 3 > LIMITS.eventBytes && Buffer.byteLength(json) > LIMITS.eventBytes;
      if (json === null || tooBig) {
        const message = json === null ? 'nested too deeply to store' : `larger than ${LIMITS.eventBytes} bytes`;
        rejected.push({ index, id: check.value.event.id, errors: [{ path: '(event)', message }] });
        return;
      }
      valid.push({ ...check.value, event, json });
    });
    let ack: IngestAck;
    try {
      const result = await this.#store.store(valid);
      ack = { accepted: result.inserted.length, duplicates: result.duplicates, rejected };
    } catch (err) {
      // Nothing of the batch was acknowledged (the transaction rolled back, or the shared log did not
      // confirm all of it): the producer sends it again, and what did get through is a duplicate then.
      throw new StorageUnavailable(storageReason(err));
    }
    this.#onAck?.(via, ack);
    return ack;
  }
}

/**
 * A transcript segment with personal data replaced by typed tokens, and how many of each kind were
 * found (`redactions`, absent when none). Other events pass through untouched.
 */
function redactEvent(event: TandemEvent, kinds: readonly RedactionKind[]): TandemEvent {
  if (event.type !== 'transcript.segment') return event;
  // The counts are the server's to say: a producer's own `redactions` field is dropped.
  const { redactions: _sent, ...segment } = event as typeof event & { redactions?: unknown };
  if (kinds.length === 0) return segment;
  const { text, counts } = redact(segment.text, kinds);
  return Object.keys(counts).length === 0 ? segment : { ...segment, text, redactions: counts };
}

/** JSON for storage; null when extra fields nest so deeply that serialising them overflows the stack. */
function serialise(event: unknown): string | null {
  try {
    return JSON.stringify(event);
  } catch {
    return null;
  }
}
