/**
 * Boards and playlists as admins keep them: stored as validated JSON, built-ins from code, every change
 * audited. What is in use cannot be pulled from under a screen: a board a playlist or a live display
 * link shows, or a playlist a display shows, is refused deletion with the names of who uses it.
 */
import {
  BUILT_IN_BOARDS,
  EXPORT_FORMAT,
  boardSpec,
  playlistSpec,
  screenFromColumn,
  type BoardExport,
  type BoardList,
  type BoardSpec,
  type BoardView,
  type PlaylistSpec,
  type PlaylistView,
} from '../contract/boards.ts';
import type { Origin } from '../auth/admin.ts';
import type { AuditLog } from '../auth/audit.ts';
import { generateToken } from '../auth/tokens.ts';
import type { Database } from '../db/duckdb.ts';
import { BadRequest, Conflict, NotFound } from '../http/errors.ts';

type Row = { id: string; name: string; spec: string; updated_ms: number; updated_by: string };
type Kind = 'boards' | 'playlists';

const newBoardId = () => `b_${generateToken(10)}`;
const newPlaylistId = () => `p_${generateToken(10)}`;
const builtIn = new Map(BUILT_IN_BOARDS.map((b) => [b.id, b]));

function stored<T>(r: Row, spec: T) {
  return { ...spec, id: r.id, builtIn: false, updatedAt: r.updated_ms, updatedBy: r.updated_by };
}

export class Boards {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  async list(): Promise<BoardList> {
    const boards = await this.#rows('boards');
    const playlists = await this.#rows('playlists');
    return {
      boards: [...BUILT_IN_BOARDS, ...boards.map((r) => stored(r, boardSpec.parse(JSON.parse(r.spec))))],
      playlists: playlists.map((r) => stored(r, playlistSpec.parse(JSON.parse(r.spec)))),
    };
  }

  async board(id: string): Promise<BoardView> {
    const b = builtIn.get(id);
    if (b) return b;
    const [row] = await this.db.query<Row>('SELECT * FROM boards WHERE id = ?', [id]);
    if (!row) throw new NotFound(`no board with id ${id}`);
    return stored(row, boardSpec.parse(JSON.parse(row.spec)));
  }

  async playlist(id: string): Promise<PlaylistView> {
    const [row] = await this.db.query<Row>('SELECT * FROM playlists WHERE id = ?', [id]);
    if (!row) throw new NotFound(`no playlist with id ${id}`);
    return stored(row, playlistSpec.parse(JSON.parse(row.spec)));
  }

  /** Refuses a display's screen (`board` column) that does not exist, naming the field. */
  async checkScreen(column: string, field = 'board'): Promise<void> {
    const ref = screenFromColumn(column);
    const found = ref.kind === 'board' ? await this.#exists('boards', ref.id) : await this.#exists('playlists', ref.id);
    if (!found) {
      throw new BadRequest(`${field}: no ${ref.kind} with id ${ref.id}`, [
        { path: field, message: `no ${ref.kind} with id ${ref.id}` },
      ]);
    }
  }

  async createBoard(o: Origin, spec: BoardSpec): Promise<BoardView> {
    const id = newBoardId();
    await this.#insert('boards', id, spec, o);
    await this.#audit(o, 'board.create', id, { name: spec.name });
    return this.board(id);
  }

  async updateBoard(o: Origin, id: string, spec: BoardSpec): Promise<BoardView> {
    if (builtIn.has(id)) throw new Conflict(`${id} is a built-in board and cannot be changed: duplicate it`);
    await this.board(id);
    await this.#update('boards', id, spec, o);
    await this.#audit(o, 'board.update', id, { name: spec.name });
    return this.board(id);
  }

  async deleteBoard(o: Origin, id: string): Promise<void> {
    if (builtIn.has(id)) throw new Conflict(`${id} is a built-in board and cannot be deleted`);
    const board = await this.board(id);
    const users = [
      ...(await this.list()).playlists
        .filter((p) => p.slides.some((s) => s.board === id))
        .map((p) => `playlist "${p.name}"`),
      ...(await this.#displaysShowing(id)).map((d) => `display "${d}"`),
    ];
    if (users.length > 0) throw new Conflict(`board "${board.name}" is in use by ${users.join(', ')}`);
    await this.db.write((tx) => tx.query('DELETE FROM boards WHERE id = ?', [id]));
    await this.#audit(o, 'board.delete', id, { name: board.name });
  }

  async duplicateBoard(o: Origin, id: string): Promise<BoardView> {
    const { id: _id, builtIn: _b, updatedAt: _u, updatedBy: _by, ...spec } = await this.board(id);
    return this.createBoard(o, { ...spec, name: copyName(spec.name) });
  }

  async createPlaylist(o: Origin, spec: PlaylistSpec): Promise<PlaylistView> {
    await this.#checkSlides(spec);
    const id = newPlaylistId();
    await this.#insert('playlists', id, spec, o);
    await this.#audit(o, 'playlist.create', id, { name: spec.name, slides: spec.slides.length });
    return this.playlist(id);
  }

  async updatePlaylist(o: Origin, id: string, spec: PlaylistSpec): Promise<PlaylistView> {
    await this.playlist(id);
    await this.#checkSlides(spec);
    await this.#update('playlists', id, spec, o);
    await this.#audit(o, 'playlist.update', id, { name: spec.name, slides: spec.slides.length });
    return this.playlist(id);
  }

  async deletePlaylist(o: Origin, id: string): Promise<void> {
    const playlist = await this.playlist(id);
    const displays = await this.#displaysShowing(`playlist:${id}`);
    if (displays.length > 0) {
      throw new Conflict(
        `playlist "${playlist.name}" is in use by ${displays.map((d) => `display "${d}"`).join(', ')}`,
      );
    }
    await this.db.write((tx) => tx.query('DELETE FROM playlists WHERE id = ?', [id]));
    await this.#audit(o, 'playlist.delete', id, { name: playlist.name });
  }

  async duplicatePlaylist(o: Origin, id: string): Promise<PlaylistView> {
    const { name, slides } = await this.playlist(id);
    return this.createPlaylist(o, { name: copyName(name), slides });
  }

  /** A board, or a playlist with every board it shows, as a file another server can import. */
  async exportOf(kind: 'board' | 'playlist', id: string): Promise<BoardExport> {
    if (kind === 'board') return { format: EXPORT_FORMAT, version: 1, boards: [specOf(await this.board(id))] };
    const p = await this.playlist(id);
    const ids = [...new Set(p.slides.map((s) => s.board))];
    const boards = await Promise.all(ids.map(async (b) => specOf(await this.board(b))));
    return {
      format: EXPORT_FORMAT,
      version: 1,
      boards,
      playlist: { name: p.name, slides: p.slides.map((s) => ({ board: ids.indexOf(s.board), seconds: s.seconds })) },
    };
  }

  /** Makes new boards (and the playlist) from an export; nothing is written if any part is invalid. */
  async import(o: Origin, file: BoardExport): Promise<{ boards: BoardView[]; playlist: PlaylistView | null }> {
    file.playlist?.slides.forEach((s, i) => {
      if (s.board >= file.boards.length) {
        throw new BadRequest(`playlist.slides.${i}.board: no board number ${s.board} in this file`, [
          { path: `playlist.slides.${i}.board`, message: `no board number ${s.board} in this file` },
        ]);
      }
    });
    const ids = file.boards.map(() => newBoardId());
    const playlistId = file.playlist ? newPlaylistId() : null;
    const now = this.clock();
    const by = o.actor.name ?? o.actor.kind;
    await this.db.write(async (tx) => {
      for (const [i, spec] of file.boards.entries()) {
        await tx.query('INSERT INTO boards VALUES (?, ?, ?, ?, ?)', [
          ids[i]!,
          spec.name,
          JSON.stringify(spec),
          now,
          by,
        ]);
      }
      if (file.playlist && playlistId) {
        const spec: PlaylistSpec = {
          name: file.playlist.name,
          slides: file.playlist.slides.map((s) => ({ board: ids[s.board]!, seconds: s.seconds })),
        };
        await tx.query('INSERT INTO playlists VALUES (?, ?, ?, ?, ?)', [
          playlistId,
          spec.name,
          JSON.stringify(spec),
          now,
          by,
        ]);
      }
    });
    await this.#audit(o, 'board.import', playlistId ?? ids[0] ?? null, {
      boards: file.boards.map((b) => b.name),
      playlist: file.playlist?.name ?? null,
    });
    return {
      boards: await Promise.all(ids.map((id) => this.board(id))),
      playlist: playlistId ? await this.playlist(playlistId) : null,
    };
  }

  async #checkSlides(spec: PlaylistSpec): Promise<void> {
    for (const [i, s] of spec.slides.entries()) {
      if (!(await this.#exists('boards', s.board))) {
        throw new BadRequest(`slides.${i}.board: no board with id ${s.board}`, [
          { path: `slides.${i}.board`, message: `no board with id ${s.board}` },
        ]);
      }
    }
  }

  async #exists(kind: Kind, id: string): Promise<boolean> {
    if (kind === 'boards' && builtIn.has(id)) return true;
    const rows = await this.db.query(`SELECT 1 FROM ${kind} WHERE id = ?`, [id]);
    return rows.length > 0;
  }

  async #rows(kind: Kind): Promise<Row[]> {
    return this.db.query<Row>(`SELECT * FROM ${kind} ORDER BY lower(name), id`);
  }

  async #insert(kind: Kind, id: string, spec: BoardSpec | PlaylistSpec, o: Origin): Promise<void> {
    await this.db.write((tx) =>
      tx.query(`INSERT INTO ${kind} VALUES (?, ?, ?, ?, ?)`, [
        id,
        spec.name,
        JSON.stringify(spec),
        this.clock(),
        o.actor.name ?? o.actor.kind,
      ]),
    );
  }

  async #update(kind: Kind, id: string, spec: BoardSpec | PlaylistSpec, o: Origin): Promise<void> {
    await this.db.write((tx) =>
      tx.query(`UPDATE ${kind} SET name = ?, spec = ?, updated_ms = ?, updated_by = ? WHERE id = ?`, [
        spec.name,
        JSON.stringify(spec),
        this.clock(),
        o.actor.name ?? o.actor.kind,
        id,
      ]),
    );
  }

  async #displaysShowing(column: string): Promise<string[]> {
    const rows = await this.db.query<{ name: string }>(
      'SELECT name FROM displays WHERE board = ? AND revoked_ms IS NULL ORDER BY name',
      [column],
    );
    return rows.map((r) => r.name);
  }

  /** Targets read like the rest of the log: `board:<id>`, `playlist:<id>`. */
  #audit(o: Origin, action: string, id: string | null, detail: unknown): Promise<void> {
    const target = id === null ? null : `${id.startsWith('p_') ? 'playlist' : 'board'}:${id}`;
    return this.audit.append({ actor: o.actor, action, target, detail, ip: o.ip ?? null });
  }
}

function specOf(b: BoardView): BoardSpec {
  const { id: _id, builtIn: _b, updatedAt: _u, updatedBy: _by, ...spec } = b;
  return spec;
}

function copyName(name: string): string {
  return `${name} (copy)`.slice(0, 100);
}
