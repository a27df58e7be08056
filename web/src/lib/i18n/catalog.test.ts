import { describe, expect, it } from 'vitest';
import { SL_VARIANT_FORMULAS } from '$contract/kpis.ts';
import { CATALOGS, LOCALES, parseLocale, pickLocale } from './catalog.ts';
import { I18n } from './i18n.svelte.ts';
import { deskEn } from './messages/desk/en.ts';
import { en } from './messages/en.ts';

/** Every message as [dotted key, text]. */
function flatten(tree: object, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : flatten(v as object, `${prefix}${k}.`),
  );
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('the message catalog', () => {
  it('has every English message in every language, with the same placeholders and no empty text', () => {
    const english = new Map(flatten(CATALOGS.en));
    for (const locale of LOCALES) {
      const messages = new Map(flatten(CATALOGS[locale]));
      for (const [key, text] of english) {
        // English's singular forms are optional where a language has no plural.
        const own = messages.get(key) ?? (key.endsWith('_one') ? undefined : null);
        if (own === undefined) continue;
        expect(own, `${locale} ${key}`).not.toBeNull();
        expect(own!.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(own!), `${locale} ${key}`).toEqual(placeholders(text));
      }
      expect(
        [...messages.keys()].filter((k) => !english.has(k)),
        locale,
      ).toEqual([]);
    }
  });

  it("keeps the desk pages' messages whole: no wall key of the same name replaces them", () => {
    for (const [key, messages] of Object.entries(deskEn)) expect(en[key as keyof typeof en], key).toBe(messages);
    // The service-level formulas are the contract's, which the API and the docs print too.
    expect(en.admin.kpis.variantFormulas).toEqual(SL_VARIANT_FORMULAS);
  });

  it('reads language tags as people and browsers write them', () => {
    expect(parseLocale('zh-CN')).toBe('zh-CN');
    expect(parseLocale('zh_hans_SG')).toBe('zh-CN');
    expect(parseLocale('ZH')).toBe('zh-CN');
    expect(parseLocale('zh-Hant')).toBe('zh-TW');
    expect(parseLocale('zh-HK')).toBe('zh-TW');
    expect(parseLocale('en-GB')).toBe('en');
    expect(parseLocale('fr')).toBeNull();
    expect(parseLocale('')).toBeNull();
  });

  it("takes the address's language first, then the browser's, then English", () => {
    expect(pickLocale('zh-TW', ['en-US'])).toBe('zh-TW');
    expect(pickLocale('klingon', ['fr-FR', 'zh-HK', 'en'])).toBe('zh-TW');
    expect(pickLocale(null, ['fr-FR', 'de'])).toBe('en');
  });
});

describe('I18n', () => {
  it('fills placeholders, picks plural forms, and formats numbers per language', () => {
    const en = new I18n('en');
    expect(en.t('detail.abandoned', { count: 1 })).toBe('1 contact');
    expect(en.t('detail.abandoned', { count: 3 })).toBe('3 contacts');
    expect(en.t('wall.splitSummary', { contacts: en.count(12345) })).toBe('today · 12,345 contacts');
    expect(en.percent(0.775, 1)).toBe('77.5%');
    expect(en.percent(null)).toBe('—');
    expect(en.duration(3725)).toBe('1:02:05');

    const zh = new I18n('zh-CN');
    expect(zh.t('detail.abandoned', { count: 1 })).toBe('1 个联系');
    expect(zh.t('status.bad')).toBe('告警');
    expect(zh.age(42_000)).toMatch(/^42\s?秒$/);
    expect(new I18n('zh-TW').t('kpi.serviceLevel')).toBe('服務水準');
  });

  it('formats admin timestamps, days and lists, and sets values apart in a message', () => {
    const at = Date.UTC(2025, 2, 14, 9, 26);
    const local = new Date(at);
    const zh = new I18n('zh-CN');
    expect(zh.dateTime(at)).toBe(`2025年3月14日 ${String(local.getHours()).padStart(2, '0')}:26`);
    expect(zh.dateTime(null)).toBe('—');
    expect(new I18n('en').weekday(1)).toBe('Monday');
    expect(new I18n('zh-TW').weekday(0, 'short')).toBe('週日');
    expect(new I18n('en').list(['sales', 'billing'])).toBe('sales, billing');
    expect(zh.list(['sales', 'billing'])).toBe('sales、billing');
    expect(zh.parts('home.deniedUser', { username: 'ana', path: '/admin' })).toEqual([
      { text: '您的账号（', name: null },
      { text: 'ana', name: 'username' },
      { text: '）无权访问 ', name: null },
      { text: '/admin', name: 'path' },
      { text: '。请向管理员申请所需的角色。', name: null },
    ]);
    // A count still picks the plural form, and reads as part of the text.
    expect(new I18n('en').parts('admin.users.signedOut', { name: 'ana', count: 1 })).toEqual([
      { text: 'Signed ', name: null },
      { text: 'ana', name: 'name' },
      { text: ' out of 1 session.', name: null },
    ]);
  });

  it('switches every message when the locale changes', () => {
    const i18n = new I18n('en');
    expect(i18n.t('kpi.waiting')).toBe('Waiting');
    i18n.locale = 'zh-TW';
    expect(i18n.t('kpi.waiting')).toBe('排隊中');
    expect(i18n.clock(Date.UTC(2026, 10, 24, 13, 5, 9), 'Asia/Taipei')).toBe('21:05:09');
  });
});
