import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Me } from '$contract/auth.ts';
import { Session } from './session.svelte.ts';

const admin: Me = {
  kind: 'user',
  id: 'u1',
  username: 'ana',
  displayName: 'Ana',
  roles: ['admin'],
  capabilities: ['live:read', 'admin'],
  scope: null,
  sessionExpiresAt: 0,
};

function server(answers: Record<string, () => Response>) {
  const fetch = vi.fn(async (url: string) => answers[url]?.() ?? new Response(null, { status: 404 }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('Session', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('learns who is signed in from /me, one request for concurrent callers', async () => {
    const fetch = server({ '/api/auth/me': () => Response.json(admin) });
    const session = new Session();
    expect(session.can('admin')).toBe(false);
    await Promise.all([session.load(), session.load()]);
    expect(fetch).toHaveBeenCalledOnce();
    expect(session.user?.username).toBe('ana');
    expect(session.can('admin')).toBe(true);
    expect(session.can('qa:read')).toBe(false);
  });

  it('keeps the reason when the server cannot be reached', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const session = new Session();
    await expect(session.load()).rejects.toThrow(/cannot reach/);
    expect(session.me).toBeNull();
    expect(session.failure).toMatchObject({ code: 'network' });
  });

  it('counts as signed out after a 401 on any call made as the user', async () => {
    server({
      '/api/auth/me': () => Response.json(admin),
      '/api/admin/users': () => Response.json({ error: { code: 'unauthorized', message: 'sign in' } }, { status: 401 }),
    });
    const session = new Session();
    await session.load();
    await expect(session.request('/api/admin/users')).rejects.toThrow('sign in');
    expect(session.me).toEqual({ kind: 'anonymous', setupRequired: false });
    expect(session.can('admin')).toBe(false);
  });

  it('a refused call that is not a 401 leaves the session alone', async () => {
    server({
      '/api/auth/me': () => Response.json(admin),
      '/api/admin/users': () => Response.json({ error: { code: 'forbidden', message: 'no' } }, { status: 403 }),
    });
    const session = new Session();
    await session.load();
    await expect(session.request('/api/admin/users')).rejects.toThrow('no');
    expect(session.user?.username).toBe('ana');
  });
});
