/**
 * Route guard: `allow('live:read')` lets through principals holding that capability. Anonymous
 * callers get 401 (with the reason their credentials failed, if any), others 403.
 */
import type { MiddlewareHandler } from 'hono';
import { can, type Principal } from '../../auth/principal.ts';
import type { Capability } from '../../contract/auth.ts';
import type { AppEnv } from '../env.ts';
import { Forbidden, Unauthorized } from '../errors.ts';

const FAILURES = {
  invalid_key: 'ingest key is not valid',
  revoked_key: 'ingest key has been revoked',
  revoked_display: 'this display link has been revoked',
} as const;

/**
 * `'public'` marks a route that anyone may call, spelled out so every route states its policy; a list
 * of capabilities lets in holders of any one of them.
 */
export type Policy = Capability | readonly Capability[] | 'public' | 'signed-in';

/** Whether a principal passes a policy: the one rule for routes and pages alike. */
export function permits(policy: Policy, p: Principal): boolean {
  if (policy === 'public') return true;
  if (policy === 'signed-in') return p.kind === 'user';
  if (typeof policy === 'string') return can(p, policy);
  return policy.some((cap) => can(p, cap));
}

export function allow(policy: Policy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    if (permits(policy, p)) return next();
    if (p.kind === 'anonymous') {
      const failure = c.get('authFailure');
      if (failure) throw new Unauthorized(FAILURES[failure], failure);
      throw new Unauthorized(
        policy === 'events:write' ? 'an ingest key is required: send Authorization: Bearer <key>' : 'sign in required',
      );
    }
    throw new Forbidden(
      `this ${p.kind === 'user' ? 'account' : p.kind === 'key' ? 'ingest key' : 'display link'} may not do this`,
    );
  };
}
