/**
 * Who is using this browser, as the server sees it (GET /api/auth/me), shared by context from the
 * root layout. The cookie itself is HttpOnly: the client only ever knows what /me says.
 */
import type { Capability, Me } from '$contract/auth.ts';
import { api, ApiError, type Method } from '$lib/api/api.ts';
import { getContext, setContext } from 'svelte';

const KEY = Symbol('session');
const SIGNED_OUT: Me = { kind: 'anonymous', setupRequired: false };

export class Session {
  /** null until the first answer from the server. */
  me = $state<Me | null>(null);
  /**
   * Why /me could not be loaded (server unreachable), as thrown, for the page to word in its language;
   * cleared by the next successful load.
   */
  failure = $state<unknown>(null);
  user = $derived(this.me?.kind === 'user' ? this.me : null);

  #loading: Promise<Me> | null = null;

  static create(): Session {
    return setContext(KEY, new Session());
  }

  static get(): Session {
    return getContext<Session>(KEY);
  }

  can(capability: Capability): boolean {
    return this.me !== null && this.me.kind !== 'anonymous' && this.me.capabilities.includes(capability);
  }

  /** Asks the server again; concurrent callers share one request. */
  load(): Promise<Me> {
    this.#loading ??= api<Me>('/api/auth/me')
      .then((me) => {
        this.me = me;
        this.failure = null;
        return me;
      })
      .catch((err: unknown) => {
        this.failure = err;
        throw err;
      })
      .finally(() => (this.#loading = null));
    return this.#loading;
  }

  async signIn(username: string, password: string): Promise<Me> {
    this.me = await api<Me>('/api/auth/login', 'POST', { username, password });
    return this.me;
  }

  /** After the first-run setup created the admin and signed them in. */
  signedIn(me: Me): void {
    this.me = me;
  }

  async signOut(): Promise<void> {
    await api('/api/auth/logout', 'POST');
    this.me = SIGNED_OUT;
  }

  async signOutEverywhere(): Promise<number> {
    const { sessionsEnded } = await api<{ sessionsEnded: number }>('/api/auth/logout-everywhere', 'POST');
    this.me = SIGNED_OUT;
    return sessionsEnded;
  }

  /**
   * A call made as this user; a 401 means the session ended elsewhere (expired, signed out, account
   * changed), so the pages that watch `me` send the person to sign in again.
   */
  async request<T>(path: string, method?: Method, body?: unknown): Promise<T> {
    try {
      return await api<T>(path, method, body);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.me = SIGNED_OUT;
      throw err;
    }
  }
}
