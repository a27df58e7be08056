/**
 * Where to send someone after they sign in. `?next=` comes from the URL, so anyone can craft it:
 * only a path on this site is followed, never `//host`, `/\host` or anything a browser would read
 * as another origin; otherwise people land on the page their roles are for.
 */
import type { Me } from '$contract/auth.ts';

const PROBE_ORIGIN = 'http://tandem.invalid';

export function safeNext(next: string | null | undefined): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return null;
  // Browsers treat a backslash as a slash and drop tabs and newlines, so `/\evil` or `/\t/evil` is `//evil`.
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return null;
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  // Back to the sign-in or setup page would be a loop.
  if (url.pathname === '/login' || url.pathname.startsWith('/setup')) return null;
  return url.pathname + url.search + url.hash;
}

/** The page a person's roles are for. */
export function homeFor(me: Me): string {
  if (me.kind !== 'user') return '/';
  if (me.capabilities.includes('admin')) return '/admin';
  if (me.capabilities.includes('live:read')) return '/wall';
  return '/';
}

export function afterSignIn(next: string | null | undefined, me: Me): string {
  return safeNext(next) ?? homeFor(me);
}
