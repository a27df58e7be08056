/**
 * Login throttling with growing delays, per account and per client address. After a few free
 * failures each further one doubles the wait (1 s, 2 s, 4 s … capped); a success clears the
 * account's record. Counts decay: a key untouched for a day is forgotten.
 */
export type ThrottleOptions = {
  /** Failures allowed before any delay. */
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  forgetAfterMs?: number;
  /** An address sees more failures legitimately (a shared office NAT), so it gets more free ones. */
  addressFreeFailures?: number;
  clock?: () => number;
};

type Entry = { failures: number; blockedUntil: number; lastAt: number };

export class LoginThrottle {
  #entries = new Map<string, Entry>();
  #o: Required<ThrottleOptions>;

  constructor(options: ThrottleOptions = {}) {
    this.#o = {
      freeFailures: 3,
      addressFreeFailures: 10,
      baseDelayMs: 1000,
      maxDelayMs: 15 * 60_000,
      forgetAfterMs: 24 * 3_600_000,
      clock: Date.now,
      ...options,
    };
  }

  /** Milliseconds until the next attempt for this account/address is allowed (0 = now). */
  waitMs(account: string, address: string): number {
    const now = this.#o.clock();
    return Math.max(0, this.#until(`a:${account}`, now), this.#until(`ip:${address}`, now));
  }

  failed(account: string, address: string): void {
    const now = this.#o.clock();
    this.#bump(`a:${account}`, this.#o.freeFailures, now);
    this.#bump(`ip:${address}`, this.#o.addressFreeFailures, now);
    if (this.#entries.size > 100_000) this.#sweep(now);
  }

  succeeded(account: string): void {
    this.#entries.delete(`a:${account}`);
  }

  #until(key: string, now: number): number {
    const e = this.#entries.get(key);
    if (!e) return 0;
    if (now - e.lastAt > this.#o.forgetAfterMs) {
      this.#entries.delete(key);
      return 0;
    }
    return e.blockedUntil - now;
  }

  #bump(key: string, free: number, now: number): void {
    let e = this.#entries.get(key);
    if (!e || now - e.lastAt > this.#o.forgetAfterMs)
      this.#entries.set(key, (e = { failures: 0, blockedUntil: 0, lastAt: now }));
    e.failures++;
    e.lastAt = now;
    const over = e.failures - free;
    if (over > 0) e.blockedUntil = now + Math.min(this.#o.baseDelayMs * 2 ** (over - 1), this.#o.maxDelayMs);
  }

  #sweep(now: number): void {
    for (const [k, e] of this.#entries) if (now - e.lastAt > this.#o.forgetAfterMs) this.#entries.delete(k);
  }
}
