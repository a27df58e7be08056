/** Boards and playlists through the API: compose, validate, protect what is in use, export and import. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardExport, BoardList, BoardView, PlaylistView } from '../../server/contract/boards.ts';
import type { LiveSnapshot } from '../../server/contract/live.ts';
import { Simulator } from '../../server/simulator/simulator.ts';
import { postEvents, signedIn, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

const widget = (type: string, width: number, height: number, more: object = {}) => ({ type, width, height, ...more });

describe('boards and playlists', () => {
  let server: TestServer;
  const db = tempDbPath();
  const send = (method: string, path: string, body?: unknown, cookie = server.adminCookie) =>
    fetch(server.url + path, {
      method,
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;
  const floor = {
    name: 'Sales floor',
    rows: 4,
    queues: ['sales'],
    widgets: [widget('queue-tiles', 8, 4), widget('alerts', 4, 2), widget('clock', 4, 2)],
  };

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('lists the built-in boards, which can be duplicated but not changed or deleted', async () => {
    const list = await json<BoardList>(server.get('/api/boards'));
    expect(list.boards.map((b) => b.id)).toEqual(['overview', 'agents', 'human-ai', 'queues']);
    expect(list.boards.every((b) => b.builtIn)).toBe(true);
    const put = await send('PUT', '/api/boards/overview', floor);
    expect(put.status).toBe(409);
    expect((await json<{ error: { message: string } }>(put)).error.message).toContain('duplicate it');
    expect((await send('DELETE', '/api/boards/agents')).status).toBe(409);
    const copy = await send('POST', '/api/boards/overview/duplicate', {});
    expect(copy.status).toBe(201);
    const { board } = await json<{ board: BoardView }>(copy);
    expect(board).toMatchObject({ name: 'Overview (copy)', builtIn: false, rows: 11 });
    expect(board.id).toMatch(/^b_/);
    expect(board.widgets.map((w) => w.type)).toEqual([
      'summary',
      'agent-counts',
      'queue-table',
      'handler-split',
      'escalation-reasons',
    ]);
  });

  it('creates, reads back, updates and deletes a board, each change audited', async () => {
    const created = await json<{ board: BoardView }>(send('POST', '/api/boards', floor));
    const id = created.board.id;
    const read = await json<{ board: BoardView }>(server.get(`/api/boards/${id}`));
    expect(read.board).toMatchObject({ ...floor, teams: [], builtIn: false });
    expect(read.board.widgets[0]).toEqual({ type: 'queue-tiles', width: 8, height: 4, queues: [], teams: [] });
    const renamed = await send('PUT', `/api/boards/${id}`, { ...floor, name: 'Sales wall' });
    expect(renamed.status).toBe(200);
    expect((await json<{ board: BoardView }>(renamed)).board.name).toBe('Sales wall');
    expect((await send('DELETE', `/api/boards/${id}`)).status).toBe(204);
    expect((await server.get(`/api/boards/${id}`)).status).toBe(404);
    const actions = (await server.tandem.auth.audit.list({}))
      .filter((e) => e.target === `board:${id}`)
      .map((e) => e.action)
      .sort();
    expect(actions).toEqual(['board.create', 'board.delete', 'board.update']);
  });

  it('refuses a board that cannot fit or is malformed, naming the field and the reason', async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ ...floor, widgets: [widget('clock', 13, 1)] }, 'widgets.0.width', /at most 12/],
      [{ ...floor, widgets: [widget('clock', 12, 5)] }, 'widgets.0.height', /board has 4/],
      [{ ...floor, widgets: [widget('clock', 12, 4), widget('alerts', 1, 1)] }, 'widgets', /need 49 cells/],
      [{ ...floor, widgets: [widget('weather', 2, 2)] }, 'widgets.0.type', /./],
      [{ ...floor, widgets: [] }, 'widgets', /at least one widget/],
      [{ ...floor, colour: 'red' }, '(body)', /colour/],
      [{ ...floor, name: ' ' }, 'name', /must not be empty/],
    ];
    const before = (await json<BoardList>(server.get('/api/boards'))).boards.length;
    for (const [body, path, message] of cases) {
      const res = await send('POST', '/api/boards', body);
      expect(res.status, path).toBe(400);
      const { error } = await json<{ error: { details: { path: string; message: string }[] } }>(res);
      const detail = error.details.find((d) => d.path === path);
      expect(detail, `${path} in ${JSON.stringify(error.details)}`).toBeDefined();
      expect(detail!.message).toMatch(message);
    }
    expect((await json<BoardList>(server.get('/api/boards'))).boards).toHaveLength(before);
  });

  it('keeps boards in use by a playlist, and playlists and boards in use by a display', async () => {
    const { board } = await json<{ board: BoardView }>(send('POST', '/api/boards', floor));
    const missing = await send('POST', '/api/playlists', {
      name: 'Floor',
      slides: [{ board: 'b_missingmissing', seconds: 20 }],
    });
    expect(missing.status).toBe(400);
    expect((await json<{ error: { details: { path: string }[] } }>(missing)).error.details[0]!.path).toBe(
      'slides.0.board',
    );
    const tooFast = await send('POST', '/api/playlists', { name: 'Floor', slides: [{ board: board.id, seconds: 1 }] });
    expect(tooFast.status).toBe(400);

    const res = await send('POST', '/api/playlists', {
      name: 'Floor rotation',
      slides: [
        { board: 'overview', seconds: 30 },
        { board: board.id, seconds: 15 },
      ],
    });
    expect(res.status).toBe(201);
    const { playlist } = await json<{ playlist: PlaylistView }>(res);
    const used = await send('DELETE', `/api/boards/${board.id}`);
    expect(used.status).toBe(409);
    expect((await json<{ error: { message: string } }>(used)).error.message).toContain('playlist "Floor rotation"');

    const unknownScreen = await send('POST', '/api/admin/displays', { name: 'TV', board: 'playlist:p_nosuchplaylist' });
    expect(unknownScreen.status).toBe(400);
    expect((await json<{ error: { details: { path: string }[] } }>(unknownScreen)).error.details[0]!.path).toBe(
      'board',
    );
    const display = await send('POST', '/api/admin/displays', { name: 'TV 1', board: `playlist:${playlist.id}` });
    expect(display.status).toBe(201);
    const inUse = await send('DELETE', `/api/playlists/${playlist.id}`);
    expect(inUse.status).toBe(409);
    expect((await json<{ error: { message: string } }>(inUse)).error.message).toContain('display "TV 1"');
    const { display: shown } = await json<{ display: { id: string; board: string } }>(display);
    expect(shown.board).toBe(`playlist:${playlist.id}`);
    await send('POST', `/api/admin/displays/${shown.id}/revoke`, {});
    // A revoked display no longer holds anything.
    expect((await send('DELETE', `/api/playlists/${playlist.id}`)).status).toBe(204);
    expect((await send('DELETE', `/api/boards/${board.id}`)).status).toBe(204);
  });

  it('exports a playlist with its boards and imports it as new boards and a new playlist', async () => {
    const { board } = await json<{ board: BoardView }>(send('POST', '/api/boards', floor));
    const { playlist } = await json<{ playlist: PlaylistView }>(
      send('POST', '/api/playlists', {
        name: 'Morning',
        slides: [
          { board: board.id, seconds: 20 },
          { board: 'agents', seconds: 10 },
          { board: board.id, seconds: 40 },
        ],
      }),
    );
    const exported = await server.get(`/api/playlists/${playlist.id}/export`);
    expect(exported.headers.get('content-disposition')).toContain('Morning.tandem.json');
    const file = await json<BoardExport>(exported);
    expect(file.boards.map((b) => b.name)).toEqual(['Sales floor', 'Agents']);
    expect(file.playlist!.slides).toEqual([
      { board: 0, seconds: 20 },
      { board: 1, seconds: 10 },
      { board: 0, seconds: 40 },
    ]);

    const imported = await send('POST', '/api/boards/import', file);
    expect(imported.status).toBe(201);
    const result = await json<{ boards: BoardView[]; playlist: PlaylistView }>(imported);
    expect(result.boards.map((b) => b.id)).not.toContain(board.id);
    expect(result.boards[0]).toMatchObject({ ...floor, builtIn: false });
    // The built-in came back as an admin's board with the same widgets: it is an ordinary board elsewhere.
    expect(result.boards[1]!.widgets).toEqual([{ type: 'agent-board', width: 12, height: 1, queues: [], teams: [] }]);
    expect(result.playlist.slides.map((s) => s.board)).toEqual([
      result.boards[0]!.id,
      result.boards[1]!.id,
      result.boards[0]!.id,
    ]);
    expect(result.playlist.slides.map((s) => s.seconds)).toEqual([20, 10, 40]);
  });

  it('imports nothing when any part of the file is wrong', async () => {
    const before = await json<BoardList>(server.get('/api/boards'));
    const file = {
      format: 'tandem.boards',
      version: 1,
      boards: [floor],
      playlist: { name: 'Broken', slides: [{ board: 3, seconds: 20 }] },
    };
    const res = await send('POST', '/api/boards/import', file);
    expect(res.status).toBe(400);
    expect((await json<{ error: { details: { path: string }[] } }>(res)).error.details[0]!.path).toBe(
      'playlist.slides.0.board',
    );
    const wrongFormat = await send('POST', '/api/boards/import', { ...file, format: 'something.else' });
    expect(wrongFormat.status).toBe(400);
    const after = await json<BoardList>(server.get('/api/boards'));
    expect(after.boards).toHaveLength(before.boards.length);
    expect(after.playlists).toHaveLength(before.playlists.length);
  });

  it("narrows the live stream to a board's queues, never past the viewer's own scope", async () => {
    const now = Date.now();
    const events = new Simulator({ seed: 3, ratePerMinute: 20, start: now - 20 * 60_000 }).advance(now - 60_000);
    expect((await postEvents(server, events)).ok).toBe(true);
    const all = await json<LiveSnapshot>(server.get('/api/live'));
    const names = all.queues.map((q) => q.queue);
    expect(names.length).toBeGreaterThan(2);
    const [first, second] = names as [string, string];

    const one = await json<LiveSnapshot>(server.get(`/api/live?queues=${first}`));
    expect(one.queues.map((q) => q.queue)).toEqual([first]);
    expect(one.today.offered).toBe(all.queues.find((q) => q.queue === first)!.offered);

    const scoped = await signedIn(server.tandem, ['supervisor'], { scopeQueues: [first] });
    const asScoped = (path: string) => fetch(server.url + path, { headers: { cookie: scoped.cookie } });
    const narrowed = await json<LiveSnapshot>(asScoped(`/api/live?queues=${first},${second}`));
    expect(narrowed.queues.map((q) => q.queue)).toEqual([first]);
    const outside = await json<LiveSnapshot>(asScoped(`/api/live?queues=${second}`));
    expect(outside.queues).toEqual([]);
    expect(outside.today.offered).toBe(0);
  });
});
