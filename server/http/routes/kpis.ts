/** KPIs for any past range, computed in DuckDB: GET /api/kpis?from=&to=&queue=&channel= */
import { Hono } from 'hono';
import { z } from 'zod';
import { CHANNELS, eventTimeMs, LIMITS } from '../../contract/events.ts';
import { computeKpis } from '../../contract/kpis.ts';
import { kpiCounters } from '../../kpi/kpi-sql.ts';
import type { Tandem } from '../../tandem.ts';
import { startOfDay } from '../../time.ts';
import { BadRequest } from '../errors.ts';

const time = z
  .string()
  .transform((v, ctx) => {
    const ms = /^\d{1,15}$/.test(v) ? Number(v) : eventTimeMs(v);
    if (!Number.isFinite(ms) || ms < LIMITS.minAt || ms > LIMITS.maxAt) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be RFC 3339 with offset or epoch milliseconds, between 2000 and 2100',
      });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

const query = z.object({
  from: time,
  to: time,
  queue: z.string().min(1).max(256).optional(),
  channel: z.enum(CHANNELS).optional(),
});

export function kpiRoutes(t: Tandem): Hono {
  const app = new Hono();
  app.get('/api/kpis', async (c) => {
    const parsed = query.safeParse(c.req.query());
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new BadRequest(`invalid query: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
    }
    const now = Date.now();
    const from = parsed.data.from ?? startOfDay(now, t.config.timeZone);
    const to = parsed.data.to ?? now;
    if (to <= from)
      throw new BadRequest('invalid query: to must be after from', [{ path: 'to', message: 'must be after from' }]);
    const filter = { from, to, queue: parsed.data.queue, channel: parsed.data.channel };
    const counters = await kpiCounters(t.db, filter, t.config.kpi, now);
    return c.json({
      range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      filter: { queue: filter.queue ?? null, channel: filter.channel ?? null },
      settings: t.config.kpi,
      kpis: computeKpis(counters),
      counters,
    });
  });
  return app;
}
