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
  readonly #number = $derived(new Intl.NumberFormat(this.locale));
  readonly #seconds = $derived(
    new Intl.NumberFormat(this.locale, { style: 'unit', unit: 'second', unitDisplay: 'short' }),
  );
  readonly #minutes = $derived(
    new Intl.NumberFormat(this.locale, { style: 'unit', unit: 'minute', unitDisplay: 'short' }),
  );
  readonly #hours = $derived(new Intl.NumberFormat(this.locale, { style: 'unit', unit: 'hour', unitDisplay: 'short' }));

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

  count = (n: number | null | undefined): string => (n === null || n === undefined ? DASH : this.#number.format(n));

  percent = (x: number | null | undefined, digits = 0): string =>
    x === null || x === undefined
      ? DASH
      : new Intl.NumberFormat(this.locale, {
          style: 'percent',
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(x);

  /** A wait or handle time as m:ss or h:mm:ss: the same in every language. */
  duration = duration;

  /** How long ago, in whole seconds, minutes or hours ("3 sec", "3秒"). */
  age = (ms: number): string => {
    const s = Math.max(0, Math.floor(ms / 1000));
    if (s < 60) return this.#seconds.format(s);
    if (s < 3600) return this.#minutes.format(Math.floor(s / 60));
    return this.#hours.format(Math.floor(s / 3600));
  };

  /** A 24-hour clock time in the contact center's zone. */
  clock = (ms: number, timeZone?: string, seconds = true): string =>
    new Intl.DateTimeFormat(this.locale, {
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hourCycle: 'h23',
      timeZone,
    }).format(ms);

  static create(locale: Locale): I18n {
    return setContext(KEY, new I18n(locale));
  }

  static get(): I18n {
    return getContext<I18n>(KEY);
  }
}
