/**
 * Built-in demo traffic: the simulator, run against the wall clock, feeding the same ingest path
 * as any producer. On start it backfills the last 90 minutes (when the database has no recent
 * events) so a newcomer sees a full wallboard at once, writes a few weeks of quieter past traffic
 * into an empty database in the background (demo-history.ts), and closes contacts an earlier demo
 * run left waiting.
 */
import type { Config } from '../config.ts';
import type { TandemEvent } from '../contract/events.ts';
import type { Tandem } from '../tandem.ts';
import { MINUTE, zoneOffsetMs } from '../time.ts';
import { wantsHistory, writeHistory } from './demo-history.ts';
import { Simulator } from './simulator.ts';

const BACKFILL_MS = 90 * MINUTE;
const STEP_MS = 250;

export function localHour(ms: number, timeZone: string): number {
  return ((((ms + zoneOffsetMs(ms, timeZone)) / 3_600_000) % 24) + 24) % 24;
}

export async function startDemo(t: Tandem, config: Config): Promise<{ stop(): void }> {
  const now = Date.now();
  const run = `demo-${now.toString(36)}`;
  const [recent] = await t.db.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE at_ms >= ?', [
    now - 60 * MINUTE,
  ]);
  const backfill = (recent?.n ?? 0) === 0;
  const sim = new Simulator({
    seed: config.demoSeed ?? now % 2 ** 31,
    ratePerMinute: config.demoRate,
    start: backfill ? now - BACKFILL_MS : now,
    idPrefix: run,
    hourOf: (ms) => localHour(ms, config.timeZone),
  });

  await closeLeftovers(t, run);
  const send = async (events: TandemEvent[]) => {
    for (let i = 0; i < events.length; i += 5000) await t.ingest.ingest(events.slice(i, i + 5000));
  };
  if (backfill) await send(sim.advance(now));
  t.log.info({ run, backfilled: backfill }, 'demo traffic running (TANDEM_DEMO=0 turns it off)');

  let stopped = false;
  if (config.demoHistoryDays > 0 && (await wantsHistory(t, now))) {
    const t0 = performance.now();
    void writeHistory(
      t,
      config,
      run,
      now - BACKFILL_MS,
      (ms) => localHour(ms, config.timeZone),
      () => stopped,
    )
      .then((events) =>
        t.log.info(
          { events, days: config.demoHistoryDays, seconds: Math.round((performance.now() - t0) / 1000) },
          'demo history written (TANDEM_DEMO_HISTORY_DAYS=0 turns it off)',
        ),
      )
      .catch((err: unknown) => {
        if (!stopped) t.log.warn({ err }, 'demo history not written');
      });
  }

  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    send(sim.advance(Date.now()))
      .catch((err: unknown) => t.log.warn({ err }, 'demo events not stored'))
      .finally(() => {
        busy = false;
      });
  }, STEP_MS);
  return {
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** Ends contacts of earlier demo runs that are still waiting, so they do not wait forever. */
async function closeLeftovers(t: Tandem, run: string): Promise<void> {
  const at = Date.now();
  const events: Record<string, unknown>[] = [];
  for (const { contactId, queue } of t.engine.waitingContacts()) {
    if (!contactId.startsWith('demo-') || contactId.startsWith(run)) continue;
    events.push({ id: `${run}-close-q-${contactId}`, type: 'queue.left', at, contactId, queue, outcome: 'abandoned' });
    events.push({ id: `${run}-close-${contactId}`, type: 'contact.ended', at, contactId, endedBy: 'system' });
  }
  if (events.length) await t.ingest.ingest(events);
}
