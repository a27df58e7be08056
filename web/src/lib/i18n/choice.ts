/**
 * The language someone picked on a desk page, remembered in this browser so that the next visit
 * without ?lang= opens in it. The address still wins: a shared link or a TV's bookmark says what it
 * wants. A wall without ?lang= takes the remembered choice as the browser's first preference.
 */
import { parseLocale, pickLocale, type Locale } from './catalog.ts';

const STORAGE_KEY = 'tandem.lang';

export function storedLocale(): Locale | null {
  try {
    return parseLocale(localStorage.getItem(STORAGE_KEY));
  } catch {
    // Storage blocked (a policy, some private modes): the address and the browser decide.
    return null;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // As above; the choice still lasts as long as the address carries it.
  }
}

/** The languages this browser prefers, the one picked here first. */
export function preferredLocales(): string[] {
  const stored = storedLocale();
  return stored ? [stored, ...navigator.languages] : [...navigator.languages];
}

/** The language a page opens in when its address does not say. */
export function defaultLocale(): Locale {
  return pickLocale(null, preferredLocales());
}

/** `url` with `lang` set to `locale`, everything else as it was. */
export function withLang(url: string | URL, locale: Locale): URL {
  const next = new URL(url);
  next.searchParams.set('lang', locale);
  return next;
}
