import { describe, expect, it } from 'vitest';
import { loneSurrogatePath, mayHoldLoneSurrogate } from './lone-surrogates.ts';

describe('lone surrogates', () => {
  it('are spotted in serialised JSON by their escape, and well-formed pairs are not', () => {
    expect(mayHoldLoneSurrogate(JSON.stringify({ a: 'x\ud800' }))).toBe(true);
    expect(mayHoldLoneSurrogate(JSON.stringify({ a: 'x\udfffy' }))).toBe(true);
    expect(mayHoldLoneSurrogate(JSON.stringify({ a: '😀 é', b: '\\u0041' }))).toBe(false);
  });

  it('are found at their path in values, keys and arrays', () => {
    expect(loneSurrogatePath({ id: 'a', text: 'ok' })).toBeNull();
    expect(loneSurrogatePath({ id: 'a', text: 'half \ud83d' })).toBe('text');
    expect(loneSurrogatePath({ vendor: { notes: ['fine', 'bad\ude00'] } })).toBe('vendor.notes.1');
    expect(loneSurrogatePath({ vendor: { ['k\ud800']: 1 } })).toBe('vendor.k\ufffd');
    expect(loneSurrogatePath('\ud800')).toBe('(event)');
  });

  it('walks nesting deeper than the call stack would allow', () => {
    let deep: unknown = 'end\udbff';
    for (let i = 0; i < 50_000; i++) deep = [deep];
    expect(loneSurrogatePath({ deep })).toMatch(/^deep(\.0)+$/);
  });
});
