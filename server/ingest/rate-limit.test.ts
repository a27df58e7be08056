import { describe, expect, it } from 'vitest';
import { TooManyRequests } from '../http/errors.ts';
import { IngestRateLimit } from './rate-limit.ts';

const key = { id: 'k1', name: 'crm feed' };
const other = { id: 'k2', name: 'ivr feed' };

function limiter(rate: number, burstSeconds = 4) {
  const clock = { ms: 1_000_000 };
  const refused: [string, number][] = [];
  const limit = new IngestRateLimit({
    rate,
    burstSeconds,
    now: () => clock.ms,
    onRefuse: (via, events) => refused.push([via, events]),
  });
  return { limit, clock, refused };
}

function refusal(fn: () => void): TooManyRequests {
  try {
    fn();
  } catch (err) {
    if (err instanceof TooManyRequests) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('IngestRateLimit', () => {
  it('lets a burst of burstSeconds worth through, then refuses the next batch whole', () => {
    const { limit, refused } = limiter(100);
    limit.admit(key, 250, 'http');
    limit.admit(key, 150, 'http');
    const err = refusal(() => limit.admit(key, 10, 'websocket'));
    expect(err.status).toBe(429);
    expect(err.code).toBe('rate_limited');
    expect(err.message).toBe('ingest key crm feed is over its rate of 100 events/s; retry after 1 s');
    expect(err.retryAfterSeconds).toBe(1);
    expect(refused).toEqual([['websocket', 10]]);
  });

  it('refills at the rate, and Retry-After says how long the missing tokens take', () => {
    const { limit, clock } = limiter(100);
    limit.admit(key, 400, 'http');
    expect(refusal(() => limit.admit(key, 350, 'http')).retryAfterSeconds).toBe(4);
    clock.ms += 2_000;
    expect(refusal(() => limit.admit(key, 350, 'http')).retryAfterSeconds).toBe(2);
    clock.ms += 1_500;
    limit.admit(key, 350, 'http');
  });

  it('keeps one bucket per key', () => {
    const { limit } = limiter(10);
    limit.admit(key, 40, 'http');
    expect(() => limit.admit(key, 1, 'http')).toThrow(TooManyRequests);
    limit.admit(other, 40, 'http');
  });

  it('takes a batch larger than the burst when the bucket is full, and then waits the debt off', () => {
    const { limit, clock } = limiter(10);
    limit.admit(key, 100, 'http');
    // 40 tokens of burst minus 100 events: 60 in debt, plus 40 to have the burst again for a batch this big.
    expect(refusal(() => limit.admit(key, 100, 'http')).retryAfterSeconds).toBe(10);
    clock.ms += 9_000;
    expect(() => limit.admit(key, 100, 'http')).toThrow(TooManyRequests);
    clock.ms += 1_000;
    limit.admit(key, 100, 'http');
  });

  it('never refills past the burst, and a clock that steps back changes nothing', () => {
    const { limit, clock } = limiter(10);
    clock.ms += 3_600_000;
    limit.admit(key, 40, 'http');
    clock.ms -= 60_000;
    expect(() => limit.admit(key, 1, 'http')).toThrow(TooManyRequests);
  });

  it('is off at rate 0', () => {
    const { limit } = limiter(0);
    for (let i = 0; i < 100; i++) limit.admit(key, 10_000, 'http');
  });
});
