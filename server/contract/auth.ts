/**
 * The access contract: roles, what each may do, and the request/response shapes of the auth and
 * admin API. Server and web both import it; requests are validated with these schemas at the edge.
 */
import { z } from 'zod';
import { BOARD_ID, PLAYLIST_ID } from './boards.ts';

export const ROLES = ['admin', 'supervisor', 'qa', 'executive'] as const;
export type Role = (typeof ROLES)[number];

/** What a request may do. Routes name one capability; principals hold a set of them. */
export const CAPABILITIES = [
  'live:read', // wallboards, the live snapshot and its websocket
  'kpi:read', // KPI ranges and history
  'qa:read', // transcripts, search, scorecards
  'qa:evaluate', // scoring contacts with a scorecard, calibration sessions
  'summary:read', // executive summaries
  'export', // bulk exports
  'admin', // users, keys, displays, settings, the audit log
  'events:write', // producers pushing events
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  admin: ['live:read', 'kpi:read', 'qa:read', 'qa:evaluate', 'summary:read', 'export', 'admin'],
  supervisor: ['live:read', 'kpi:read'],
  qa: ['qa:read', 'qa:evaluate'],
  executive: ['kpi:read', 'summary:read', 'export'],
};

/**
 * What a display link shows: a board's id (built-in like `overview`, or an admin's `b_…`) or
 * `playlist:p_…` (see contract/boards.ts). The server checks that it exists when the link is made.
 */
export const screenColumn = z
  .string()
  .trim()
  .regex(
    new RegExp(`^(?:${BOARD_ID.source.slice(1, -1)}|playlist:${PLAYLIST_ID.source.slice(1, -1)})$`),
    'must be a board id or playlist:<id>',
  );
export type Board = string;

const name = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const scopeList = z
  .array(z.string().trim().min(1, 'must not be empty').max(256, 'at most 256 characters'))
  .max(200, 'at most 200 entries')
  .transform((list) => [...new Set(list)].sort());

export const PASSWORD_MIN = 10;
export const password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(256, 'at most 256 characters');
export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9][a-z0-9._@-]{1,63}$/,
    '2 to 64 characters: letters, digits and . _ @ -, starting with a letter or digit',
  );

export const loginRequest = z.object({ username: z.string().max(256), password: z.string().max(256) });
export const setupRequest = z.object({ token: z.string().max(256), username, password, displayName: name.optional() });
export const passwordChangeRequest = z.object({ currentPassword: z.string().max(256), newPassword: password });

export const userCreateRequest = z.object({
  username,
  displayName: name.optional(),
  password,
  roles: z.array(z.enum(ROLES)).min(1, 'give at least one role'),
  scopeQueues: scopeList.default([]),
  scopeTeams: scopeList.default([]),
});
export const userUpdateRequest = z.object({
  displayName: name.nullable().optional(),
  roles: z.array(z.enum(ROLES)).min(1, 'give at least one role').optional(),
  scopeQueues: scopeList.optional(),
  scopeTeams: scopeList.optional(),
  disabled: z.boolean().optional(),
  password: password.optional(),
});
export const keyCreateRequest = z.object({
  name,
  scopeSources: scopeList.default([]),
  scopeQueues: scopeList.default([]),
});
export const displayCreateRequest = z.object({
  name,
  board: screenColumn.default('overview'),
  scopeQueues: scopeList.default([]),
});

export type UserCreate = z.input<typeof userCreateRequest>;

/** Who is asking, as the web app sees it (GET /api/auth/me). */
export type Me =
  | {
      kind: 'user';
      id: string;
      username: string;
      displayName: string | null;
      roles: Role[];
      capabilities: Capability[];
      scope: { queues: string[]; teams: string[] } | null;
      sessionExpiresAt: number;
    }
  | { kind: 'display'; id: string; name: string; board: Board; capabilities: Capability[] }
  | { kind: 'anonymous'; setupRequired: boolean };

export type UserView = {
  id: string;
  username: string;
  displayName: string | null;
  roles: Role[];
  scopeQueues: string[];
  scopeTeams: string[];
  disabled: boolean;
  createdAt: number;
  passwordChangedAt: number;
  activeSessions: number;
};

export type KeyView = {
  id: string;
  name: string;
  prefix: string;
  scopeSources: string[];
  scopeQueues: string[];
  createdAt: number;
  createdBy: string;
  revokedAt: number | null;
  lastUsedAt: number | null;
};

export type DisplayView = {
  id: string;
  name: string;
  board: Board;
  scopeQueues: string[];
  createdAt: number;
  createdBy: string;
  revokedAt: number | null;
  lastSeenAt: number | null;
};

export type AuditEntry = {
  seq: number;
  at: number;
  actor: { kind: string; id: string | null; name: string | null };
  action: string;
  target: string | null;
  detail: unknown;
  ip: string | null;
};

/** GET /api/display: what the server makes of this browser's display cookie (set when /d/<token> loaded). */
export type DisplayCheck =
  { status: 'ok'; display: { id: string; name: string; board: Board } } | { status: 'revoked' | 'unknown' | 'none' };

/** GET /api/auth/setup?token=: whether the first-run link can still be used. */
export type SetupCheck = { setupRequired: boolean; valid: boolean };

/** Close code a live socket gets when its display link or session is revoked. */
export const WS_CLOSE_REVOKED = 4001;
