/**
 * A child process for bench/soak.ts: steady ingest through POST /api/events, one batch every 100 ms,
 * so the producer's work is not in the measuring process. Reports (and forgets) the acknowledgement
 * times since the last report. Controlled over the IPC channel; not meant to be run by hand.
 */
import { Background, post } from './latency.ts';

export type IngestCommand =
  { type: 'start'; url: string; key: string; rate: number; tag: string } | { type: 'report' } | { type: 'stop' };

export type IngestReport = {
  type: 'report';
  /** POST -> 202 of every batch acknowledged since the last report, ms. */
  ackMs: number[];
  events: number;
  errors: number;
  /** Ticks with no batch sent because too many were still unanswered (the server fell behind). */
  skippedTicks: number;
  lastError: string | null;
};

const TICK_MS = 100;
/** Batches in flight at once; more means the server is behind, and queuing them here would hide it. */
const MAX_IN_FLIGHT = 8;

let timer: NodeJS.Timeout | null = null;
let inFlight = 0;
let report: Omit<IngestReport, 'type'> = { ackMs: [], events: 0, errors: 0, skippedTicks: 0, lastError: null };

function start(url: string, key: string, rate: number, tag: string): void {
  const background = new Background(tag);
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  let last = Date.now();
  timer = setInterval(() => {
    const now = Date.now();
    // Timed over the interval just gone, so event times move with the wall clock whatever happens.
    const events = background.take(perTick, last - TICK_MS, now - TICK_MS);
    last = now;
    if (inFlight >= MAX_IN_FLIGHT) {
      report.skippedTicks++;
      return;
    }
    inFlight++;
    const t0 = performance.now();
    post({ url, key }, events)
      .then(
        () => {
          report.ackMs.push(performance.now() - t0);
          report.events += events.length;
        },
        (err: unknown) => {
          report.errors++;
          report.lastError = String(err).slice(0, 300);
        },
      )
      .finally(() => inFlight--);
  }, TICK_MS);
}

process.on('message', (message: IngestCommand) => {
  if (message.type === 'start') start(message.url, message.key, message.rate, message.tag);
  else if (message.type === 'report') {
    process.send?.({ type: 'report', ...report } satisfies IngestReport);
    report = { ackMs: [], events: 0, errors: 0, skippedTicks: 0, lastError: null };
  } else if (message.type === 'stop') {
    if (timer) clearInterval(timer);
    process.disconnect?.();
    setTimeout(() => process.exit(0), 100).unref();
  }
});
process.on('disconnect', () => process.exit(0));
