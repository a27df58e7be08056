/**
 * In demo mode the server prints a ready wall-display link, so a newcomer sees the wallboard at
 * once. The "Demo wall" display gets a fresh link on every start: only the newest printed one works.
 */
import type { Tandem } from '../tandem.ts';

export const DEMO_DISPLAY_NAME = 'Demo wall';
const DEMO_CREATOR = 'demo';

export async function demoDisplayToken(t: Tandem): Promise<string> {
  const existing = (await t.auth.displays.list()).find(
    (d) => d.name === DEMO_DISPLAY_NAME && d.createdBy === DEMO_CREATOR,
  );
  if (existing) return t.auth.displays.rotate(existing.id);
  const { token } = await t.admin.createDisplay(
    { actor: { kind: 'system', id: null, name: DEMO_CREATOR } },
    { name: DEMO_DISPLAY_NAME, board: 'overview', scopeQueues: [] },
  );
  return token;
}

export const DEMO_TOUR_NAME = 'Demo tour';

/** A playlist of every built-in board, made once, so a newcomer sees a wall turning through them. */
export async function demoTourId(t: Tandem): Promise<string> {
  const existing = (await t.boards.list()).playlists.find((p) => p.name === DEMO_TOUR_NAME);
  if (existing) return existing.id;
  const tour = await t.boards.createPlaylist(
    { actor: { kind: 'system', id: null, name: DEMO_CREATOR } },
    {
      name: DEMO_TOUR_NAME,
      slides: [
        { board: 'overview', seconds: 30 },
        { board: 'human-ai', seconds: 20 },
        { board: 'queues', seconds: 20 },
        { board: 'agents', seconds: 15 },
      ],
    },
  );
  return tour.id;
}
