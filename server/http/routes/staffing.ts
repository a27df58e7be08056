/**
 * Erlang C staffing calculator:
 * GET /api/staffing?calls=&intervalMinutes=&ahtSeconds=&targetSeconds=&serviceLevel=&shrinkage=&maxOccupancy=
 * Pure arithmetic on the query (no data read), so it needs only the right to see KPIs.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ERLANG_C_FORMULAS, MAX_TRAFFIC_ERLANGS, requiredAgents, trafficIntensity } from '../../kpi/erlang-c.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { queryOf } from '../validate.ts';

// Plain decimals only: Number() would also take '0x10', 'Infinity' and '' (as 0).
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A query parameter holding a number; `check` narrows it with a message naming the allowed range. */
function param(check: (n: z.ZodNumber) => z.ZodNumber) {
  return (
    z
      .string({ error: (i) => (i.input === undefined ? 'is required' : 'must be a number') })
      .trim()
      // Aborting keeps a non-number away from Number() and the range checks: one message per field.
      .regex(DECIMAL, { error: 'must be a number', abort: true })
      .transform(Number)
      .pipe(check(z.number()))
  );
}

const query = z
  .object({
    calls: param((n) => n.min(0, 'must be 0 or more').max(1e6, 'must be at most 1,000,000')),
    intervalMinutes: param((n) => n.min(1, 'must be at least 1').max(1440, 'must be at most 1440 (a day)')).default(30),
    ahtSeconds: param((n) => n.gt(0, 'must be more than 0').max(86_400, 'must be at most 86400 (a day)')),
    targetSeconds: param((n) => n.min(0, 'must be 0 or more').max(86_400, 'must be at most 86400 (a day)')).default(20),
    serviceLevel: param((n) =>
      n
        .gt(0, 'must be a fraction between 0 and 1, exclusive (0.8 means 80%)')
        .lt(1, 'must be a fraction between 0 and 1, exclusive (0.8 means 80%)'),
    ).default(0.8),
    shrinkage: param((n) =>
      n
        .min(0, 'must be a fraction from 0 up to, not including, 1 (0.3 means 30%)')
        .lt(1, 'must be a fraction from 0 up to, not including, 1 (0.3 means 30%)'),
    ).default(0),
    maxOccupancy: param((n) =>
      n
        .gt(0, 'must be a fraction above 0 and at most 1 (0.85 means 85%)')
        .max(1, 'must be a fraction above 0 and at most 1 (0.85 means 85%)'),
    ).optional(),
  })
  .refine((q) => trafficIntensity(q.calls, q.intervalMinutes, q.ahtSeconds) <= MAX_TRAFFIC_ERLANGS, {
    path: ['calls'],
    // Only once every field is valid, so a field out of range gets one message, not two.
    when: (payload) => payload.issues.length === 0,
    error: (issue) => {
      const q = issue.input as { calls: number; intervalMinutes: number; ahtSeconds: number };
      const load = Math.round(trafficIntensity(q.calls, q.intervalMinutes, q.ahtSeconds));
      return `gives ${load} Erlangs with this ahtSeconds and intervalMinutes; at most ${MAX_TRAFFIC_ERLANGS} can be sized`;
    },
  });

export function staffingRoutes(_t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/staffing', allow('kpi:read'), (c) => {
    const q = queryOf(c, query);
    return c.json({ ...requiredAgents(q), formula: ERLANG_C_FORMULAS });
  });
  return app;
}
