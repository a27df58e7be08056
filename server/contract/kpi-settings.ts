/**
 * KPI settings an admin can change: the definitions (thresholds, service-level variant) and the
 * targets that colour the wallboard, as defaults and per queue. Validated at the API edge.
 */
import { z } from 'zod';
import { isValidTimeZone } from '../time.ts';
import { SL_VARIANTS, WEEKDAYS, type KpiSettings, type QueueKpiSettings, type Weekday } from './kpis.ts';

/** KPIs that can carry a target, and which way is good. */
export const TARGET_DIRECTIONS = {
  serviceLevel: 'higher',
  asaSeconds: 'lower',
  ahtSeconds: 'lower',
  abandonRate: 'lower',
  occupancy: 'higher',
  containmentRate: 'higher',
  csat: 'higher',
  nps: 'higher',
  longestWaitSeconds: 'lower',
} as const;
export type TargetKpi = keyof typeof TARGET_DIRECTIONS;

/** A goal and the levels at which the wallboard turns amber (warn) and red (alert). */
export type Target = { target: number; warn: number; alert: number };
export type Targets = Partial<Record<TargetKpi, Target>>;

const target = z.object({ target: z.number(), warn: z.number(), alert: z.number() });

/** Targets by KPI, each optional: the shape alone (the live contract carries it as saved). */
export const targetsShape = z.object(
  Object.fromEntries(Object.keys(TARGET_DIRECTIONS).map((k) => [k, target.optional()])) as Record<
    TargetKpi,
    z.ZodOptional<typeof target>
  >,
);

export const targetsSchema = targetsShape.strict().superRefine((targets, ctx) => {
  for (const [kpi, t] of Object.entries(targets) as [TargetKpi, Target | undefined][]) {
    if (!t) continue;
    const higher = TARGET_DIRECTIONS[kpi] === 'higher';
    const ordered = higher ? t.alert <= t.warn && t.warn <= t.target : t.alert >= t.warn && t.warn >= t.target;
    if (!ordered) {
      ctx.addIssue({
        code: 'custom',
        path: [kpi],
        message: higher
          ? 'higher is better here: need alert <= warn <= target'
          : 'lower is better here: need alert >= warn >= target',
      });
    }
  }
});

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):(00|15|30|45)$|^24:00$/, 'must be a time "HH:MM" on a quarter hour, 00:00 to 24:00');
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export const businessHoursSchema = z
  .object(
    Object.fromEntries(
      WEEKDAYS.map((d) => [
        d,
        z
          .array(z.tuple([clock, clock]))
          .max(8)
          .optional(),
      ]),
    ) as Record<Weekday, z.ZodOptional<z.ZodArray<z.ZodTuple<[typeof clock, typeof clock], null>>>>,
  )
  .strict()
  .superRefine((hours, ctx) => {
    for (const day of WEEKDAYS) {
      const spans = [...(hours[day] ?? [])].sort((a, b) => minutes(a[0]) - minutes(b[0]));
      spans.forEach(([open, close], i) => {
        if (minutes(close) <= minutes(open))
          ctx.addIssue({ code: 'custom', path: [day, i], message: 'must close after it opens' });
        else if (i > 0 && minutes(open) < minutes(spans[i - 1]![1]))
          ctx.addIssue({ code: 'custom', path: [day, i], message: 'overlaps another opening of the day' });
      });
    }
  });

export const queueSettingsSchema = z
  .object({
    slThresholdSeconds: z.number().min(1).max(3600).optional(),
    shortAbandonSeconds: z.number().min(0).max(600).optional(),
    slVariant: z.enum(SL_VARIANTS).optional(),
    businessHours: businessHoursSchema.optional(),
  })
  .strict();

/** The defaults may also set the FCR horizon (per customer, not per queue) and the time zone (one per site). */
export const defaultSettingsSchema = queueSettingsSchema.extend({
  fcrHorizonDays: z.number().min(1).max(90).optional(),
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai or Europe/Berlin')
    .optional(),
});

/** PUT /api/settings/kpis/queues/:queue (one queue). */
export const kpiSettingsUpdate = z.object({
  settings: queueSettingsSchema.default({}),
  targets: targetsSchema.default({}),
});
/**
 * PUT /api/settings/kpis (the defaults). The settings given replace the saved ones; the targets given
 * replace every default target (`{}` removes them all), and without `targets` they stay as they are.
 */
export const kpiDefaultsUpdate = z.object({
  settings: defaultSettingsSchema.default({}),
  targets: targetsSchema.optional(),
});

/** Sensible starting targets (SL 80/20, ASA 30 s …) until an admin saves the defaults' own. */
export const DEFAULT_TARGETS: Targets = {
  serviceLevel: { target: 0.8, warn: 0.7, alert: 0.6 },
  asaSeconds: { target: 30, warn: 60, alert: 120 },
  abandonRate: { target: 0.05, warn: 0.08, alert: 0.12 },
  longestWaitSeconds: { target: 60, warn: 120, alert: 240 },
  containmentRate: { target: 0.6, warn: 0.5, alert: 0.4 },
  csat: { target: 0.85, warn: 0.75, alert: 0.65 },
};

/** Everything in force: what GET /api/settings/kpis returns. */
export type KpiSettingsView = {
  defaults: QueueKpiSettings & { fcrHorizonDays?: number; timeZone: string; targets: Targets };
  queues: Record<string, { settings: Partial<QueueKpiSettings>; targets: Targets }>;
};

export function toKpiSettings(view: KpiSettingsView): KpiSettings {
  const { targets: _targets, ...defaults } = view.defaults;
  return { ...defaults, queues: Object.fromEntries(Object.entries(view.queues).map(([q, v]) => [q, v.settings])) };
}

/** The targets that apply to a queue (its own over the defaults, KPI by KPI). */
export function targetsFor(view: KpiSettingsView, queue: string | null): Targets {
  return { ...view.defaults.targets, ...(queue === null ? {} : view.queues[queue]?.targets) };
}
