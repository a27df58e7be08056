import { describe, expect, it } from 'vitest';
import { backgroundLoop } from './background-loop.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('backgroundLoop', () => {
  it('pauses four times a working step, waits idle after nothing or a failure, and stops after the step under way', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const worked: number[] = [];
    let calls = 0;
    const loop = backgroundLoop({
      firstDelayMs: 0,
      idleMs: 5,
      minPauseMs: 0,
      onError: (err) => errors.push(err),
      onWorked: (seconds) => worked.push(seconds),
      step: async () => {
        calls++;
        if (calls === 1) {
          await sleep(30);
          log.push('worked');
          return true;
        }
        if (calls === 2) throw new Error('boom');
        log.push('idle');
        return false;
      },
    });
    await sleep(60);
    // The first step took 30 ms, so the second waits about 120 ms.
    expect(calls).toBe(1);
    await expect.poll(() => calls, { timeout: 3000 }).toBeGreaterThanOrEqual(3);
    expect(errors).toHaveLength(1);
    await loop.stop();
    const after = calls;
    await sleep(30);
    expect(calls).toBe(after);
    expect(log[0]).toBe('worked');
    // Only the step that did work is timed (for the metrics), about its 30 ms.
    expect(worked).toHaveLength(1);
    expect(worked[0]).toBeGreaterThanOrEqual(0.025);
  });
});
