import { describe, expect, it } from 'vitest';
import { TARGET_DIRECTIONS, type KpiSettingsView } from '$contract/kpi-settings.ts';
import { WEEKDAYS } from '$contract/kpis.ts';
import { ApiError, formErrors } from '$lib/api/api.ts';
import { I18n } from '$lib/i18n/i18n.svelte.ts';
import {
  DEFAULTS_FIELDS,
  QUEUE_FIELDS,
  TARGET_ORDER,
  buildDefaults,
  buildQueue,
  copyDay,
  defaultsModel,
  describeHours,
  describeOverrides,
  fromPercent,
  kpiFieldNames,
  localTimeIn,
  parseNumber,
  parseTime,
  queueModel,
  targetRowError,
  toPercent,
  withNewSpan,
  type DefaultsModel,
} from './kpi-form.ts';

const en = new I18n('en');

function view(
  over: Partial<KpiSettingsView['defaults']> = {},
  queues: KpiSettingsView['queues'] = {},
): KpiSettingsView {
  return {
    defaults: {
      slThresholdSeconds: 20,
      shortAbandonSeconds: 5,
      slVariant: 'exits',
      timeZone: 'Asia/Shanghai',
      targets: {
        serviceLevel: { target: 0.8, warn: 0.7, alert: 0.6 },
        asaSeconds: { target: 30, warn: 60, alert: 120 },
        abandonRate: { target: 0.05, warn: 0.08, alert: 0.12 },
      },
      ...over,
    },
    queues,
  };
}

const model = (over: Partial<KpiSettingsView['defaults']> = {}): DefaultsModel => defaultsModel(view(over));

describe('numbers and times as typed', () => {
  it('reads numbers the way people type them, and nothing else', () => {
    expect(parseNumber('80')).toBe(80);
    expect(parseNumber(' 5.5 ')).toBe(5.5);
    expect(parseNumber('5,5')).toBe(5.5);
    expect(parseNumber('80 %')).toBe(80);
    expect(parseNumber('30s')).toBe(30);
    expect(parseNumber('30 秒')).toBe(30);
    expect(parseNumber('-20')).toBe(-20);
    for (const bad of ['', ' ', 'abc', '0x10', '1e3', '8 0', '5,5,5']) expect(parseNumber(bad), bad).toBeNull();
  });

  it('turns fractions into percentages and back without binary noise', () => {
    expect(toPercent(0.8)).toBe(80);
    expect(toPercent(0.07)).toBe(7); // 0.07 * 100 is 7.000000000000001
    expect(toPercent(0.055)).toBe(5.5);
    expect(fromPercent(80)).toBe(0.8);
    expect(fromPercent(33.3)).toBe(0.333);
    for (const f of [0, 0.01, 0.05, 0.12, 0.29, 0.575, 0.85, 0.999, 1]) expect(fromPercent(toPercent(f))).toBe(f);
  });

  it('reads times of day as HH:MM, up to 24:00', () => {
    expect(parseTime('9')).toBe('09:00');
    expect(parseTime('9:30')).toBe('09:30');
    expect(parseTime('0930')).toBe('09:30');
    expect(parseTime('17.45')).toBe('17:45');
    expect(parseTime('24:00')).toBe('24:00');
    expect(parseTime('09:10')).toBe('09:10'); // not a quarter hour: the server says so, by field
    for (const bad of ['', 'noon', '25:00', '24:15', '9:5', '09:60', '-1']) expect(parseTime(bad), bad).toBeNull();
  });
});

describe('the defaults form', () => {
  it('shows rates in percent and sends them back as the fractions they were', () => {
    const m = model();
    expect(m.targets.serviceLevel).toEqual({ target: '80', warn: '70', alert: '60' });
    expect(m.targets.asaSeconds).toEqual({ target: '30', warn: '60', alert: '120' });
    expect(m.targets.nps).toEqual({ target: '', warn: '', alert: '' });
    const { body, errors } = buildDefaults(m);
    expect(errors).toEqual([]);
    expect(body!.targets).toEqual(view().defaults.targets);
  });

  it('sends every setting it shows, since the server replaces the stored defaults', () => {
    const { body } = buildDefaults(model());
    expect(body!.settings).toEqual({
      slThresholdSeconds: 20,
      shortAbandonSeconds: 5,
      slVariant: 'exits',
      fcrHorizonDays: 7,
      timeZone: 'Asia/Shanghai',
    });
  });

  it('sends no hours when open around the clock, and the spans of open days otherwise', () => {
    const m = model();
    expect(m.hours.mode).toBe('always');
    expect(buildDefaults(m).body!.settings!.businessHours).toBeUndefined();

    m.hours.mode = 'weekly';
    m.hours.days = copyDay(m.hours.days, 'mon', []);
    m.hours.days.sat = [{ open: '10', close: '14:00' }];
    const hours = buildDefaults(m).body!.settings!.businessHours;
    expect(hours).toEqual({
      mon: [['09:00', '17:00']],
      tue: [['09:00', '17:00']],
      wed: [['09:00', '17:00']],
      thu: [['09:00', '17:00']],
      fri: [['09:00', '17:00']],
      sat: [['10:00', '14:00']],
    });
  });

  it('reads stored hours back as they were sent', () => {
    const businessHours = {
      mon: [
        ['08:30', '12:00'],
        ['13:00', '18:00'],
      ] as [string, string][],
      sun: [['00:00', '24:00']] as [string, string][],
    };
    const m = model({ businessHours });
    expect(m.hours.mode).toBe('weekly');
    expect(m.hours.days.tue).toEqual([]);
    expect(buildDefaults(m).body!.settings!.businessHours).toEqual(businessHours);
  });

  it('puts spans in opening order, in the form too, so the server’s span numbers match the screen', () => {
    const m = model();
    m.hours.mode = 'weekly';
    m.hours.days.mon = [
      { open: '13:00', close: '18:00' },
      { open: '8:30', close: '1200' },
    ];
    const built = buildDefaults(m);
    expect(built.body!.settings!.businessHours!.mon).toEqual([
      ['08:30', '12:00'],
      ['13:00', '18:00'],
    ]);
    expect(built.model.hours.days.mon).toEqual([
      { open: '08:30', close: '12:00' },
      { open: '13:00', close: '18:00' },
    ]);
    // The input is left as it was.
    expect(m.hours.days.mon[0]!.open).toBe('13:00');
  });

  it('names the fields it cannot read, with the paths the server would use', () => {
    const m = model();
    m.slThresholdSeconds = '';
    m.shortAbandonSeconds = 'five';
    m.timeZone = ' ';
    m.hours.mode = 'weekly';
    m.hours.days.wed = [{ open: '9', close: 'late' }];
    m.targets.csat = { target: '85', warn: '', alert: '' };
    m.targets.serviceLevel.warn = '170';
    m.targets.nps = { target: '20', warn: '0', alert: '-200' };
    const { body, errors } = buildDefaults(m);
    expect(body).toBeNull();
    expect(Object.fromEntries(errors.map((e) => [e.path, e.message]))).toEqual({
      'settings.slThresholdSeconds': 'required',
      'settings.shortAbandonSeconds': 'enter a number',
      'settings.timeZone': 'required',
      'settings.businessHours.wed.0': 'enter times as HH:MM, e.g. 08:30',
      'targets.serviceLevel.warn': 'must be from 0 to 100',
      'targets.csat.warn': 'fill in target, warn and alert, or none of them',
      'targets.csat.alert': 'fill in target, warn and alert, or none of them',
      'targets.nps.alert': 'must be from -100 to 100',
    });
  });

  it('will not save a week that is closed every day', () => {
    const m = model();
    m.hours.mode = 'weekly';
    for (const d of WEEKDAYS) m.hours.days[d] = [];
    expect(buildDefaults(m).errors.map((e) => e.path)).toEqual(['settings.businessHours']);
  });

  it('shows the server’s errors next to the span, the target row and the setting they are about', () => {
    const m = model();
    m.hours.mode = 'weekly';
    m.hours.days.mon = [{ open: '09:00', close: '08:00' }];
    m.hours.days.fri = [{ open: '09:10', close: '17:00' }];
    const fields = kpiFieldNames(m, DEFAULTS_FIELDS);
    const err = new ApiError(400, 'bad_request', 'invalid request', [
      { path: 'settings.businessHours.mon.0', message: 'must close after it opens' },
      { path: 'settings.businessHours.fri.0.0', message: 'must be a time "HH:MM" on a quarter hour' },
      { path: 'settings.timeZone', message: 'must be an IANA time zone' },
      { path: 'targets.asaSeconds', message: 'lower is better here: need alert >= warn >= target' },
      { path: 'content-type', message: 'must be application/json' },
    ]);
    const { fields: shown, message } = formErrors(err, fields);
    expect(shown).toEqual({
      'settings.businessHours.mon.0': 'must close after it opens',
      'settings.businessHours.fri.0': 'must be a time "HH:MM" on a quarter hour',
      'settings.timeZone': 'must be an IANA time zone',
      'targets.asaSeconds': 'lower is better here: need alert >= warn >= target',
    });
    expect(message).toBe('content-type: must be application/json');
    expect(targetRowError(shown, 'asaSeconds')).toMatch(/lower is better/);
    expect(targetRowError({ 'targets.csat.alert': 'required' }, 'csat')).toBe('required');
    expect(targetRowError(shown, 'csat')).toBeUndefined();
    // The queue form has no time zone: that message goes in the form's line instead.
    expect(formErrors(err, kpiFieldNames(m, QUEUE_FIELDS)).message).toContain('settings: must be an IANA time zone');
  });

  it('has a row for every KPI that can carry a target', () => {
    expect([...TARGET_ORDER].sort()).toEqual(Object.keys(TARGET_DIRECTIONS).sort());
  });
});

describe('a queue’s overrides', () => {
  it('sends only what the queue sets; empty fields follow the defaults', () => {
    const m = queueModel(view(), null);
    expect(m.hours.mode).toBe('default');
    m.queue = ' sales ';
    m.slThresholdSeconds = '30';
    const built = buildQueue(m);
    expect(built.queue).toBe('sales');
    expect(built.body).toEqual({ settings: { slThresholdSeconds: 30 }, targets: {} });
  });

  it('starts a queue’s own hours from the defaults’ hours', () => {
    const withHours = view({ businessHours: { sat: [['10:00', '14:00']] } });
    const m = queueModel(withHours, null);
    expect(m.hours.mode).toBe('default');
    expect(m.hours.days.sat).toEqual([{ open: '10:00', close: '14:00' }]);
    expect(m.hours.days.mon).toEqual([]);
    // With no default hours: office hours, Monday to Friday.
    expect(queueModel(view(), null).hours.days.mon).toEqual([{ open: '09:00', close: '17:00' }]);
    expect(queueModel(view(), null).hours.days.sun).toEqual([]);
  });

  it('needs a queue name', () => {
    expect(buildQueue(queueModel(view(), null)).errors).toEqual([{ path: 'queue', message: 'required' }]);
  });

  it('keeps "around the clock" as every day 00:00–24:00, since no hours means the defaults’ hours', () => {
    const m = queueModel(view({ businessHours: { mon: [['09:00', '17:00']] } }), null);
    m.queue = 'vip';
    m.hours.mode = 'always';
    m.slVariant = 'answeredOnly';
    m.targets.serviceLevel = { target: '90', warn: '85', alert: '75' };
    const body = buildQueue(m).body!;
    expect(body.settings!.slVariant).toBe('answeredOnly');
    expect(Object.keys(body.settings!.businessHours!).sort()).toEqual([...WEEKDAYS].sort());
    expect(body.settings!.businessHours!.sun).toEqual([['00:00', '24:00']]);
    expect(body.targets).toEqual({ serviceLevel: { target: 0.9, warn: 0.85, alert: 0.75 } });

    const stored = view({}, { vip: { settings: body.settings as never, targets: body.targets! } });
    const back = queueModel(stored, 'vip');
    expect(back.hours.mode).toBe('always');
    expect(back.slVariant).toBe('answeredOnly');
    expect(back.slThresholdSeconds).toBe('');
    expect(back.targets.serviceLevel).toEqual({ target: '90', warn: '85', alert: '75' });
    expect(describeOverrides(stored.queues.vip!, en)).toEqual([
      'variant answeredOnly',
      'hours: open around the clock',
      'targets: Service level',
    ]);
  });
});

describe('summaries', () => {
  it('groups days with the same hours and leaves closed days out', () => {
    const nine = [['09:00', '17:00']] as [string, string][];
    expect(describeHours(undefined, en)).toBe('open around the clock');
    expect(describeHours({}, en)).toBe('closed all week');
    expect(
      describeHours({ mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [['10:00', '14:00']] }, en),
    ).toBe('Mon–Fri 09:00–17:00; Sat 10:00–14:00');
    expect(
      describeHours(
        {
          mon: [
            ['08:30', '12:00'],
            ['13:00', '18:00'],
          ],
          wed: nine,
          sun: nine,
        },
        en,
      ),
    ).toBe('Mon 08:30–12:00, 13:00–18:00; Wed 09:00–17:00; Sun 09:00–17:00');
  });

  it('says what a queue overrides', () => {
    expect(
      describeOverrides(
        {
          settings: { slThresholdSeconds: 30, shortAbandonSeconds: 3, businessHours: { sat: [['10:00', '14:00']] } },
          targets: { asaSeconds: { target: 20, warn: 40, alert: 90 }, csat: { target: 0.9, warn: 0.8, alert: 0.7 } },
        },
        en,
      ),
    ).toEqual([
      'threshold 30 s',
      'short abandon 3 s',
      'hours: Sat 10:00–14:00',
      'targets: Average speed of answer, CSAT (4 or 5 of 5)',
    ]);
    expect(describeOverrides({ settings: {}, targets: {} }, en)).toEqual([]);
  });

  it('says it in the page’s language, with its own day names and separators', () => {
    const nine = [['09:00', '17:00']] as [string, string][];
    const week = { mon: nine, tue: nine, wed: nine, thu: nine, fri: nine, sat: [['10:00', '14:00']] as typeof nine };
    expect(describeHours(week, new I18n('zh-CN'))).toBe('周一至周五 09:00–17:00；周六 10:00–14:00');
    expect(describeHours(week, new I18n('zh-TW'))).toBe('週一至週五 09:00–17:00；週六 10:00–14:00');
    expect(
      describeOverrides(
        {
          settings: { slThresholdSeconds: 30 },
          targets: { asaSeconds: { target: 20, warn: 40, alert: 90 }, nps: { target: 30, warn: 10, alert: 0 } },
        },
        new I18n('zh-CN'),
      ),
    ).toEqual(['阈值 30 秒', '目标：平均应答时长、NPS']);
  });

  it('copies a day without sharing its spans, and adds a span sensibly', () => {
    const days = queueModel(view(), null).hours.days;
    days.mon = [{ open: '08:00', close: '20:00' }];
    const copied = copyDay(days, 'mon', ['tue', 'sat']);
    expect(copied.sat).toEqual([{ open: '08:00', close: '20:00' }]);
    copied.sat[0]!.open = '10:00';
    expect(copied.mon[0]!.open).toBe('08:00');
    expect(withNewSpan([])).toEqual([{ open: '09:00', close: '17:00' }]);
    expect(withNewSpan(copied.mon)).toHaveLength(2);
  });

  it('tells the time in a zone, or that it is not one', () => {
    const at = Date.UTC(2025, 0, 6, 12, 5); // a Monday
    expect(localTimeIn('Asia/Shanghai', at)).toBe('Mon 20:05');
    expect(localTimeIn('UTC', at)).toBe('Mon 12:05');
    expect(localTimeIn('Asia/Taipei', at, 'zh-TW')).toMatch(/^週一\s?20:05$/);
    expect(localTimeIn('Mars/Olympus', at)).toBeNull();
    expect(localTimeIn('', at)).toBeNull();
  });
});
