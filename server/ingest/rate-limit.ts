/**
 * Events per second per ingest key, as a token bucket: a key may send a burst of a few seconds' worth at
 * once, then its steady rate. Over it, the whole batch is refused (429 with Retry-After) so the producer
 * resends the same batch later; nothing of it is stored, so nothing is half-taken.
 */
import { TooManyRequests } from '../http/errors.ts';

/** A key may send this many seconds' worth of events at once after a quiet spell. */
export const BURST_SECONDS = 4;

export type RateLimitOptions = {
  /** Events per second per key; 0 turns the limit off. */
  rate: number;
  burstSeconds?: number;
  now?: () => number;
  /** Told of every refused batch (the metrics count its events as `rate_limited`). */
  onRefuse?: (via: string, events: number) => void;
};

type Bucket = { tokens: number; at: number };

export class IngestRateLimit {
  readonly rate: number;
  readonly capacity: number;
  #now: () => number;
  #onRefuse: RateLimitOptions['onRefuse'];
  #buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions) {
    this.rate = options.rate;
    this.capacity = options.rate * (options.burstSeconds ?? BURST_SECONDS);
    this.#now = options.now ?? Date.now;
    this.#onRefuse = options.onRefuse;
  }

  /**
   * Takes `events` from the key's bucket, or throws TooManyRequests naming the key, its rate and when to
   * retry. A batch larger than the whole burst is let through when the bucket is full and leaves it in
   * debt, so a low rate never makes a legal batch impossible and the average still holds.
   */
  admit(key: { id: string; name: string }, events: number, via: string): void {
    if (this.rate <= 0 || events <= 0) return;
    const now = this.#now();
    const bucket = this.#buckets.get(key.id) ?? { tokens: this.capacity, at: now };
    // A clock that steps back must not refill the bucket or drain it.
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsed * this.rate);
    bucket.at = now;
    this.#buckets.set(key.id, bucket);
    const need = Math.min(events, this.capacity);
    if (bucket.tokens >= need) {
      bucket.tokens -= events;
      return;
    }
    const retryAfter = Math.max(1, Math.ceil((need - bucket.tokens) / this.rate));
    this.#onRefuse?.(via, events);
    throw new TooManyRequests(
      `ingest key ${key.name} is over its rate of ${this.rate} events/s; retry after ${retryAfter} s`,
      retryAfter,
      'rate_limited',
    );
  }
}
