import { describe, expect, it } from 'vitest';
import { BUILT_IN_BOARDS, boardSpec } from '$contract/boards.ts';
import { BoardDraft, PlaylistDraft } from './board-draft.svelte.ts';

describe('BoardDraft', () => {
  it('turns a built-in board into a new board that validates as it was', () => {
    const overview = BUILT_IN_BOARDS[0]!;
    const { id: _id, builtIn: _b, updatedAt: _u, updatedBy: _by, ...spec } = overview;
    const d = BoardDraft.of(overview, 'My overview');
    expect(d.id).toBeNull();
    expect(boardSpec.parse(d.spec())).toEqual({ ...spec, name: 'My overview' });
    expect(d.cells).toBe(d.capacity);
  });

  it('adds, moves and removes widgets in order, and counts the cells they take', () => {
    const d = BoardDraft.of(null);
    d.name = 'Wall';
    d.queues = 'sales, billing, sales';
    d.add('clock');
    d.add('queue-tiles');
    d.move(1, -1);
    expect(d.widgets.map((w) => w.type)).toEqual(['queue-tiles', 'clock']);
    expect(d.cells).toBe(6 * 3 + 3 * 2);
    d.widgets[0]!.queues = 'sales';
    expect(d.spec()).toMatchObject({
      queues: ['sales', 'billing'],
      widgets: [{ queues: ['sales'] }, { type: 'clock' }],
    });
    d.remove(0);
    expect(d.widgets.map((w) => w.type)).toEqual(['clock']);
  });
});

describe('PlaylistDraft', () => {
  it('starts with one slide and totals the seconds', () => {
    const p = PlaylistDraft.of(null, 'agents');
    p.add('overview', 45);
    expect(p.seconds).toBe(75);
    p.move(0, 1);
    expect(p.spec().slides).toEqual([
      { board: 'overview', seconds: 45 },
      { board: 'agents', seconds: 30 },
    ]);
  });
});
