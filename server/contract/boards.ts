/**
 * Boards and playlists: what a wall screen shows. A board is a grid of widgets, each a fixed kind of
 * live view with a size and optional queues/teams; a playlist rotates boards with a duration per slide.
 * Server and web both import this module: the admin API validates with it, and the wall renders from it.
 */
import { z } from 'zod';

/** Every kind of widget a board can hold, in the order the admin page offers them. */
export const WIDGETS = [
  'summary',
  'agent-counts',
  'queue-tiles',
  'queue-table',
  'agent-board',
  'handler-split',
  'containment',
  'escalation-reasons',
  'escalated-vs-direct',
  'sl-trend',
  'alerts',
  'clock',
] as const;
export type WidgetType = (typeof WIDGETS)[number];

/** Boards lay widgets out on a 12-column grid with a fixed number of equal rows that fill the screen. */
export const GRID_COLUMNS = 12;
export const MAX_ROWS = 12;
export const MAX_WIDGETS = 24;
export const MAX_SLIDES = 50;
/** A slide shorter than this is unreadable; longer than an hour is not a playlist any more. */
export const SLIDE_SECONDS = { min: 5, max: 3600 } as const;

/** How much a screen fits: `large` for a far wall, `compact` for a near monitor. Part of the address. */
export const DENSITIES = ['compact', 'normal', 'large'] as const;
export type Density = (typeof DENSITIES)[number];

const name = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const nameList = z
  .array(z.string().trim().min(1, 'must not be empty').max(256, 'at most 256 characters'))
  .max(200, 'at most 200 entries')
  .transform((list) => [...new Set(list)].sort());
const span = (max: number) =>
  z.number().int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

export const widgetSpec = z.strictObject({
  type: z.enum(WIDGETS),
  /** Columns of the 12-column grid. */
  width: span(GRID_COLUMNS),
  /** Rows of the board's grid. */
  height: span(MAX_ROWS),
  /** Only these queues (queue tiles and table); empty means every queue the board shows. */
  queues: nameList.default([]),
  /** Only agents of these teams (agent board); empty means every agent the board shows. */
  teams: nameList.default([]),
});
export type WidgetSpec = z.infer<typeof widgetSpec>;

export const boardSpec = z
  .strictObject({
    name,
    rows: span(MAX_ROWS).default(6),
    /**
     * What the whole board is about: the live stream itself is narrowed to these queues and the agents
     * of these teams (within what the viewer may see), so every figure on it, totals included, agrees.
     */
    queues: nameList.default([]),
    teams: nameList.default([]),
    widgets: z
      .array(widgetSpec)
      .min(1, 'a board needs at least one widget')
      .max(MAX_WIDGETS, `at most ${MAX_WIDGETS} widgets`),
  })
  .superRefine((b, ctx) => {
    b.widgets.forEach((w, i) => {
      if (w.height > b.rows) {
        ctx.addIssue({
          code: 'custom',
          path: ['widgets', i, 'height'],
          message: `is ${w.height} rows but the board has ${b.rows}`,
        });
      }
    });
    const cells = b.widgets.reduce((n, w) => n + w.width * w.height, 0);
    if (cells > GRID_COLUMNS * b.rows) {
      ctx.addIssue({
        code: 'custom',
        path: ['widgets'],
        message: `need ${cells} cells but ${b.rows} rows of ${GRID_COLUMNS} columns hold ${GRID_COLUMNS * b.rows}: add rows or make widgets smaller`,
      });
    }
  });
export type BoardSpec = z.infer<typeof boardSpec>;
export type BoardInput = z.input<typeof boardSpec>;

export const slideSpec = z.strictObject({
  board: z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters'),
  seconds: z
    .number()
    .int('must be a whole number')
    .min(SLIDE_SECONDS.min, `must be at least ${SLIDE_SECONDS.min}`)
    .max(SLIDE_SECONDS.max, `must be at most ${SLIDE_SECONDS.max}`),
});
export const playlistSpec = z.strictObject({
  name,
  slides: z
    .array(slideSpec)
    .min(1, 'a playlist needs at least one slide')
    .max(MAX_SLIDES, `at most ${MAX_SLIDES} slides`),
});
export type PlaylistSpec = z.infer<typeof playlistSpec>;

type Stored = { id: string; builtIn: boolean; updatedAt: number | null; updatedBy: string | null };
export type BoardView = BoardSpec & Stored;
export type PlaylistView = PlaylistSpec & Stored;

/** GET /api/boards */
export type BoardList = { boards: BoardView[]; playlists: PlaylistView[] };

/**
 * The export file: self-contained, so it imports on another server. A playlist carries its boards
 * whole (board ids mean nothing elsewhere); importing makes new boards and a new playlist.
 */
export const EXPORT_FORMAT = 'tandem.boards';
export const boardExport = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  boards: z.array(boardSpec).max(MAX_SLIDES, `at most ${MAX_SLIDES} boards`),
  playlist: z
    .strictObject({
      name,
      slides: z.array(z.strictObject({ board: z.number().int().min(0), seconds: slideSpec.shape.seconds })),
    })
    .optional(),
});
export type BoardExport = z.infer<typeof boardExport>;

/** A built-in board, through the same schema as an admin's (defaults filled, sizes checked at load). */
const builtIn = (id: string, spec: BoardInput): BoardView => ({
  ...boardSpec.parse(spec),
  id,
  builtIn: true,
  updatedAt: null,
  updatedBy: null,
});

/** The boards every server has; they cannot be changed or deleted, only duplicated. */
export const BUILT_IN_BOARDS: readonly BoardView[] = [
  builtIn('overview', {
    name: 'Overview',
    rows: 11,
    widgets: [
      { type: 'summary', width: 12, height: 3 },
      { type: 'agent-counts', width: 12, height: 2 },
      { type: 'queue-table', width: 7, height: 4 },
      { type: 'handler-split', width: 5, height: 6 },
      { type: 'escalation-reasons', width: 7, height: 2 },
    ],
  }),
  builtIn('agents', { name: 'Agents', rows: 1, widgets: [{ type: 'agent-board', width: 12, height: 1 }] }),
  builtIn('human-ai', {
    name: 'Human and AI',
    rows: 6,
    widgets: [
      { type: 'containment', width: 5, height: 3 },
      { type: 'handler-split', width: 7, height: 4 },
      { type: 'escalated-vs-direct', width: 5, height: 3 },
      { type: 'escalation-reasons', width: 7, height: 2 },
    ],
  }),
  builtIn('queues', {
    name: 'Queues',
    rows: 6,
    widgets: [
      { type: 'queue-tiles', width: 9, height: 4 },
      { type: 'alerts', width: 3, height: 4 },
      { type: 'sl-trend', width: 9, height: 2 },
      { type: 'clock', width: 3, height: 2 },
    ],
  }),
];

/** A built-in board's id, or a stored one's (`b_` then base32). Playlists are `p_`. */
export const BOARD_ID = /^(b_[a-z2-7]{10,40}|[a-z][a-z-]{1,30})$/;
export const PLAYLIST_ID = /^p_[a-z2-7]{10,40}$/;

/**
 * What a screen shows, from its address: `?playlist=` wins over `?board=`; an unknown value falls back
 * to the overview rather than a blank screen. Theme, language and density travel beside it.
 */
export type ScreenRef = { kind: 'board'; id: string } | { kind: 'playlist'; id: string };

export function screenOf(params: URLSearchParams, fallback: ScreenRef = { kind: 'board', id: 'overview' }): ScreenRef {
  const playlist = params.get('playlist');
  if (playlist && PLAYLIST_ID.test(playlist)) return { kind: 'playlist', id: playlist };
  const board = params.get('board');
  if (board && BOARD_ID.test(board)) return { kind: 'board', id: board };
  return fallback;
}

export function densityOf(params: URLSearchParams): Density {
  const d = params.get('density');
  return (DENSITIES as readonly string[]).includes(d ?? '') ? (d as Density) : 'normal';
}

/** A display stores its screen in one column: a board id, or `playlist:<id>`. */
export function screenToColumn(ref: ScreenRef): string {
  return ref.kind === 'playlist' ? `playlist:${ref.id}` : ref.id;
}
export function screenFromColumn(column: string): ScreenRef {
  return column.startsWith('playlist:') ? { kind: 'playlist', id: column.slice(9) } : { kind: 'board', id: column };
}
