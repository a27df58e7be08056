/** KPIs for any past range, computed in DuckDB: GET /api/kpis?from=&to=&queue=&channel= */
import { Hono } from 'hono';
import { isScoped, scopeOf } from '../../auth/principal.ts';
import { z } from 'zod';
import { CHANNELS, eventTimeMs, LIMITS } from '../../contract/events.ts';
import { toKpiSettings } from '../../contract/kpi-settings.ts';
import { computeKpis, KPI_FORMULAS, settingsFor, SL_VARIANT_FORMULAS } from '../../contract/kpis.ts';
import { kpiCounters } from '../../kpi/kpi-sql.ts';
import type { Tandem } from '../../tandem.ts';
import { startOfDay } from '../../time.ts';
import type { AppEnv } from '../env.ts';
import { BadRequest, Forbidden } from '../errors.ts';
import { allow } from '../middleware/allow.ts';

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

export function kpiRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/kpis', allow('kpi:read'), async (c) => {
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
    // A scoped caller's figures cover only their queues: the ones named, plus those their teams
    // serve now (from the live roster).
    const scope = scopeOf(c.get('principal'));
    let queues = parsed.data.queue !== undefined ? [parsed.data.queue] : undefined;
    if (isScoped(scope)) {
      const allowed = new Set([...(scope.queues ?? []), ...t.hub.current(scope).queues.map((q) => q.queue)]);
      if (queues && !allowed.has(queues[0]!)) throw new Forbidden(`queue "${queues[0]}" is outside your scope`);
      queues ??= [...allowed].sort();
    }
    const filter = { from, to, queues, channel: parsed.data.channel };
    const settings = toKpiSettings(t.kpiSettings);
    // One queue is computed with its own definitions; a mix of queues with the defaults.
    const applied = settingsFor(settings, queues?.length === 1 ? queues[0]! : null);
    const counters = await kpiCounters(t.db, filter, settings, now);
    return c.json({
      range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      filter: { queue: parsed.data.queue ?? null, queues: queues ?? null, channel: filter.channel ?? null },
      settings: applied,
      definitions: { ...KPI_FORMULAS, serviceLevel: SL_VARIANT_FORMULAS[applied.slVariant] },
      kpis: computeKpis(counters, applied),
      counters,
    });
  });
  return app;
}
