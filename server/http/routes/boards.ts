/**
 * Boards and playlists: any wall (a signed-in supervisor or a display link) reads them; admins compose,
 * duplicate, delete, export and import them.
 */
import { Hono, type Context } from 'hono';
import type { Origin } from '../../auth/admin.ts';
import { actorOf } from '../../auth/principal.ts';
import { boardExport, boardSpec, playlistSpec, type BoardExport } from '../../contract/boards.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody } from '../validate.ts';

export function boardRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const boards = t.boards;
  const origin = (c: Context<AppEnv>): Origin => ({ actor: actorOf(c.get('principal')), ip: c.get('clientIp') });
  // A file name an admin recognises in their downloads; the JSON inside is what matters.
  const download = (c: Context<AppEnv>, name: string, body: BoardExport) => {
    const slug = name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'board';
    c.header('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(slug)}.tandem.json`);
    return c.json(body);
  };

  app.get('/api/boards', allow('live:read'), async (c) => c.json(await boards.list()));
  app.get('/api/boards/:id', allow('live:read'), async (c) => c.json({ board: await boards.board(c.req.param('id')) }));
  app.post('/api/boards', allow('admin'), async (c) => {
    const spec = await jsonBody(c, boardSpec);
    return c.json({ board: await boards.createBoard(origin(c), spec) }, 201);
  });
  app.put('/api/boards/:id', allow('admin'), async (c) => {
    const spec = await jsonBody(c, boardSpec);
    return c.json({ board: await boards.updateBoard(origin(c), c.req.param('id'), spec) });
  });
  app.delete('/api/boards/:id', allow('admin'), async (c) => {
    await boards.deleteBoard(origin(c), c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/api/boards/:id/duplicate', allow('admin'), async (c) =>
    c.json({ board: await boards.duplicateBoard(origin(c), c.req.param('id')) }, 201),
  );
  app.get('/api/boards/:id/export', allow('admin'), async (c) => {
    const id = c.req.param('id');
    return download(c, (await boards.board(id)).name, await boards.exportOf('board', id));
  });
  app.post('/api/boards/import', allow('admin'), async (c) => {
    const file = await jsonBody(c, boardExport);
    return c.json(await boards.import(origin(c), file), 201);
  });

  app.get('/api/playlists/:id', allow('live:read'), async (c) =>
    c.json({ playlist: await boards.playlist(c.req.param('id')) }),
  );
  app.post('/api/playlists', allow('admin'), async (c) => {
    const spec = await jsonBody(c, playlistSpec);
    return c.json({ playlist: await boards.createPlaylist(origin(c), spec) }, 201);
  });
  app.put('/api/playlists/:id', allow('admin'), async (c) => {
    const spec = await jsonBody(c, playlistSpec);
    return c.json({ playlist: await boards.updatePlaylist(origin(c), c.req.param('id'), spec) });
  });
  app.delete('/api/playlists/:id', allow('admin'), async (c) => {
    await boards.deletePlaylist(origin(c), c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/api/playlists/:id/duplicate', allow('admin'), async (c) =>
    c.json({ playlist: await boards.duplicatePlaylist(origin(c), c.req.param('id')) }, 201),
  );
  app.get('/api/playlists/:id/export', allow('admin'), async (c) => {
    const id = c.req.param('id');
    return download(c, (await boards.playlist(id)).name, await boards.exportOf('playlist', id));
  });
  return app;
}
