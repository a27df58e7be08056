import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';

describe('toCsv', () => {
  it('quotes what needs quoting, joins lists and defuses formulas', () => {
    const csv = toCsv(
      ['a', 'b', 'c', 'd'],
      [
        ['plain', 'with, comma', 'say "hi"', ['x', 'y']],
        [1.5, null, '=HYPERLINK("x")', '-3 apples'],
        [-3, 'line\nbreak', '退款', undefined],
      ],
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'a,b,c,d',
      'plain,"with, comma","say ""hi""",x; y',
      `1.5,,"'=HYPERLINK(""x"")",'-3 apples`,
      '-3,"line\nbreak",退款,',
      '',
    ]);
  });
});
