/** Number formatting for the wall: short, fixed-width where possible, an em dash when unknown. */
export const DASH = '—';

export function percent(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined ? DASH : `${(x * 100).toFixed(digits)}%`;
}

/** 75 -> "1:15", 3725 -> "1:02:05". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? DASH : n.toLocaleString('en-US');
}

export function score(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? DASH : x.toFixed(digits);
}

/** "updated 3 s ago" style ages. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h`;
}

/** Epoch ms as local "2025-03-14 09:26" for admin tables; an em dash for never. */
export function dateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return DASH;
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
