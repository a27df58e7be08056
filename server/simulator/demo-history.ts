/**
 * The demo's past: quieter simulated traffic over the last weeks, written once into an empty
 * database so that history, the QA search and the executive summary have something to show on a
 * first `npm start`. It goes through the one ingest path like any producer, in the background, a few
 * hours of traffic per batch, after the live demo has started.
 *
 * Only whole contacts are written (a contact still open when the history ends is left out) and no
 * agent states: the live demo's agents are the same people, and their states now are the live
 * simulator's, which an older timeline must not interleave with.
 */
import type { Config } from '../config.ts';
import type { TandemEvent } from '../contract/events.ts';
import type { Tandem } from '../tandem.ts';
import { Simulator } from './simulator.ts';

const DAY_MS = 86_400_000;
const STEP_MS = 6 * 3_600_000;
/** A fifth of the live rate: weeks of it stay a few hundred thousand events. */
const RATE_SHARE = 0.2;

/** Whether the database is new enough to be given a past: nothing in it older than a few hours. */
export async function wantsHistory(t: Tandem, now: number): Promise<boolean> {
  const [old] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE at_ms < ?', [
    now - 6 * 3_600_000,
  ]);
  return (old?.n ?? 0) === 0;
}

/**
 * Writes `config.demoHistoryDays` days of traffic ending at `until`. Resolves with the number of
 * events written; stops early (quietly) when `stopped()` says so.
 */
export async function writeHistory(
  t: Tandem,
  config: Pick<Config, 'demoHistoryDays' | 'demoRate' | 'demoSeed'>,
  run: string,
  until: number,
  hourOf: (ms: number) => number,
  stopped: () => boolean,
): Promise<number> {
  const sim = new Simulator({
    seed: (config.demoSeed ?? until % 2 ** 31) + 1,
    ratePerMinute: Math.max(0.5, config.demoRate * RATE_SHARE),
    start: until - config.demoHistoryDays * DAY_MS,
    idPrefix: `${run}-h`,
    hourOf,
  });
  // Events of contacts not yet ended wait here until they are; what is left at the end is dropped.
  // What follows an end (wrap-up, survey, sale) goes straight through.
  const open = new Map<string, TandemEvent[]>();
  const ended = new Set<string>();
  let written = 0;
  for (let at = until - config.demoHistoryDays * DAY_MS; at < until && !stopped();) {
    at = Math.min(until, at + STEP_MS);
    const ready: TandemEvent[] = [];
    for (const e of sim.advance(at)) {
      if (e.type === 'agent.state') continue;
      if (ended.has(e.contactId)) {
        ready.push(e);
        continue;
      }
      const held = open.get(e.contactId) ?? [];
      held.push(e);
      if (e.type === 'contact.ended') {
        open.delete(e.contactId);
        ended.add(e.contactId);
        ready.push(...held);
      } else open.set(e.contactId, held);
    }
    // In time order, as a platform would send them.
    ready.sort((a, b) => Number(a.at) - Number(b.at));
    for (let i = 0; i < ready.length; i += 5000) await t.ingest.ingest(ready.slice(i, i + 5000));
    written += ready.length;
    // Let the server answer between batches.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return written;
}
