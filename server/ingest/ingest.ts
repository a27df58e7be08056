/**
 * The one ingest path every producer uses (HTTP, websocket, CLI import, demo simulator):
 * validate each event against the contract, store the valid ones durably, acknowledge.
 */
import { checkEvent, LIMITS, type FieldError, type StoredEvent, type TandemEvent } from '../contract/events.ts';
import type { IngestAck } from '../contract/ingest.ts';
import { Unavailable } from '../http/errors.ts';
import type { EventStore } from './event-store.ts';
import type { ParsedItem } from './parse-body.ts';

type Rejection = IngestAck['rejected'][number];

/** Decides whether the sender may send this (valid) event; returns the reasons when it may not. */
export type EventPermit = (event: TandemEvent) => FieldError[] | null;

export class Ingest {
  #store: EventStore;
  #now: () => number;
  constructor(store: EventStore, options: { now?: () => number } = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
  }

  /** Validates and stores raw values (already parsed JSON). Resolves after the commit. */
  async ingest(values: readonly unknown[]): Promise<IngestAck> {
    return this.ingestParsed(values.map((value) => ({ ok: true, value })));
  }

  async ingestParsed(items: readonly ParsedItem[], permit?: EventPermit): Promise<IngestAck> {
    const valid: StoredEvent[] = [];
    const rejected: Rejection[] = [];
    const now = this.#now();
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
      const json = serialise(check.value.event);
      // UTF-8 needs at most 3 bytes per UTF-16 unit, so short events skip the byte count.
      const tooBig =
        json !== null && json.length * 3 > LIMITS.eventBytes && Buffer.byteLength(json) > LIMITS.eventBytes;
      if (json === null || tooBig) {
        const message = json === null ? 'nested too deeply to store' : `larger than ${LIMITS.eventBytes} bytes`;
        rejected.push({ index, id: check.value.event.id, errors: [{ path: '(event)', message }] });
        return;
      }
      valid.push({ ...check.value, json });
    });
    try {
      const result = await this.#store.store(valid);
      return { accepted: result.inserted.length, duplicates: result.duplicates, rejected };
    } catch (err) {
      throw new Unavailable(`events were not stored, retry later: ${(err as Error).message}`);
    }
  }
}

/** JSON for storage; null when extra fields nest so deeply that serialising them overflows the stack. */
function serialise(event: unknown): string | null {
  try {
    return JSON.stringify(event);
  } catch {
    return null;
  }
}
