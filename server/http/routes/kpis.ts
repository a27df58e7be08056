/**
 * KPIs for any past range, computed in DuckDB: GET /api/kpis?from=&to=&queue=&channel=, and the same
 * per interval and dimension: GET /api/kpis/intervals?…&interval=15m|30m|1h|1d&by=queue|channel|…
 */
import { Hono, type Context } from 'hono';
import { scopeOf } from '../../auth/principal.ts';
import { z } from 'zod';
import { CHANNELS, eventTimeMs, LIMITS } from '../../contract/events.ts';
import { toKpiSettings } from '../../contract/kpi-settings.ts';
import { computeKpis, emptyCounters, KPI_FORMULAS, settingsFor, SL_VARIANT_FORMULAS } from '../../contract/kpis.ts';
import {
  bucketStarts,
  DIMENSIONS,
  INTERVALS,
  kpiIntervals,
  MAX_BUCKETS,
  type Dimension,
  type IntervalName,
} from '../../kpi/kpi-intervals.ts';
import { kpiCounters } from '../../kpi/kpi-sql.ts';
import type { Tandem } from '../../tandem.ts';
import { startOfDay } from '../../time.ts';
import { openSpans } from '../../kpi/business-hours.ts';
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
  /** `business`: count only what happens within business hours (the queue's own, or the defaults). */
  hours: z.enum(['all', 'business']).default('all'),
});

/** /api/kpis also filters by one of these; they split only the metrics they describe (docs/metrics.md). */
const rangeQuery = query
  .extend({
    handler: z.enum(['ai', 'hybrid', 'human']).optional(),
    segment: z.string().min(1).max(256).optional(),
    escalation: z.string().min(1).max(256).optional(),
    agent: z.string().min(1).max(256).optional(),
    team: z.string().min(1).max(256).optional(),
  })
  .refine(
    (v) => {
      const contact = v.handler !== undefined || v.segment !== undefined || v.escalation !== undefined;
      // One split at a time: the contact's attributes, an agent, or a team.
      return [contact || undefined, v.agent, v.team].filter((x) => x !== undefined).length <= 1;
    },
    { message: 'filter by handler and segment, by escalation, by agent or by team: one of these', path: ['agent'] },
  )
  // Every escalated contact is hybrid: an escalation with a handler or segment would be a split nobody keeps.
  .refine((v) => v.escalation === undefined || (v.segment === undefined && v.handler === undefined), {
    message: 'filter by escalation alone (escalated contacts are all hybrid)',
    path: ['escalation'],
  });

/** The split a filter of /api/kpis is, and the key of its row (see docs/metrics.md). */
function splitOf(q: z.output<typeof rangeQuery>): { by: Dimension; key: string } | null {
  if (q.agent !== undefined) return { by: 'agent', key: q.agent };
  if (q.team !== undefined) return { by: 'team', key: q.team };
  if (q.segment !== undefined)
    return q.handler !== undefined
      ? { by: 'handler_segment', key: `${q.handler}/${q.segment}` }
      : { by: 'segment', key: q.segment };
  if (q.escalation !== undefined) return { by: 'escalation', key: q.escalation };
  if (q.handler !== undefined) return { by: 'handler', key: q.handler };
  return null;
}

const intervalQuery = query.extend({
  interval: z.enum(Object.keys(INTERVALS) as [IntervalName, ...IntervalName[]]).default('1h'),
  by: z.enum(DIMENSIONS).default('none'),
});

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new BadRequest(`invalid query: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  }
  return parsed.data;
}

export function kpiRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  /** The range (today so far by default) and the queues a caller may see. */
  const resolve = (c: Context<AppEnv>, q: z.output<typeof query>) => {
    const now = Date.now();
    const from = q.from ?? startOfDay(now, t.timeZone);
    const to = q.to ?? now;
    if (to <= from)
      throw new BadRequest('invalid query: to must be after from', [{ path: 'to', message: 'must be after from' }]);
    // A scoped caller's figures cover only their queues: the ones named, plus those their teams
    // serve now (from the live roster).
    let queues = q.queue !== undefined ? [q.queue] : undefined;
    const allowed = t.hub.visibleQueues(scopeOf(c.get('principal')));
    if (allowed) {
      if (queues && !allowed.has(queues[0]!)) throw new Forbidden(`queue "${queues[0]}" is outside your scope`);
      queues ??= [...allowed].sort();
    }
    const settings = toKpiSettings(t.kpiSettings);
    // One queue is computed with its own definitions; a mix of queues with the defaults.
    const applied = settingsFor(settings, queues?.length === 1 ? queues[0]! : null);
    const open =
      q.hours === 'business' && applied.businessHours
        ? openSpans(from, to, applied.businessHours, t.timeZone)
        : undefined;
    return { now, from, to, queues, settings, applied, open };
  };

  app.get('/api/kpis', allow('kpi:read'), async (c) => {
    const q = parse(rangeQuery, c.req.query());
    const { now, from, to, queues, settings, applied, open } = resolve(c, q);
    const split = splitOf(q);
    let counters;
    if (split) {
      // The interval engine's split, over one interval: the whole range.
      const rows = await t.metrics.queries.time({ query: 'kpis' }, () =>
        kpiIntervals(
          t.db,
          { from, to, interval: 'range', by: split.by, timeZone: t.timeZone, queues, channel: q.channel, open },
          settings,
          now,
        ),
      );
      counters = rows.find((r) => r.key === split.key)?.counters ?? emptyCounters();
    } else {
      counters = await t.metrics.queries.time({ query: 'kpis' }, () =>
        kpiCounters(t.db, { from, to, queues, channel: q.channel, open, timeZone: t.timeZone }, settings, now),
      );
    }
    return c.json({
      range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      filter: {
        queue: q.queue ?? null,
        queues: queues ?? null,
        channel: q.channel ?? null,
        handler: q.handler ?? null,
        segment: q.segment ?? null,
        escalation: q.escalation ?? null,
        agent: q.agent ?? null,
        team: q.team ?? null,
      },
      hours: q.hours,
      settings: applied,
      definitions: { ...KPI_FORMULAS, serviceLevel: SL_VARIANT_FORMULAS[applied.slVariant] },
      kpis: computeKpis(counters, applied),
      counters,
    });
  });

  app.get('/api/kpis/intervals', allow('kpi:read'), async (c) => {
    const q = parse(intervalQuery, c.req.query());
    const { now, from, to, queues, settings, applied, open } = resolve(c, q);
    const starts = bucketStarts(from, to, q.interval, t.timeZone);
    if (starts.length > MAX_BUCKETS) {
      throw new BadRequest(`invalid query: ${starts.length} intervals; ask for at most ${MAX_BUCKETS}`, [
        { path: 'interval', message: `gives more than ${MAX_BUCKETS} intervals for this range: use a longer one` },
      ]);
    }
    const rows = await t.metrics.queries.time({ query: 'kpi_intervals' }, () =>
      kpiIntervals(
        t.db,
        { from, to, interval: q.interval, by: q.by, timeZone: t.timeZone, queues, channel: q.channel, open },
        settings,
        now,
      ),
    );
    const spans = open ?? openSpans(from, to, applied.businessHours, t.timeZone);
    return c.json({
      range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      interval: q.interval,
      by: q.by,
      timeZone: t.timeZone,
      filter: { queue: q.queue ?? null, queues: queues ?? null, channel: q.channel ?? null },
      hours: q.hours,
      settings: applied,
      definitions: { ...KPI_FORMULAS, serviceLevel: SL_VARIANT_FORMULAS[applied.slVariant] },
      attribution:
        'each contribution counts in the interval of its own event time: queue results at the queue exit, handle time at the wrap-up, contacts at their start',
      rows: rows.map((r) => ({
        start: new Date(r.start).toISOString(),
        end: new Date(r.end).toISOString(),
        key: r.key,
        // Whether the interval overlaps business hours (always, when none are set).
        open: spans.some(([a, b]) => a < r.end && b > r.start),
        // A split by queue uses each queue's own definitions.
        kpis: computeKpis(r.counters, q.by === 'queue' && r.key !== null ? settingsFor(settings, r.key) : applied),
        counters: r.counters,
      })),
    });
  });
  return app;
}
