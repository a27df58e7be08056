import { describe, expect, it } from 'vitest';
import { narrowScope, UNSCOPED, type Scope } from './principal.ts';

const list = (s: Scope) => ({ queues: s.queues && [...s.queues].sort(), teams: s.teams && [...s.teams].sort() });

describe('narrowScope', () => {
  it('leaves the scope alone when the board names nothing', () => {
    expect(narrowScope(UNSCOPED, [], [])).toBe(UNSCOPED);
  });

  it("gives an unscoped viewer exactly the board's queues and teams", () => {
    expect(list(narrowScope(UNSCOPED, ['sales', 'billing'], []))).toEqual({ queues: ['billing', 'sales'], teams: [] });
    expect(list(narrowScope(UNSCOPED, [], ['north']))).toEqual({ queues: [], teams: ['north'] });
  });

  it('never widens a scoped viewer: only what both name survives, on each axis', () => {
    const scope: Scope = { queues: new Set(['sales']), teams: new Set(['north']) };
    expect(list(narrowScope(scope, ['sales', 'billing'], ['north', 'south']))).toEqual({
      queues: ['sales'],
      teams: ['north'],
    });
    // A board of a queue the viewer may not see shows nothing at all, not everything.
    expect(list(narrowScope({ queues: new Set(['sales']), teams: null }, ['billing'], []))).toEqual({
      queues: [],
      teams: [],
    });
  });
});
