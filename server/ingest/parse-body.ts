/**
 * Turns a request body into a list of candidate events: a JSON array, one JSON object, or NDJSON.
 * A body that is not JSON at all is a 400; in NDJSON a bad line is rejected on its own, by index.
 */
import { LIMITS, type FieldError } from '../contract/events.ts';
import { BadRequest, PayloadTooLarge } from '../http/errors.ts';

export type ParsedItem = { ok: true; value: unknown } | { ok: false; errors: FieldError[] };

export function parseEventsBody(text: string, contentType = ''): ParsedItem[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new BadRequest('body is empty: send a JSON array of events, one event object, or NDJSON');
  const ndjson = /ndjson|jsonl/i.test(contentType);
  const declaredJson = /^application\/json\b/i.test(contentType);
  if (!ndjson) {
    try {
      return itemsOf(JSON.parse(trimmed));
    } catch (err) {
      if (err instanceof BadRequest || err instanceof PayloadTooLarge) throw err;
      // Several JSON lines without a declared type are NDJSON; a body declared as JSON must parse whole.
      if (declaredJson || !trimmed.includes('\n')) {
        throw new BadRequest(`body is not valid JSON: ${(err as Error).message}`);
      }
    }
  }
  // An item's index counts events (blank lines skipped); its error names the line of the trimmed body.
  const lines = trimmed
    .split(/\r?\n/)
    .map((text, i) => ({ text, line: i + 1 }))
    .filter((l) => l.text.trim() !== '');
  if (lines.length > LIMITS.batchEvents) throw tooMany(lines.length);
  return lines.map(({ text, line }) => {
    try {
      return { ok: true, value: JSON.parse(text) } as const;
    } catch (err) {
      return {
        ok: false,
        errors: [{ path: `(line ${line})`, message: `not valid JSON: ${(err as Error).message}` }],
      } as const;
    }
  });
}

/** Candidates from an already-parsed JSON value: an array of events or one event. */
export function itemsOf(value: unknown): ParsedItem[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > LIMITS.batchEvents) throw tooMany(list.length);
  return list.map((v) => ({ ok: true, value: v }));
}

const tooMany = (n: number) =>
  new PayloadTooLarge(`batch has ${n} events; at most ${LIMITS.batchEvents} per request or message`);
