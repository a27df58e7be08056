/**
 * The last-resort policy for errors nothing else caught. A request or a message never gets here (the
 * app's onError, the web handler's stream guard and each loop's own onError answer for them); what
 * does is a bug, logged as structured JSON like everything else.
 *
 * - An unhandled rejection is logged and the server keeps serving: a promise someone forgot to await
 *   leaves no half-done state behind that other requests share.
 * - An uncaught exception means a throw unwound through code that was mid-way through something, so
 *   the process is in a state nobody designed for: log it, flush the log, exit non-zero, and let the
 *   supervisor (systemd, a container runtime) start a clean process. Acknowledged events are already
 *   committed to DuckDB, whose write-ahead log replays at the next start.
 * - A write past the file-size limit (`ulimit -f`, a container's limit) raises SIGXFSZ, whose default
 *   ends the process with a core dump. Handled, the write fails with EFBIG instead, and ingest answers
 *   503 as for a full disk (storage-reason.ts) while the server keeps serving.
 */
import type { Logger } from 'pino';

type Proc = Pick<NodeJS.Process, 'on' | 'exit'>;

/** Longest wait for the log to flush before exiting anyway. */
const FLUSH_TIMEOUT_MS = 2000;

/** At most one log line a minute about the file-size limit: every failed write raises the signal. */
const FSIZE_LOG_INTERVAL_MS = 60_000;

export function installProcessGuards(log: Logger, proc: Proc = process): void {
  let fsizeLoggedAt = -Infinity;
  proc.on('SIGXFSZ', () => {
    if (Date.now() - fsizeLoggedAt < FSIZE_LOG_INTERVAL_MS) return;
    fsizeLoggedAt = Date.now();
    log.error('a write went past the file size limit (ulimit -f): answered as a full disk');
  });
  proc.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'unhandled promise rejection');
  });
  let exiting = false;
  proc.on('uncaughtException', (err, origin) => {
    if (exiting) return;
    exiting = true;
    log.fatal({ err, origin }, 'uncaught exception: exiting');
    const exit = () => proc.exit(1);
    setTimeout(exit, FLUSH_TIMEOUT_MS).unref();
    try {
      log.flush(() => exit());
    } catch {
      exit();
    }
  });
}
