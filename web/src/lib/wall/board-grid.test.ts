import { describe, expect, it } from 'vitest';
import { gridOf, only, scopeKey, socketPath, spanOf } from './board-grid.ts';

describe('board grid', () => {
  it('lays a board out as 12 columns and its rows, widgets spanning their size', () => {
    expect(gridOf({ rows: 6 })).toEqual({
      columns: 'repeat(12, minmax(0, 1fr))',
      rows: 'repeat(6, minmax(0, 1fr))',
    });
    expect(spanOf({ width: 7, height: 4 })).toEqual({ column: 'span 7', row: 'span 4' });
  });

  it("asks the server for the board's queues and teams, keeping the socket's own parameters", () => {
    expect(socketPath('/ws/live', { queues: [], teams: [] })).toBe('/ws/live');
    expect(socketPath('/ws/live?as=display', { queues: ['sales', 'vip care'], teams: ['north'] })).toBe(
      '/ws/live?as=display&queues=sales%2Cvip+care&teams=north',
    );
  });

  it('shares a connection between boards about the same queues and teams', () => {
    expect(scopeKey({ queues: ['a'], teams: [] })).toBe(scopeKey({ queues: ['a'], teams: [] }));
    expect(scopeKey({ queues: ['a'], teams: [] })).not.toBe(scopeKey({ queues: [], teams: ['a'] }));
  });

  it("narrows a widget's list only when it names something", () => {
    const queues = [{ q: 'a' }, { q: 'b' }, { q: null }];
    expect(only(queues, [], (x) => x.q)).toHaveLength(3);
    expect(only(queues, ['b'], (x) => x.q)).toEqual([{ q: 'b' }]);
  });
});
