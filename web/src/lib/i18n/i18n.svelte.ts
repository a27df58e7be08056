/**
 * The UI's language: messages through i18next (one catalog, plurals by Intl.PluralRules), numbers,
 * percentages, durations and clock times through Intl for the same locale. Created once at the root
 * and passed by context; `locale` is state, so switching it re-renders every string.
 */
import i18next, { type i18n } from 'i18next';
import { getContext, setContext } from 'svelte';
import { DASH, duration } from '../format.ts';
import { CATALOGS, LOCALES, type Locale, type MessageKey } from './catalog.ts';

const KEY = Symbol('i18n');
type Vars = Record<string, string | number>;

export class I18n {
  locale = $state<Locale>('en');
  readonly #i18n: i18n;
  /** Intl formatters cost far more to build than to use, and a wall formats dozens of values a second. */
  // A plain cache: nothing renders from it, so it needs no reactivity (the locale read in the key does).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #formats = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

  constructor(locale: Locale) {
    this.locale = locale;
    this.#i18n = i18next.createInstance();
    // Resources are bundled, so initialisation is synchronous and `t` works at once.
    void this.#i18n.init({
      resources: Object.fromEntries(LOCALES.map((l) => [l, { translation: CATALOGS[l] }])),
      lng: locale,
      fallbackLng: 'en',
      initAsync: false,
      // Svelte escapes text itself; escaping here would show entities.
      interpolation: { escapeValue: false },
    });
  }

  /** A message; `count` picks the plural form where the language has one. */
  t = (key: MessageKey, vars?: Vars): string => this.#i18n.t(key, { ...vars, lng: this.locale }) as string;

  count = (n: number | null | undefined): string => (n === null || n === undefined ? DASH : this.#number().format(n));

  percent = (x: number | null | undefined, digits = 0): string =>
    x === null || x === undefined
      ? DASH
      : this.#number({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);

  /** An amount in a currency ("$1,234.50", "US$1,234.50" in Chinese), whole units when `digits` is 0. */
  money = (x: number | null | undefined, currency: string, digits = 2): string =>
    x === null || x === undefined
      ? DASH
      : this.#number({
          style: 'currency',
          currency,
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(x);

  /** A wait or handle time as m:ss or h:mm:ss: the same in every language. */
  duration = duration;

  /** How long ago, in whole seconds, minutes or hours ("3 sec", "3秒"). */
  age = (ms: number): string => {
    const s = Math.max(0, Math.floor(ms / 1000));
    const [value, unit] =
      s < 60 ? [s, 'second'] : s < 3600 ? [Math.floor(s / 60), 'minute'] : [Math.floor(s / 3600), 'hour'];
    return this.#number({ style: 'unit', unit, unitDisplay: 'short' }).format(value);
  };

  /** A 24-hour clock time in the contact center's zone. */
  clock = (ms: number, timeZone?: string, seconds = true): string =>
    this.#date({
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
      timeZone,
    }).format(ms);

  /** An admin timestamp, date and minute ("Mar 14, 2025, 09:26", "2025年3月14日 09:26"); a dash for never. */
  dateTime = (ms: number | null | undefined): string =>
    ms === null || ms === undefined
      ? DASH
      : this.#date({ dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' }).format(ms);

  /** A day of the week by its number, Sunday 0 as in Date ("Monday", "星期一"; short: "Mon", "周一"). */
  weekday = (day: number, width: 'long' | 'short' = 'long'): string =>
    // 2023-01-01 was a Sunday; read in UTC so the browser's own zone cannot move it a day.
    this.#date({ weekday: width, timeZone: 'UTC' }).format(Date.UTC(2023, 0, 1 + day));

  /** Items in running text, with the language's separator ("sales, billing", "sales、billing"). */
  list = (items: readonly string[]): string => items.join(this.t('desk.listSeparator'));

  /**
   * A message cut at its placeholders, so a page can set the values apart (a name in bold, a path as
   * code) wherever the language puts them. A numeric `count` still picks the plural form.
   */
  parts = (key: MessageKey, vars: Vars): { text: string; name: string | null }[] => {
    const marks = Object.fromEntries(Object.keys(vars).map((name) => [name, `\uE000${name}\uE000`]));
    const text = this.t(key, typeof vars.count === 'number' ? { ...marks, count: vars.count } : marks);
    return text
      .split(/\uE000(\w+)\uE000/)
      .map((s, i) => (i % 2 ? { text: String(vars[s]), name: s } : { text: s, name: null }))
      .filter((p) => p.text !== '');
  };

  /** A rate with fixed decimals ("1.5", "1.5" in Chinese too, but grouped per locale). */
  decimal = (x: number | null | undefined, digits = 1): string =>
    x === null || x === undefined
      ? DASH
      : this.#number({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);

  /** Weekday and date in the contact center's zone, for a wall clock ("Tue 24 Nov", "11月24日周二"). */
  date = (ms: number, timeZone?: string): string =>
    this.#date({ weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(ms);

  #number(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
    return this.#memo(`n ${this.locale} ${JSON.stringify(options)}`, () => new Intl.NumberFormat(this.locale, options));
  }

  #date(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    return this.#memo(
      `d ${this.locale} ${JSON.stringify(options)}`,
      () => new Intl.DateTimeFormat(this.locale, options),
    );
  }

  #memo<F extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => F): F {
    let f = this.#formats.get(key) as F | undefined;
    if (!f) this.#formats.set(key, (f = make()));
    return f;
  }

  static create(locale: Locale): I18n {
    return setContext(KEY, new I18n(locale));
  }

  static get(): I18n {
    return getContext<I18n>(KEY);
  }
}
