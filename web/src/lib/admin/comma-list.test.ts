import { describe, expect, it } from 'vitest';
import { formatList, parseList } from './comma-list.ts';

describe('comma lists', () => {
  it('splits, trims and drops empty entries and repeats', () => {
    expect(parseList(' sales,billing , ,sales,,vip care ')).toEqual(['sales', 'billing', 'vip care']);
    expect(parseList('')).toEqual([]);
    expect(parseList(' , ')).toEqual([]);
    expect(parseList('销售，账单、 VIP')).toEqual(['销售', '账单', 'VIP']);
  });

  it('formats back to what an admin would type', () => {
    expect(formatList(['sales', 'billing'])).toBe('sales, billing');
    expect(parseList(formatList(['a', 'b c']))).toEqual(['a', 'b c']);
  });
});
