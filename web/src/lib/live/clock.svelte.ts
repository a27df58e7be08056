/** A ticking clock for waits and ages; one per page, shared by context. */
export class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | null = null;

  start(intervalMs = 250): () => void {
    this.#timer ??= setInterval(() => (this.now = Date.now()), intervalMs);
    return () => this.stop();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
