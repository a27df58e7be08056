import { describe, expect, it } from 'vitest';
import { reasonBars } from './reason-bars.ts';

describe('reasonBars', () => {
  it('sorts reasons by count, with shares and widths relative to the largest', () => {
    const bars = reasonBars({ policy: 1, customer_request: 3, custom_thing: 0 });
    expect(bars.map((b) => [b.reason, b.count, Math.round(b.widthPct * 100) / 100])).toEqual([
      ['customer_request', 3, 100],
      ['policy', 1, 33.33],
    ]);
    expect(bars[0]!.share).toBe(0.75);
    expect(bars.map((b) => b.folded)).toEqual([0, 0]);
  });
  it('folds the tail into one bar past the limit', () => {
    const bars = reasonBars({ a: 5, b: 4, c: 3, d: 2, e: 1 }, 3);
    expect(bars.map((b) => [b.reason, b.folded, b.count])).toEqual([
      ['a', 0, 5],
      ['b', 0, 4],
      ['', 3, 6],
    ]);
  });
  it('is empty without escalations', () => {
    expect(reasonBars({})).toEqual([]);
  });
});
