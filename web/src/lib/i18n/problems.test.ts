import { describe, expect, it } from 'vitest';
import { displayCreateRequest, keyCreateRequest, passwordChangeRequest, userCreateRequest } from '$contract/auth.ts';
import { kpiDefaultsUpdate, kpiSettingsUpdate } from '$contract/kpi-settings.ts';
import { WEEKDAYS } from '$contract/kpis.ts';
import { FormAction } from '$lib/admin/form-action.svelte.ts';
import { buildDefaults, defaultsModel } from '$lib/admin/kpi-form.ts';
import { ApiError } from '$lib/api/api.ts';
import type { z } from 'zod';
import { I18n } from './i18n.svelte.ts';
import { errorText, fieldText, knownField, wording } from './problems.ts';

/** Every message a schema gives for this input. */
function messages(schema: z.ZodType, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
}

describe('field messages', () => {
  it("knows every message the contract's schemas give for the desk's forms", () => {
    const all = [
      ...messages(userCreateRequest, {
        username: 'x',
        password: 'short',
        roles: [],
        displayName: ' ',
        scopeQueues: Array.from({ length: 201 }, (_, i) => `q${i}`),
      }),
      ...messages(userCreateRequest, {
        username: 5,
        password: 'p'.repeat(300),
        roles: ['boss'],
        displayName: 'd'.repeat(101),
        scopeTeams: ['t'.repeat(300)],
      }),
      ...messages(keyCreateRequest, { name: '' }),
      ...messages(displayCreateRequest, { name: 'Floor 2', board: 'kitchen' }),
      ...messages(passwordChangeRequest, { currentPassword: 'x', newPassword: 'short' }),
      ...messages(kpiDefaultsUpdate, {
        settings: {
          slThresholdSeconds: 0,
          shortAbandonSeconds: 700,
          fcrHorizonDays: 100,
          timeZone: 'Mars/Olympus',
          slVariant: 'fastest',
          businessHours: {
            mon: [['09:10', '08:00']],
            tue: [['17:00', '09:00']],
            wed: [
              ['09:00', '12:00'],
              ['11:00', '13:00'],
            ],
            thu: Array.from({ length: 9 }, () => ['09:00', '10:00']),
          },
        },
        targets: {
          asaSeconds: { target: 10, warn: 5, alert: 20 },
          serviceLevel: { target: 0.5, warn: 0.8, alert: 0.9 },
        },
      }),
      ...messages(kpiSettingsUpdate, { settings: { slThresholdSeconds: 'twenty' } }),
    ];
    expect(all.length).toBeGreaterThan(20);
    expect(all.filter((m) => !knownField(m))).toEqual([]);
  });

  it('knows every message the KPI forms give before anything is sent', () => {
    const m = defaultsModel({
      defaults: { slThresholdSeconds: 20, shortAbandonSeconds: 5, slVariant: 'exits', timeZone: 'UTC', targets: {} },
      queues: {},
    });
    m.slThresholdSeconds = '';
    m.shortAbandonSeconds = 'five';
    m.hours.mode = 'weekly';
    m.hours.days.wed = [{ open: '9', close: 'late' }];
    m.targets.csat = { target: '85', warn: '', alert: '' };
    m.targets.serviceLevel = { target: '80', warn: '170', alert: 'x' };
    m.targets.nps = { target: 'y', warn: '0', alert: '-200' };
    m.targets.asaSeconds = { target: 'z', warn: '1', alert: '2' };
    const typed = buildDefaults(m).errors.map((e) => e.message);
    for (const d of WEEKDAYS) m.hours.days[d] = [];
    const closed = buildDefaults(m).errors.map((e) => e.message);
    const all = [...typed, ...closed, 'does not match the password', 'does not match the new password'];
    expect(new Set(all).size).toBeGreaterThan(8);
    expect(all.filter((message) => !knownField(message))).toEqual([]);
  });

  it('translates what it knows and passes on what it does not', () => {
    const zh = new I18n('zh-CN');
    expect(fieldText(zh, 'must be at least 10 characters')).toBe('至少 10 个字符');
    expect(fieldText(zh, 'username "ana" is taken')).toBe('用户名“ana”已被占用');
    expect(fieldText(new I18n('zh-TW'), 'must be from -100 to 100')).toBe('須介於 -100 到 100 之間');
    expect(fieldText(zh, 'Too big: expected number to be <=600')).toBe('不能大于 600');
    expect(fieldText(zh, 'something new on the server')).toBe('something new on the server');
  });
});

describe('errors', () => {
  const zh = new I18n('zh-CN');

  it('words a failure by its code, with the wait of a throttled one', () => {
    expect(errorText(zh, new ApiError(401, 'login_failed', 'username or password is incorrect'))).toBe(
      '用户名或密码错误。',
    );
    expect(errorText(zh, new ApiError(429, 'too_many_requests', 'slow down', [], 42))).toBe(
      '尝试次数过多。请在 42 秒后重试。',
    );
    expect(errorText(new I18n('en'), new ApiError(429, 'too_many_requests', 'slow down', [], 1))).toBe(
      'Too many attempts. Try again in 1 second.',
    );
    expect(errorText(zh, new ApiError(0, 'network', 'cannot reach'))).toMatch(/^无法连接 Tandem 服务器/);
    expect(errorText(zh, new ApiError(502, 'http_502', 'the server answered 502'))).toMatch(/^服务器出错/);
  });

  it("names a refused form's fields, and leaves unknown failures in the server's words", () => {
    const refused = new ApiError(400, 'bad_request', 'invalid request', [
      { path: 'name', message: 'must not be empty' },
    ]);
    expect(errorText(zh, refused)).toBe('name: 不能为空');
    const lastAdmin = new ApiError(409, 'conflict', 'this is the last active admin: make another admin first', [
      { path: 'roles', message: 'this is the last active admin: make another admin first' },
    ]);
    expect(errorText(zh, lastAdmin)).toBe('这是最后一个有效的管理员：请先设置另一位管理员');
    expect(errorText(zh, new ApiError(400, 'bad_request', 'body is not valid JSON'))).toBe('body is not valid JSON');
    expect(errorText(zh, new Error('boom'))).toBe('boom');
  });

  it("keeps a form's messages in step with the page's language", async () => {
    const i18n = new I18n('en');
    const form = new FormAction(['password'], wording(i18n));
    await form.run(async () => {
      throw new ApiError(400, 'bad_request', 'invalid request', [
        { path: 'password', message: 'must be at least 10 characters' },
        { path: 'board', message: 'Invalid option: expected one of "overview"|"agents"' },
      ]);
    });
    expect(form.fields).toEqual({ password: 'must be at least 10 characters' });
    expect(form.error).toBe('board: is not one of the choices');
    i18n.locale = 'zh-TW';
    expect(form.fields).toEqual({ password: '至少 10 個字元' });
    expect(form.error).toBe('board: 不是可選的值');
    form.reject([{ path: 'confirm', message: 'does not match the password' }]);
    expect(form.fields).toEqual({ confirm: '與密碼不一致' });
    expect(form.error).toBeNull();
  });
});
