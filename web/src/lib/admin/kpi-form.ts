/**
 * The KPI settings forms' logic, kept out of the components: the editor models (text as typed, rates
 * in percent, business hours as rows of spans), building the API bodies from them (fractions, sorted
 * "HH:MM" spans), reading them back from the API, and plain-language summaries of a queue's overrides
 * (in the page's language: the names of days come from Intl, of KPIs from the catalog).
 *
 * Errors found while building a body carry the same paths the server uses (`settings.businessHours.mon.0`,
 * `targets.asaSeconds.warn`), so one FormAction shows the browser's and the server's messages alike.
 */
import {
  DEFAULT_FCR_HORIZON_DAYS,
  WEEKDAYS,
  type BusinessHours,
  type SlVariant,
  type Weekday,
} from '$contract/kpis.ts';
import type {
  KpiSettingsView,
  Target,
  TargetKpi,
  Targets,
  kpiDefaultsUpdate,
  kpiSettingsUpdate,
} from '$contract/kpi-settings.ts';
import type { FieldError } from '$lib/api/api.ts';
import type { I18n } from '$lib/i18n/i18n.svelte.ts';
import type { z } from 'zod';

export type DefaultsBody = z.input<typeof kpiDefaultsUpdate>;
export type QueueBody = z.input<typeof kpiSettingsUpdate>;

// ---------------------------------------------------------------------------------------------------
// Names

/** Monday first, as a contact center plans its week (the API's WEEKDAYS start on Sunday). */
export const WEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A day's name in the page's language ("Monday", "星期一"; short: "Mon", "周一"). */
export function dayName(i18n: I18n, day: Weekday, width: 'long' | 'short' = 'long'): string {
  return i18n.weekday(WEEKDAYS.indexOf(day), width);
}

/** How a target is typed and shown: rates in percent (the API holds fractions), times in seconds, NPS in points. */
export type TargetUnit = 'percent' | 'seconds' | 'points';
/** In the table's order: speed first, then the people and bots, then what customers say. */
export const TARGET_UNITS: Record<TargetKpi, TargetUnit> = {
  serviceLevel: 'percent',
  asaSeconds: 'seconds',
  abandonRate: 'percent',
  longestWaitSeconds: 'seconds',
  ahtSeconds: 'seconds',
  occupancy: 'percent',
  containmentRate: 'percent',
  csat: 'percent',
  nps: 'points',
};
export const TARGET_ORDER = Object.keys(TARGET_UNITS) as TargetKpi[];
export const LEVELS = ['target', 'warn', 'alert'] as const;
export type Level = (typeof LEVELS)[number];

// ---------------------------------------------------------------------------------------------------
// Numbers and times as typed

/**
 * A number as an admin types it: "80", "5.5", "5,5", "80 %", "30s". Null for anything else (also
 * "", "0x10" and "1e3", which `Number` would accept).
 */
export function parseNumber(text: string): number | null {
  const t = text
    .trim()
    .replace(/\s*(%|s|pts?|秒|分)$/i, '')
    .replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : null;
}

/** Rounds away binary noise (0.07 × 100 = 7.000000000000001) without losing what anyone types. */
const clean = (n: number) => Number(n.toPrecision(12));

/** 0.8 → 80: a fraction from the API as the percentage shown. */
export function toPercent(fraction: number): number {
  return clean(fraction * 100);
}
/** 80 → 0.8: a percentage as typed, as the fraction the API holds. */
export function fromPercent(percent: number): number {
  return clean(percent / 100);
}

/** A target level as shown in its unit. */
export function showLevel(kpi: TargetKpi, value: number): string {
  return String(TARGET_UNITS[kpi] === 'percent' ? toPercent(value) : value);
}

/**
 * A time of day as typed ("9", "9:30", "0930", "17.45", "24:00") as "HH:MM"; null if it is not one.
 * Quarter hours are the server's rule, so "09:10" passes here and the server names the field.
 */
export function parseTime(text: string): string | null {
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?$/i.exec(text.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Every quarter hour from 00:00 to 24:00, for the time inputs' suggestions. */
export const QUARTER_HOURS = Array.from({ length: 97 }, (_, i) => {
  const m = i * 15;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
});

// ---------------------------------------------------------------------------------------------------
// Editor models

export type Span = { open: string; close: string };
/**
 * `default`: the queue follows the default hours (queues only); `always`: open around the clock;
 * `weekly`: the spans in `days` (a day without spans is closed).
 */
export type HoursMode = 'default' | 'always' | 'weekly';
export type HoursModel = { mode: HoursMode; days: Record<Weekday, Span[]> };
export type TargetRow = Record<Level, string>;
export type TargetsModel = Record<TargetKpi, TargetRow>;

export type DefaultsModel = {
  slThresholdSeconds: string;
  shortAbandonSeconds: string;
  slVariant: SlVariant;
  fcrHorizonDays: string;
  timeZone: string;
  hours: HoursModel;
  targets: TargetsModel;
};
/** A queue's own settings; an empty field (or variant '') means "as the defaults". */
export type QueueModel = {
  queue: string;
  slThresholdSeconds: string;
  shortAbandonSeconds: string;
  slVariant: SlVariant | '';
  hours: HoursModel;
  targets: TargetsModel;
};

const ALL_DAY: [string, string] = ['00:00', '24:00'];
const isAllDay = (spans: [string, string][] | undefined) =>
  spans?.length === 1 && spans[0]![0] === ALL_DAY[0] && spans[0]![1] === ALL_DAY[1];

/** What the day editor starts from when there are no hours yet: office hours on weekdays. */
function officeHours(): Record<Weekday, Span[]> {
  return Object.fromEntries(
    WEEKDAYS.map((d) => [d, d === 'sat' || d === 'sun' ? [] : [{ open: '09:00', close: '17:00' }]]),
  ) as Record<Weekday, Span[]>;
}

/**
 * The editor for stored hours; `none` is the mode when there are none (defaults: always, queues: as the
 * defaults), and the day editor then starts from `start` (a queue: the defaults' hours) or office hours.
 */
export function hoursModel(
  hours: BusinessHours | undefined,
  none: 'always' | 'default',
  start?: BusinessHours,
): HoursModel {
  const daysOf = (h: BusinessHours) =>
    Object.fromEntries(WEEKDAYS.map((d) => [d, (h[d] ?? []).map(([open, close]) => ({ open, close }))])) as Record<
      Weekday,
      Span[]
    >;
  const template = () => (start ? daysOf(start) : officeHours());
  if (!hours) return { mode: none, days: template() };
  // A queue's "around the clock" is stored as every day 00:00–24:00 (absent would mean the defaults).
  if (none === 'default' && WEEKDAYS.every((d) => isAllDay(hours[d]))) return { mode: 'always', days: template() };
  return { mode: 'weekly', days: daysOf(hours) };
}

export function targetsModel(targets: Targets): TargetsModel {
  return Object.fromEntries(
    TARGET_ORDER.map((kpi) => {
      const t = targets[kpi];
      const row: TargetRow = t
        ? { target: showLevel(kpi, t.target), warn: showLevel(kpi, t.warn), alert: showLevel(kpi, t.alert) }
        : { target: '', warn: '', alert: '' };
      return [kpi, row];
    }),
  ) as TargetsModel;
}

export function defaultsModel(view: KpiSettingsView): DefaultsModel {
  const d = view.defaults;
  return {
    slThresholdSeconds: String(d.slThresholdSeconds),
    shortAbandonSeconds: String(d.shortAbandonSeconds),
    slVariant: d.slVariant,
    fcrHorizonDays: String(d.fcrHorizonDays ?? DEFAULT_FCR_HORIZON_DAYS),
    timeZone: d.timeZone,
    hours: hoursModel(d.businessHours, 'always'),
    targets: targetsModel(d.targets),
  };
}

/** The form for one queue's overrides: its stored ones, or empty for a queue that has none. */
export function queueModel(view: KpiSettingsView, queue: string | null): QueueModel {
  const own = queue === null ? undefined : view.queues[queue];
  const s = own?.settings ?? {};
  return {
    queue: queue ?? '',
    slThresholdSeconds: s.slThresholdSeconds === undefined ? '' : String(s.slThresholdSeconds),
    shortAbandonSeconds: s.shortAbandonSeconds === undefined ? '' : String(s.shortAbandonSeconds),
    slVariant: s.slVariant ?? '',
    hours: hoursModel(s.businessHours, 'default', view.defaults.businessHours),
    targets: targetsModel(own?.targets ?? {}),
  };
}

/** Copies one day's spans to other days (e.g. Monday to the rest of the working week). */
export function copyDay(days: Record<Weekday, Span[]>, from: Weekday, to: readonly Weekday[]): Record<Weekday, Span[]> {
  const next = { ...days };
  for (const d of to) next[d] = days[from].map((s) => ({ ...s }));
  return next;
}

/** A day's next span: office hours on a closed day, else blank to type in (a second span is often after lunch). */
export function withNewSpan(spans: readonly Span[]): Span[] {
  return [...spans, spans.length === 0 ? { open: '09:00', close: '17:00' } : { open: '', close: '' }];
}

// ---------------------------------------------------------------------------------------------------
// Building the API bodies

/**
 * A body for the API, or the fields that stop it. `model` is the editor model tidied the way the body
 * was built (times as "HH:MM", each day's spans in opening order, as the server numbers them in its
 * errors): put it back in the form so what is on screen is what was sent.
 */
export type Built<B, M> = { model: M; body: B | null; errors: FieldError[] };

type Errors = FieldError[];

function number(
  text: string,
  path: string,
  errors: Errors,
  opts: { required: boolean; min?: number; max?: number; what?: string },
): number | undefined {
  if (text.trim() === '') {
    if (opts.required) errors.push({ path, message: 'required' });
    return undefined;
  }
  const n = parseNumber(text);
  if (n === null) {
    errors.push({ path, message: `enter ${opts.what ?? 'a number'}` });
    return undefined;
  }
  if (opts.min !== undefined && opts.max !== undefined && (n < opts.min || n > opts.max)) {
    errors.push({ path, message: `must be from ${opts.min} to ${opts.max}` });
    return undefined;
  }
  return n;
}

/** Tidies the day editor and turns it into the API's shape; errors on `settings.businessHours…`. */
function buildHours(hours: HoursModel, errors: Errors): { model: HoursModel; body: BusinessHours | undefined } {
  const base = 'settings.businessHours';
  const days = {} as Record<Weekday, Span[]>;
  for (const d of WEEKDAYS) {
    const spans = hours.days[d].map((s) => ({
      open: parseTime(s.open) ?? s.open.trim(),
      close: parseTime(s.close) ?? s.close.trim(),
    }));
    const readable = spans.every((s) => parseTime(s.open) && parseTime(s.close));
    // Opening order, as the server checks (and numbers) them; a day with an unreadable time stays as typed.
    days[d] = readable ? [...spans].sort((a, b) => minutesOf(a.open) - minutesOf(b.open)) : spans;
  }
  const model: HoursModel = { mode: hours.mode, days };
  if (hours.mode === 'default') return { model, body: undefined };
  if (hours.mode === 'always') return { model, body: undefined };

  const body: BusinessHours = {};
  for (const d of WEEKDAYS) {
    days[d].forEach((s, i) => {
      if (!parseTime(s.open) || !parseTime(s.close))
        errors.push({ path: `${base}.${d}.${i}`, message: 'enter times as HH:MM, e.g. 08:30' });
    });
    if (days[d].length) body[d] = days[d].map((s) => [s.open, s.close]);
  }
  if (Object.keys(body).length === 0)
    errors.push({ path: base, message: 'every day is closed: add opening hours, or pick another option' });
  return { model, body };
}

function buildTargets(targets: TargetsModel, errors: Errors): Targets {
  const out: Targets = {};
  for (const kpi of TARGET_ORDER) {
    const row = targets[kpi];
    const filled = LEVELS.filter((l) => row[l].trim() !== '');
    if (filled.length === 0) continue;
    const unit = TARGET_UNITS[kpi];
    const range =
      unit === 'percent'
        ? { min: 0, max: 100, what: 'a percentage' }
        : unit === 'points'
          ? { min: -100, max: 100, what: 'a number of points' }
          : { min: 0, max: 86_400, what: 'a number of seconds' };
    const t: Partial<Target> = {};
    for (const level of LEVELS) {
      const path = `targets.${kpi}.${level}`;
      if (row[level].trim() === '') {
        errors.push({ path, message: 'fill in target, warn and alert, or none of them' });
        continue;
      }
      const n = number(row[level], path, errors, { required: true, ...range });
      if (n !== undefined) t[level] = unit === 'percent' ? fromPercent(n) : n;
    }
    if (LEVELS.every((l) => t[l] !== undefined)) out[kpi] = t as Target;
  }
  return out;
}

export function buildDefaults(m: DefaultsModel): Built<DefaultsBody, DefaultsModel> {
  const errors: Errors = [];
  const sl = number(m.slThresholdSeconds, 'settings.slThresholdSeconds', errors, { required: true });
  const short = number(m.shortAbandonSeconds, 'settings.shortAbandonSeconds', errors, { required: true });
  const fcr = number(m.fcrHorizonDays, 'settings.fcrHorizonDays', errors, { required: true });
  const timeZone = m.timeZone.trim();
  if (!timeZone) errors.push({ path: 'settings.timeZone', message: 'required' });
  const hours = buildHours(m.hours, errors);
  const targets = buildTargets(m.targets, errors);
  const model = { ...m, timeZone, hours: hours.model };
  if (errors.length) return { model, body: null, errors };
  // PUT replaces the stored defaults: send every setting the form shows, and hours only when there are some.
  const body: DefaultsBody = {
    settings: {
      slThresholdSeconds: sl,
      shortAbandonSeconds: short,
      slVariant: m.slVariant,
      fcrHorizonDays: fcr,
      timeZone,
      ...(hours.body ? { businessHours: hours.body } : {}),
    },
    targets,
  };
  return { model, body, errors };
}

export function buildQueue(m: QueueModel): Built<QueueBody, QueueModel> & { queue: string } {
  const errors: Errors = [];
  const queue = m.queue.trim();
  if (!queue) errors.push({ path: 'queue', message: 'required' });
  const sl = number(m.slThresholdSeconds, 'settings.slThresholdSeconds', errors, { required: false });
  const short = number(m.shortAbandonSeconds, 'settings.shortAbandonSeconds', errors, { required: false });
  const hours = buildHours(m.hours, errors);
  const targets = buildTargets(m.targets, errors);
  const model = { ...m, queue, hours: hours.model };
  if (errors.length) return { queue, model, body: null, errors };
  const allDay = Object.fromEntries(WEEKDAYS.map((d) => [d, [ALL_DAY]])) as BusinessHours;
  const businessHours = m.hours.mode === 'always' ? allDay : hours.body;
  const body: QueueBody = {
    settings: {
      ...(sl === undefined ? {} : { slThresholdSeconds: sl }),
      ...(short === undefined ? {} : { shortAbandonSeconds: short }),
      ...(m.slVariant ? { slVariant: m.slVariant } : {}),
      ...(businessHours ? { businessHours } : {}),
    },
    targets,
  };
  return { queue, model, body, errors };
}

/**
 * The field names a KPI form shows errors next to (the most specific one wins, see formErrors): the
 * settings both forms have, the hours as a whole, each day and each span, each target row and each of
 * its levels, plus the form's own (`queue`; the defaults' `settings.fcrHorizonDays`, `settings.timeZone`).
 */
export function kpiFieldNames(m: { hours: HoursModel }, own: readonly string[]): string[] {
  const hours = WEEKDAYS.flatMap((d) => [
    `settings.businessHours.${d}`,
    ...m.hours.days[d].map((_, i) => `settings.businessHours.${d}.${i}`),
  ]);
  const targets = TARGET_ORDER.flatMap((k) => [`targets.${k}`, ...LEVELS.map((l) => `targets.${k}.${l}`)]);
  // No bare `settings` or `targets`: a message about anything else goes in the form's own line.
  return [
    ...own,
    'settings.slThresholdSeconds',
    'settings.shortAbandonSeconds',
    'settings.slVariant',
    'settings.businessHours',
    ...hours,
    ...targets,
  ];
}
export const DEFAULTS_FIELDS = ['settings.fcrHorizonDays', 'settings.timeZone'] as const;
export const QUEUE_FIELDS = ['queue'] as const;

/** The message for a target row: its own (e.g. the order of the levels) or the first of its levels'. */
export function targetRowError(fields: Record<string, string>, kpi: TargetKpi): string | undefined {
  return fields[`targets.${kpi}`] ?? LEVELS.map((l) => fields[`targets.${kpi}.${l}`]).find(Boolean);
}

// ---------------------------------------------------------------------------------------------------
// Summaries

/** "Mon–Fri 09:00–17:00; Sat 10:00–14:00": days with the same spans grouped, closed days left out. */
export function describeHours(hours: BusinessHours | undefined, i18n: I18n): string {
  const { t } = i18n;
  if (!hours || WEEKDAYS.every((d) => isAllDay(hours[d]))) return t('admin.kpis.hours.always');
  const spansOf = (d: Weekday) => (hours[d] ?? []).map(([o, c]) => `${o}–${c}`);
  const groups: { from: Weekday; to: Weekday; spans: string[] }[] = [];
  for (const d of WEEK) {
    const spans = spansOf(d);
    const last = groups.at(-1);
    if (last && last.spans.join() === spans.join() && WEEK.indexOf(last.to) === WEEK.indexOf(d) - 1) last.to = d;
    else groups.push({ from: d, to: d, spans });
  }
  const open = groups.filter((g) => g.spans.length > 0);
  if (open.length === 0) return t('admin.kpis.hours.closedAllWeek');
  const short = (d: Weekday) => dayName(i18n, d, 'short');
  return open
    .map((g) => {
      const days =
        g.from === g.to ? short(g.from) : t('admin.kpis.hours.dayRange', { from: short(g.from), to: short(g.to) });
      return t('admin.kpis.hours.group', { days, spans: i18n.list(g.spans) });
    })
    .join(t('admin.kpis.hours.groupSeparator'));
}

/** What a queue's own settings change, one phrase each, for the overrides table. */
export function describeOverrides(entry: KpiSettingsView['queues'][string], i18n: I18n): string[] {
  const { t } = i18n;
  const s = entry.settings;
  const out: string[] = [];
  if (s.slThresholdSeconds !== undefined)
    out.push(t('admin.kpis.queues.threshold', { seconds: i18n.count(s.slThresholdSeconds) }));
  if (s.shortAbandonSeconds !== undefined)
    out.push(t('admin.kpis.queues.shortAbandon', { seconds: i18n.count(s.shortAbandonSeconds) }));
  if (s.slVariant !== undefined) out.push(t('admin.kpis.queues.variant', { variant: s.slVariant }));
  if (s.businessHours !== undefined)
    out.push(t('admin.kpis.queues.hours', { hours: describeHours(s.businessHours, i18n) }));
  const targets = TARGET_ORDER.filter((k) => entry.targets[k]);
  if (targets.length) {
    const kpis = i18n.list(targets.map((k) => t(`admin.kpis.kpiNames.${k}`)));
    out.push(t('admin.kpis.queues.targets', { kpis }));
  }
  return out;
}

/** IANA zones this browser knows, for the time-zone field's suggestions. */
export function timeZoneSuggestions(): string[] {
  try {
    return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  } catch {
    return ['UTC'];
  }
}

/** The wall-clock time in a zone now ("Tue 14:05", "周二 14:05"), to check a zone by eye; null if it is not a zone. */
export function localTimeIn(timeZone: string, at: number, locale = 'en-GB'): string | null {
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone: timeZone.trim(),
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(at);
  } catch {
    return null;
  }
}
