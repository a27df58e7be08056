/**
 * The board and playlist editors' working copies: what the admin is typing, turned into the contract's
 * input only on save, so the server's validation (and its field paths) is the one that decides.
 */
import {
  GRID_COLUMNS,
  type BoardInput,
  type BoardView,
  type PlaylistSpec,
  type PlaylistView,
  type WidgetType,
} from '$contract/boards.ts';
import { formatList, parseList } from './comma-list.ts';

/** Moves an item one place in place; at either end it stays. */
function moveItem<T>(list: T[], index: number, by: -1 | 1): void {
  const to = index + by;
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item!);
}

type DraftWidget = { key: number; type: WidgetType; width: number; height: number; queues: string; teams: string };
let nextKey = 0;

/** A new widget's size: about a quarter of the screen, or a full-width row for the rows of tiles. */
const SIZE: Partial<Record<WidgetType, [number, number]>> = {
  summary: [12, 2],
  'agent-counts': [12, 2],
  'agent-board': [12, 4],
  clock: [3, 2],
};

export class BoardDraft {
  id = $state<string | null>(null);
  name = $state('');
  rows = $state(6);
  queues = $state('');
  teams = $state('');
  widgets = $state<DraftWidget[]>([]);
  readonly cells = $derived(this.widgets.reduce((n, w) => n + w.width * w.height, 0));
  readonly capacity = $derived(GRID_COLUMNS * this.rows);

  static of(board: BoardView | null, copyName?: string): BoardDraft {
    const d = new BoardDraft();
    if (!board) return d;
    d.id = board.builtIn ? null : board.id;
    d.name = copyName ?? board.name;
    d.rows = board.rows;
    d.queues = formatList(board.queues);
    d.teams = formatList(board.teams);
    d.widgets = board.widgets.map((w) => ({
      ...w,
      key: nextKey++,
      queues: formatList(w.queues),
      teams: formatList(w.teams),
    }));
    return d;
  }

  add(type: WidgetType): void {
    const [width, height] = SIZE[type] ?? [6, 3];
    this.widgets.push({ key: nextKey++, type, width, height: Math.min(height, this.rows), queues: '', teams: '' });
  }

  remove(index: number): void {
    this.widgets.splice(index, 1);
  }

  /** Moves a widget earlier (-1) or later (+1): order is layout, widgets flow into the grid in turn. */
  move(index: number, by: -1 | 1): void {
    moveItem(this.widgets, index, by);
  }

  spec(): BoardInput {
    return {
      name: this.name,
      rows: Number(this.rows),
      queues: parseList(this.queues),
      teams: parseList(this.teams),
      widgets: this.widgets.map((w) => ({
        type: w.type,
        width: Number(w.width),
        height: Number(w.height),
        queues: parseList(w.queues),
        teams: parseList(w.teams),
      })),
    };
  }
}

type DraftSlide = { key: number; board: string; seconds: number };

export class PlaylistDraft {
  id = $state<string | null>(null);
  name = $state('');
  slides = $state<DraftSlide[]>([]);
  readonly seconds = $derived(this.slides.reduce((n, s) => n + Number(s.seconds || 0), 0));

  static of(playlist: PlaylistView | null, firstBoard = 'overview'): PlaylistDraft {
    const d = new PlaylistDraft();
    if (!playlist) {
      d.add(firstBoard);
      return d;
    }
    d.id = playlist.id;
    d.name = playlist.name;
    d.slides = playlist.slides.map((s) => ({ ...s, key: nextKey++ }));
    return d;
  }

  add(board: string, seconds = 30): void {
    this.slides.push({ key: nextKey++, board, seconds });
  }

  remove(index: number): void {
    this.slides.splice(index, 1);
  }

  move(index: number, by: -1 | 1): void {
    moveItem(this.slides, index, by);
  }

  spec(): PlaylistSpec {
    return { name: this.name, slides: this.slides.map((s) => ({ board: s.board, seconds: Number(s.seconds) })) };
  }
}
