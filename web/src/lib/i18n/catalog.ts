/**
 * The message catalog's shape and languages. English (messages/en.ts) is the source; every other
 * language must have the same keys, which the `Messages` type enforces at compile time, so a missing
 * translation is a type error rather than English on a Chinese wall.
 */
import { en } from './messages/en.ts';
import { zhCN } from './messages/zh-cn.ts';
import { zhTW } from './messages/zh-tw.ts';

export const LOCALES = ['en', 'zh-CN', 'zh-TW'] as const;
export type Locale = (typeof LOCALES)[number];

/** Each language's own name, for a language picker. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文' };

type Source = typeof en;
/** The source's shape with string values; English's `_one` forms are optional (Chinese has no plural). */
export type Messages = Translation<Source>;
type Translation<T> = {
  [K in keyof T as K extends `${string}_one` ? never : K]: T[K] extends string ? string : Translation<T[K]>;
} & { [K in keyof T as K extends `${string}_one` ? K : never]?: string };

/** Every message's dotted key; plural forms by their stem (`reasons.more`, given a `count`). */
export type MessageKey = Keys<Source>;
type Keys<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K extends `${infer Stem}_${'one' | 'other'}` ? Stem : K}`
    : Keys<T[K], `${P}${K}.`>;
}[keyof T & string];

export const CATALOGS: Record<Locale, Messages> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW };

/**
 * The language a tag asks for, if we speak it: "zh", "zh-Hans", "zh-SG" → simplified; "zh-Hant",
 * "zh-HK", "zh-MO" → traditional; any English → English. Case does not matter.
 */
export function parseLocale(tag: string | null | undefined): Locale | null {
  if (!tag) return null;
  const t = tag.trim().toLowerCase().replaceAll('_', '-');
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t === 'zh' || t.startsWith('zh-')) {
    return /^zh-(hant|tw|hk|mo)\b/.test(t) ? 'zh-TW' : 'zh-CN';
  }
  return null;
}

/** The URL's `lang` first (a TV's bookmark decides), then the browser's preferences, then English. */
export function pickLocale(param: string | null, preferred: readonly string[]): Locale {
  return parseLocale(param) ?? preferred.map(parseLocale).find((l) => l !== null) ?? 'en';
}
