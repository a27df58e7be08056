/**
 * Formatting that does not depend on the language: durations as clock times and admin timestamps.
 * Numbers, percentages and ages are per locale: see i18n/i18n.svelte.ts.
 */
export const DASH = '—';

/** 75 -> "1:15", 3725 -> "1:02:05": the same in every language, and narrow on a tile. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Epoch ms as local "2025-03-14 09:26" for admin tables; an em dash for never. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
