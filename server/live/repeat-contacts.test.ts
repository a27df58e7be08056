import { describe, expect, it } from 'vitest';
import { addCounters, emptyCounters } from '../contract/kpis.ts';
import { RepeatContacts } from './repeat-contacts.ts';

const H = 1000;

function tracker() {
  const totals = emptyCounters();
  const byAt = new Map<number, number>();
  const repeats = new RepeatContacts(H, (at, delta) => {
    addCounters(totals, delta);
    byAt.set(at, (byAt.get(at) ?? 0) + (delta.fcrRepeated ?? 0));
  });
  const repeatedAt = () =>
    [...byAt]
      .filter(([, n]) => n > 0)
      .map(([at]) => at)
      .sort((a, b) => a - b);
  return { repeats, totals, repeatedAt };
}

describe('RepeatContacts', () => {
  it('marks a contact repeated when the same customer comes back within the horizon', () => {
    const { repeats, totals, repeatedAt } = tracker();
    repeats.started('a', 'cust', 0);
    repeats.started('b', 'cust', 500); // within: a repeated
    repeats.started('c', 'cust', 2000); // 1500 after b: b resolved
    repeats.started('x', 'other', 100);
    expect(totals.fcrContacts).toBe(4);
    expect(totals.fcrRepeated).toBe(1);
    expect(repeatedAt()).toEqual([0]);
  });

  it('ends at the same answer whatever the arrival order, and follows an earlier start', () => {
    const orders = [
      ['a', 'b', 'c'],
      ['c', 'b', 'a'],
      ['b', 'c', 'a'],
    ];
    const at: Record<string, number> = { a: 0, b: 900, c: 1800 };
    const results = orders.map((order) => {
      const { repeats, totals, repeatedAt } = tracker();
      for (const id of order) repeats.started(id, 'cust', at[id]!);
      return { counts: [totals.fcrContacts, totals.fcrRepeated], at: repeatedAt() };
    });
    for (const r of results) expect(r).toEqual({ counts: [3, 2], at: [0, 900] });

    const { repeats, totals } = tracker();
    repeats.started('a', 'cust', 0);
    repeats.started('b', 'cust', 2500);
    expect(totals.fcrRepeated).toBe(0);
    repeats.started('b', 'cust', 800); // a duplicate start event, earlier: b moves, a becomes repeated
    expect([totals.fcrContacts, totals.fcrRepeated]).toEqual([2, 1]);
    repeats.started('b', undefined, 700); // the earliest start has no customer: b leaves FCR
    expect([totals.fcrContacts, totals.fcrRepeated]).toEqual([1, 0]);
  });
});
