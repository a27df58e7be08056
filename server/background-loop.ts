/**
 * A job the server repeats in the background (following the log with the KPI facts, rolling up past
 * days). After a step that did work it pauses four times as long as the step took, at least
 * `minPauseMs`: a step holds the database's single writer, so a job never takes more than a fifth of
 * it however slow the machine. After a step with nothing to do, or a failed one, it waits `idleMs`.
 */
export type BackgroundLoop = {
  /** Stops repeating and waits for a step under way to end (before the database closes). */
  stop(): Promise<void>;
};

export type BackgroundLoopOptions = {
  /** One step: true if it did work (so the next may have more), false if there was nothing to do. */
  step: () => Promise<boolean>;
  firstDelayMs: number;
  idleMs: number;
  minPauseMs?: number;
  onError: (err: unknown) => void;
  /** Told how long each step that did work took, in seconds (for the metrics). */
  onWorked?: (seconds: number) => void;
};

export function backgroundLoop(options: BackgroundLoopOptions): BackgroundLoop {
  const { step, idleMs, minPauseMs = 1000, onError, onWorked } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = () => {
    const started = performance.now();
    running = step().then(
      (worked) => {
        const took = performance.now() - started;
        if (worked) onWorked?.(took / 1000);
        schedule(worked ? Math.max(minPauseMs, 4 * took) : idleMs);
      },
      (err: unknown) => {
        if (!stopped) onError(err);
        schedule(idleMs);
      },
    );
  };
  schedule(options.firstDelayMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
