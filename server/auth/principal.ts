/**
 * Who a request acts as, and what that allows. Decided once per request by the authenticate
 * middleware; routes only ask `can(principal, capability)` and read the scope.
 */
import { ROLE_CAPABILITIES, type Board, type Capability, type Role } from '../contract/auth.ts';

/** Queues and teams a principal may see; `null` means everything. */
export type Scope = { queues: ReadonlySet<string> | null; teams: ReadonlySet<string> | null };
export const UNSCOPED: Scope = { queues: null, teams: null };

export type UserPrincipal = {
  kind: 'user';
  id: string;
  username: string;
  displayName: string | null;
  roles: Role[];
  scope: Scope;
  sessionId: string;
  sessionExpiresAt: number;
  /** The session's expiry moved on this request: the cookie must follow. */
  sessionRenewed: boolean;
};
export type DisplayPrincipal = { kind: 'display'; id: string; name: string; board: Board; scope: Scope };
export type KeyPrincipal = {
  kind: 'key';
  id: string;
  name: string;
  sources: ReadonlySet<string> | null;
  queues: ReadonlySet<string> | null;
};
export type Principal = { kind: 'anonymous' } | UserPrincipal | DisplayPrincipal | KeyPrincipal;

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export function capabilitiesOf(p: Principal): Set<Capability> {
  switch (p.kind) {
    case 'user':
      return new Set(p.roles.flatMap((r) => ROLE_CAPABILITIES[r]));
    case 'display':
      return new Set(['live:read']);
    case 'key':
      return new Set(['events:write']);
    default:
      return new Set();
  }
}

export function can(p: Principal, capability: Capability): boolean {
  return capabilitiesOf(p).has(capability);
}

/** Admins see everything; everyone else is narrowed by their queues/teams, if they have any. */
export function userScope(roles: readonly Role[], queues: readonly string[], teams: readonly string[]): Scope {
  if (roles.includes('admin')) return UNSCOPED;
  return { queues: queues.length ? new Set(queues) : null, teams: teams.length ? new Set(teams) : null };
}

export function isScoped(scope: Scope): boolean {
  return scope.queues !== null || scope.teams !== null;
}

/** A stable key for grouping clients that see the same thing. */
export function scopeKey(scope: Scope): string {
  if (!isScoped(scope)) return '*';
  return JSON.stringify([[...(scope.queues ?? [])].sort(), [...(scope.teams ?? [])].sort()]);
}

/**
 * A board's own queues and teams narrow what its viewer may see, never widen it. An axis the board
 * leaves empty contributes nothing once the other is given (a board of two teams shows those teams'
 * agents and queues, not every queue). A scoped viewer keeps only what both name on each axis: a queue
 * it sees only through its teams' agents is not granted again by naming the queue.
 */
export function narrowScope(scope: Scope, queues: readonly string[], teams: readonly string[]): Scope {
  if (queues.length === 0 && teams.length === 0) return scope;
  const within = (asked: readonly string[], granted: ReadonlySet<string> | null) =>
    new Set(asked.filter((x) => (isScoped(scope) ? (granted?.has(x) ?? false) : true)));
  return { queues: within(queues, scope.queues), teams: within(teams, scope.teams) };
}

export function scopeOf(p: Principal): Scope {
  return p.kind === 'user' || p.kind === 'display' ? p.scope : UNSCOPED;
}

/** Name for logs and the audit trail. */
export function actorOf(p: Principal): { kind: string; id: string | null; name: string | null } {
  switch (p.kind) {
    case 'user':
      return { kind: 'user', id: p.id, name: p.username };
    case 'display':
      return { kind: 'display', id: p.id, name: p.name };
    case 'key':
      return { kind: 'key', id: p.id, name: p.name };
    default:
      return { kind: 'anonymous', id: null, name: null };
  }
}
