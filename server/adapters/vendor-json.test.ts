import { describe, expect, it } from 'vitest';
import { isFormBody, parseFormRecord, parseVendorRecords, stripJsonNoise } from './vendor-json.ts';

describe('vendor record reading', () => {
  it('reads arrays, single objects, JSON lines and objects concatenated without separators', () => {
    expect(parseVendorRecords('[{"a":1},{"a":2}]')).toEqual([
      { ok: true, value: { a: 1 } },
      { ok: true, value: { a: 2 } },
    ]);
    expect(parseVendorRecords('{"a":1}')).toEqual([{ ok: true, value: { a: 1 } }]);
    expect(parseVendorRecords('{"a":1}\n\n{"a":2}\r\n')).toHaveLength(2);
    expect(parseVendorRecords('{"a":"}{"}{"a":2}[{"a":3}]').map((r) => (r.ok ? r.value : null))).toEqual([
      { a: '}{' },
      { a: 2 },
      { a: 3 },
    ]);
    expect(parseVendorRecords('   ')).toEqual([]);
  });

  it('drops comments and trailing commas outside strings only', () => {
    const doc = '{\n  "url": "https://x//y", // a comment\n  /* block\n comment */ "list": [1, 2,],\n}';
    expect(parseVendorRecords(doc)).toEqual([{ ok: true, value: { url: 'https://x//y', list: [1, 2] } }]);
    expect(stripJsonNoise('{"a": "x, }"}')).toBe('{"a": "x, }"}');
  });

  it('reports each unreadable part by line and keeps the rest', () => {
    const records = parseVendorRecords('{"a":1}\n{"a":}\n}\n{"a":3}\n{"open": [');
    expect(records.map((r) => r.ok)).toEqual([true, false, false, true, false]);
    expect(records[1]).toMatchObject({ reason: expect.stringMatching(/^line 2: not valid JSON/) });
    expect(records[2]).toMatchObject({ reason: expect.stringMatching(/^line 3: text outside any record/) });
    expect(records[4]).toMatchObject({ reason: 'line 5: record is not closed' });
  });

  it('survives hostile text without throwing', () => {
    for (const text of ['"\\', '\\u0000{', '}'.repeat(10_000), '['.repeat(10_000), '{"a":"' + 'x'.repeat(100_000)]) {
      expect(() => parseVendorRecords(text)).not.toThrow();
    }
  });

  it('reads a form-encoded body as one record of strings', () => {
    expect(isFormBody('application/x-www-form-urlencoded; charset=UTF-8')).toBe(true);
    expect(isFormBody('application/json')).toBe(false);
    expect(isFormBody(undefined)).toBe(false);
    expect(parseFormRecord('EventType=task.created&TaskAttributes=%7B%22a%22%3A1%7D&Name=a+b&__proto__=x')).toEqual([
      { ok: true, value: { EventType: 'task.created', TaskAttributes: '{"a":1}', Name: 'a b' } },
    ]);
    expect(parseFormRecord('')).toEqual([{ ok: false, reason: 'form body has no parameters' }]);
    expect(() => parseFormRecord('%ZZ=%E0%A4%A&=&&')).not.toThrow();
  });
});
