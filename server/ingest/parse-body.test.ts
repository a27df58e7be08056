import { describe, expect, it } from 'vitest';
import { LIMITS } from '../contract/events.ts';
import { BadRequest, PayloadTooLarge } from '../http/errors.ts';
import { parseEventsBody } from './parse-body.ts';

describe('parseEventsBody', () => {
  it('reads an array, a single object and NDJSON', () => {
    expect(parseEventsBody('[{"a":1},{"b":2}]')).toHaveLength(2);
    expect(parseEventsBody('{"a":1}')).toEqual([{ ok: true, value: { a: 1 } }]);
    expect(parseEventsBody('{"a":1}\n{"b":2}\n', 'application/x-ndjson')).toHaveLength(2);
    // NDJSON is recognised by its shape too
    expect(parseEventsBody('{"a":1}\r\n{"b":2}')).toHaveLength(2);
  });

  it('rejects a body that is not JSON with a 400 and the reason', () => {
    expect(() => parseEventsBody('{"a":')).toThrow(BadRequest);
    expect(() => parseEventsBody('   ')).toThrow(/empty/);
    // A pretty-printed body cut short is a 400 when declared as JSON, not a batch of bad lines.
    expect(() => parseEventsBody('[\n  {"a": 1},\n  {"b"', 'application/json')).toThrow(BadRequest);
  });

  it('rejects only the bad lines of NDJSON', () => {
    const items = parseEventsBody('{"a":1}\n\nnope\n{"c":3}', 'application/x-ndjson');
    expect(items.map((i) => i.ok)).toEqual([true, false, true]);
    // index 1 among the events, line 3 of the body
    expect(items[1]).toMatchObject({ ok: false, errors: [{ path: '(line 3)' }] });
  });

  it('refuses batches over the limit', () => {
    const body = JSON.stringify(Array.from({ length: LIMITS.batchEvents + 1 }, () => ({})));
    expect(() => parseEventsBody(body)).toThrow(PayloadTooLarge);
  });

  it('parses deep nesting without crashing (validation rejects it later)', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseEventsBody(deep)).toHaveLength(1);
  });
});
