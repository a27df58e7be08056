/**
 * One board's live view, shared by its widgets through context: the connection (narrowed to the
 * board's queues and teams), the server's clock as the client ticks it, and what every widget derives
 * from the snapshot the same way (targets, breaches, staleness). A playlist keeps one per scope, so
 * turning to the next slide never waits for a socket.
 */
import { getContext, setContext } from 'svelte';
import type { LiveConnection } from '$lib/live/live-connection.svelte.ts';
import type { Clock } from '$lib/live/clock.svelte.ts';
import { breaches } from './breaches.ts';
import { targetsOf } from './thresholds.ts';

const KEY = Symbol('wall');
/** Heartbeats arrive every few seconds even when nothing changes, so silence means a broken feed. */
export const STALE_AFTER_MS = 10_000;

export class WallState {
  readonly live: LiveConnection;
  readonly clock: Clock;

  constructor(live: LiveConnection, clock: Clock) {
    this.live = live;
    this.clock = clock;
  }

  // Closures, not expressions: the fields they read are set by the constructor, after initialisers run.
  readonly snap = $derived.by(() => this.live.snapshot);
  /** The server's clock now: waits and times in state tick on it between messages. */
  readonly serverNow = $derived.by(() => this.clock.now + this.live.clockOffset);
  readonly targets = $derived(targetsOf(this.snap?.targets));
  readonly breaches = $derived(this.snap ? breaches(this.snap, this.serverNow) : []);
  readonly silentMs = $derived.by(() =>
    this.live.lastMessageAt === null ? null : this.clock.now - this.live.lastMessageAt,
  );
  readonly stale = $derived.by(
    () => this.silentMs !== null && this.silentMs > STALE_AFTER_MS && this.live.status !== 'denied',
  );

  static set(wall: WallState): WallState {
    return setContext(KEY, wall);
  }

  static get(): WallState {
    const wall = getContext<WallState | undefined>(KEY);
    if (!wall) throw new Error('WallState.get() outside a board');
    return wall;
  }
}
