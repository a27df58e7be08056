/**
 * What a screen shows, loaded from its address: one board, or a playlist's boards in turn. The boards'
 * live views are kept per scope (queues and teams), each connected while the screen needs it, so a
 * playlist turning to the next slide shows live figures at once instead of "connecting".
 */
import { SvelteMap } from 'svelte/reactivity';
import type { BoardView, PlaylistView, ScreenRef } from '$contract/boards.ts';
import { api } from '$lib/api/api.ts';
import type { Clock } from '$lib/live/clock.svelte.ts';
import { LiveConnection, type LiveConnectionOptions } from '$lib/live/live-connection.svelte.ts';
import { scopeKey, socketPath } from './board-grid.ts';
import { WallState } from './wall-state.svelte.ts';

export type Slide = { board: BoardView; seconds: number };
export type LoadedScreen = { playlist: PlaylistView | null; slides: Slide[] };

export async function loadScreen(ref: ScreenRef): Promise<LoadedScreen> {
  if (ref.kind === 'board') {
    const { board } = await api<{ board: BoardView }>(`/api/boards/${encodeURIComponent(ref.id)}`);
    return { playlist: null, slides: [{ board, seconds: Infinity }] };
  }
  const { playlist } = await api<{ playlist: PlaylistView }>(`/api/playlists/${encodeURIComponent(ref.id)}`);
  // Plain collections: built and read once while loading, nothing renders from them.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const ids = [...new Set(playlist.slides.map((s) => s.board))];
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const boards = new Map(
    await Promise.all(
      ids.map(
        async (id) => [id, (await api<{ board: BoardView }>(`/api/boards/${encodeURIComponent(id)}`)).board] as const,
      ),
    ),
  );
  return { playlist, slides: playlist.slides.map((s) => ({ board: boards.get(s.board)!, seconds: s.seconds })) };
}

export class ScreenWalls {
  readonly #walls = new SvelteMap<string, { wall: WallState; disconnect: () => void }>();
  readonly #base: string;
  readonly #options: LiveConnectionOptions;
  readonly #clock: Clock;

  constructor(base: string, options: LiveConnectionOptions, clock: Clock) {
    this.#base = base;
    this.#options = options;
    this.#clock = clock;
  }

  /** Connects what these boards need and closes the rest. */
  keep(boards: readonly BoardView[]): void {
    // A lookup for this call only.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const needed = new Map(boards.map((b) => [scopeKey(b), b]));
    for (const [key, entry] of this.#walls) {
      if (!needed.has(key)) {
        entry.disconnect();
        this.#walls.delete(key);
      }
    }
    for (const [key, board] of needed) {
      if (this.#walls.has(key)) continue;
      const live = LiveConnection.fromLocation(socketPath(this.#base, board), this.#options);
      this.#walls.set(key, { wall: new WallState(live, this.#clock), disconnect: live.connect() });
    }
  }

  wallOf(board: BoardView): WallState | undefined {
    return this.#walls.get(scopeKey(board))?.wall;
  }

  close(): void {
    for (const entry of this.#walls.values()) entry.disconnect();
    this.#walls.clear();
  }
}

/** Turns through slides, each for its own time; restarts from the first when the slides change. */
export class Rotation {
  index = $state(0);
  /** Client time the current slide came up. */
  startedAt = $state(Date.now());
  #timer: ReturnType<typeof setTimeout> | null = null;

  start(seconds: readonly number[]): () => void {
    this.stop();
    this.index = 0;
    const show = (i: number) => {
      this.index = i;
      this.startedAt = Date.now();
      const s = seconds[i] ?? Infinity;
      if (seconds.length > 1 && Number.isFinite(s)) {
        this.#timer = setTimeout(() => show((i + 1) % seconds.length), s * 1000);
      }
    };
    show(0);
    return () => this.stop();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
