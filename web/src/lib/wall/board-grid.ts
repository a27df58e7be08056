/**
 * A board's layout as CSS grid values: 12 equal columns, the board's rows sharing the height of the
 * screen, widgets flowing in order and filling gaps (`dense`), so an admin gives sizes, not positions.
 */
import { GRID_COLUMNS, type BoardSpec, type WidgetSpec } from '$contract/boards.ts';

// Values for `style:` directives (the CSP allows no style attributes, only CSSOM properties).
export function gridOf(board: Pick<BoardSpec, 'rows'>): { columns: string; rows: string } {
  return {
    columns: `repeat(${GRID_COLUMNS}, minmax(0, 1fr))`,
    rows: `repeat(${board.rows}, minmax(0, 1fr))`,
  };
}

export function spanOf(w: Pick<WidgetSpec, 'width' | 'height'>): { column: string; row: string } {
  return { column: `span ${Math.min(w.width, GRID_COLUMNS)}`, row: `span ${w.height}` };
}

/** The live socket's address for a board: its queues and teams narrow the stream on the server. */
export function socketPath(base: string, board: Pick<BoardSpec, 'queues' | 'teams'>): string {
  const url = new URL(base, 'http://x');
  if (board.queues.length) url.searchParams.set('queues', board.queues.join(','));
  if (board.teams.length) url.searchParams.set('teams', board.teams.join(','));
  return url.pathname + url.search;
}

/** Boards with the same queues and teams share one connection. */
export function scopeKey(board: Pick<BoardSpec, 'queues' | 'teams'>): string {
  return JSON.stringify([board.queues, board.teams]);
}

/** Narrows a list by a widget's own choice; an empty choice keeps everything. */
export function only<T>(items: readonly T[], chosen: readonly string[], key: (t: T) => string | null): T[] {
  if (chosen.length === 0) return [...items];
  const set = new Set(chosen);
  return items.filter((t) => {
    const k = key(t);
    return k !== null && set.has(k);
  });
}
