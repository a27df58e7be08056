import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, formErrors } from './api.ts';

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
    status === 204 ? new Response(null, { status }) : Response.json(body, { status, headers }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('api', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends writes as JSON, which the server requires of browser requests', async () => {
    const fetch = answer(200, { ok: true });
    expect(await api('/api/auth/password', 'POST', { currentPassword: 'a', newPassword: 'b' })).toEqual({ ok: true });
    const init = fetch.mock.calls[0]![1]!;
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(init.body))).toEqual({ currentPassword: 'a', newPassword: 'b' });
  });

  it('sends a body-less write as JSON too, and takes 204 as no content', async () => {
    const fetch = answer(204, null);
    expect(await api('/api/auth/logout', 'POST')).toBeUndefined();
    expect(new Headers(fetch.mock.calls[0]![1]!.headers).get('content-type')).toBe('application/json');
  });

  it('turns an error body into code, message and per-field errors', async () => {
    answer(400, {
      error: {
        code: 'bad_request',
        message: 'invalid request',
        details: [
          { path: 'password', message: 'must be at least 10 characters' },
          { path: 'scopeQueues.2', message: 'must not be empty' },
          { path: 'scopeQueues.4', message: 'at most 256 characters' },
        ],
      },
    });
    const err = await failure(api('/api/admin/users', 'POST', {}));
    expect(err.status).toBe(400);
    expect(err.code).toBe('bad_request');
    expect(err.fieldErrors()).toEqual({ password: 'must be at least 10 characters', scopeQueues: 'must not be empty' });
  });

  it('reads the wait from Retry-After on a 429', async () => {
    answer(429, { error: { code: 'too_many_requests', message: 'slow down' } }, { 'retry-after': '8' });
    const err = await failure(api('/api/auth/login', 'POST', {}));
    expect(err.retryAfterSeconds).toBe(8);
  });

  it('reports an unreachable server as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = await failure(api('/api/auth/me'));
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/cannot reach/);
  });

  it('copes with an error that is not JSON', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('bad gateway', { status: 502 })));
    const err = await failure(api('/api/auth/me'));
    expect([err.status, err.code]).toEqual([502, 'http_502']);
  });

  it('puts field messages next to the fields a form has, and the rest in one line', () => {
    const err = new ApiError(400, 'bad_request', 'invalid request', [
      { path: 'username', message: 'is taken' },
      { path: 'content-type', message: 'must be application/json' },
    ]);
    expect(formErrors(err, ['username', 'password'])).toEqual({
      fields: { username: 'is taken' },
      message: 'content-type: must be application/json',
    });
    expect(
      formErrors(new ApiError(409, 'conflict', 'x', [{ path: 'roles', message: 'last admin' }]), ['roles']),
    ).toEqual({
      fields: { roles: 'last admin' },
      message: 'Please correct the marked fields.',
    });
    expect(formErrors(new Error('offline'), ['username'])).toEqual({ fields: {}, message: 'offline' });
    // Nothing for this form's fields: the server's own sentence says it best.
    const lastAdmin = new ApiError(409, 'conflict', 'this is the last active admin', [{ path: 'roles', message: '…' }]);
    expect(formErrors(lastAdmin, [])).toEqual({ fields: {}, message: 'this is the last active admin' });
  });

  it('gives a message about a nested field to the most specific field the form has', () => {
    const err = new ApiError(400, 'bad_request', 'invalid request', [
      { path: 'settings.businessHours.mon.0.1', message: 'not a quarter hour' },
      { path: 'settings.businessHours.mon.10', message: 'overlaps' },
      { path: 'settings.businessHours.tue', message: 'at most 8' },
      { path: 'scopeQueues.3', message: 'must not be empty' },
      { path: 'targets.nps', message: 'wrong order' },
    ]);
    const fields = [
      'settings.businessHours',
      'settings.businessHours.mon.0',
      'settings.businessHours.mon.1',
      'scopeQueues',
    ];
    expect(formErrors(err, fields)).toEqual({
      fields: {
        'settings.businessHours.mon.0': 'not a quarter hour',
        // mon.10 is not under mon.1: a prefix ends at a dot.
        'settings.businessHours': 'overlaps',
        scopeQueues: 'must not be empty',
      },
      message: 'targets: wrong order',
    });
  });
});
