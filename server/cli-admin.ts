/**
 * `tandem user|key|display …`: account, ingest-key and display-link administration from the shell,
 * for automation. Works on the database file directly (the server must not be running on it: DuckDB
 * lets one process write a file) and audits every change as done by the shell user.
 */
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { text } from 'node:stream/consumers';
import { z } from 'zod';
import { Admin, type Origin } from './auth/admin.ts';
import { Auth } from './auth/auth.ts';
import { generateToken } from './auth/tokens.ts';
import { loadConfig } from './config.ts';
import { Boards } from './boards/boards.ts';
import {
  screenColumn,
  password as passwordSchema,
  ROLES,
  username as usernameSchema,
  type Role,
} from './contract/auth.ts';
import { openDatabase, type Database } from './db/duckdb.ts';
import { migrate } from './db/migrate.ts';

export const ADMIN_HELP = `  tandem user add USERNAME --role ROLE[,ROLE] [--name NAME] [--queues Q,Q] [--teams T,T] [--password-stdin]
                                        create an account (roles: ${ROLES.join(', ')}); without
                                        --password-stdin a strong password is generated and printed once
  tandem user list | tandem user disable USERNAME | tandem user enable USERNAME
  tandem key add NAME [--sources S,S] [--queues Q,Q]
                                        create an ingest key for a producer; printed once
  tandem key list | tandem key revoke ID|NAME
  tandem display add NAME [--board overview|agents|human-ai|queues|b_ID|playlist:p_ID] [--queues Q,Q] [--url BASE]
                                        create a wall-display link; printed once
  tandem display list | tandem display revoke ID|NAME
                                        (these work on TANDEM_DB while the server is stopped; add --json for JSON)
`;

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${what} ${r.error.issues[0]?.message ?? 'is not valid'}`);
  return r.data;
}

async function openForAdmin(): Promise<{ db: Database; auth: Auth; admin: Admin }> {
  const config = loadConfig();
  let db: Database;
  try {
    db = await openDatabase(config.dbPath);
  } catch (err) {
    if (/lock/i.test((err as Error).message)) {
      throw new Error(
        `${config.dbPath} is in use by a running Tandem server; stop it first, or use the admin pages (/admin)`,
        { cause: err },
      );
    }
    throw err;
  }
  await migrate(db);
  const auth = new Auth(db, { sessionLifetimeMs: config.sessionLifetimeMs });
  return { db, auth, admin: new Admin(auth) };
}

const shell: Origin = { actor: { kind: 'cli', id: null, name: userInfo().username } };
const date = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return (
    rows
      .map((r) =>
        r
          .map((v, i) => String(v).padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export async function adminCommand(group: string, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      queues: { type: 'string' },
      teams: { type: 'string' },
      sources: { type: 'string' },
      board: { type: 'string', default: 'overview' },
      url: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const [action, target] = positionals;
  const out = (json: unknown, human: string) => process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : human);
  const { db, auth, admin } = await openForAdmin();
  try {
    switch (`${group} ${action ?? ''}`) {
      case 'user add': {
        const username = check(usernameSchema, target, 'USERNAME');
        const roles = check(z.array(z.enum(ROLES)).min(1, 'needs at least one'), list(values.role), '--role') as Role[];
        const generated = !values['password-stdin'];
        const password = generated ? generateToken(15) : (await text(process.stdin)).replace(/\r?\n$/, '');
        check(passwordSchema, password, 'password');
        const user = await admin.createUser(shell, {
          username,
          displayName: values.name ?? null,
          password,
          roles,
          scopeQueues: list(values.queues),
          scopeTeams: list(values.teams),
        });
        out(
          { user, ...(generated ? { password } : {}) },
          `created user ${user.username} (${user.roles.join(', ')})\n` +
            (generated ? `password (shown once): ${password}\n` : ''),
        );
        return;
      }
      case 'user list': {
        const users = await auth.users.list();
        out(
          { users },
          table([
            ['USERNAME', 'ROLES', 'QUEUES', 'TEAMS', 'STATUS', 'SESSIONS'],
            ...users.map((u) => [
              u.username,
              u.roles.join(','),
              u.scopeQueues.join(',') || '*',
              u.scopeTeams.join(',') || '*',
              u.disabled ? 'disabled' : 'active',
              u.activeSessions,
            ]),
          ]),
        );
        return;
      }
      case 'user disable':
      case 'user enable': {
        const user = await auth.users.byUsername(target ?? '');
        if (!user) throw new Error(`no user named ${target ?? '(none given)'}`);
        const updated = await admin.updateUser(shell, user.id, { disabled: action === 'disable' });
        out({ user: updated }, `${action}d user ${updated.username}\n`);
        return;
      }
      case 'key add': {
        const name = check(z.string().trim().min(1).max(100), target, 'NAME');
        const { secret, key } = await admin.createKey(shell, {
          name,
          scopeSources: list(values.sources),
          scopeQueues: list(values.queues),
        });
        out({ key, secret }, `created ingest key ${key.name} (${key.id})\nkey (shown once): ${secret}\n`);
        return;
      }
      case 'key list': {
        const keys = await auth.keys.list();
        out(
          { keys },
          table([
            ['ID', 'NAME', 'PREFIX', 'SOURCES', 'QUEUES', 'STATUS', 'LAST USED'],
            ...keys.map((k) => [
              k.id,
              k.name,
              k.prefix,
              k.scopeSources.join(',') || '*',
              k.scopeQueues.join(',') || '*',
              k.revokedAt ? 'revoked' : 'active',
              date(k.lastUsedAt),
            ]),
          ]),
        );
        return;
      }
      case 'key revoke': {
        const keys = (await auth.keys.list()).filter((k) => k.id === target || (k.name === target && !k.revokedAt));
        if (keys.length !== 1)
          throw new Error(keys.length ? `several keys are named ${target}: use the id` : `no key ${target ?? ''}`);
        const key = await admin.revokeKey(shell, keys[0]!.id);
        out({ key }, `revoked ingest key ${key.name} (${key.id})\n`);
        return;
      }
      case 'display add': {
        const name = check(z.string().trim().min(1).max(100), target, 'NAME');
        const board = check(screenColumn, values.board, '--board');
        await new Boards(db, auth.audit).checkScreen(board, '--board');
        const { token, display } = await admin.createDisplay(shell, { name, board, scopeQueues: list(values.queues) });
        const base = values.url ?? loadConfig().publicUrl ?? `http://localhost:${loadConfig().port}`;
        const url = new URL(`/d/${token}`, base).href;
        out({ display, url }, `created display ${display.name} (${display.id})\nlink (shown once): ${url}\n`);
        return;
      }
      case 'display list': {
        const displays = await auth.displays.list();
        out(
          { displays },
          table([
            ['ID', 'NAME', 'BOARD', 'QUEUES', 'STATUS', 'LAST SEEN'],
            ...displays.map((d) => [
              d.id,
              d.name,
              d.board,
              d.scopeQueues.join(',') || '*',
              d.revokedAt ? 'revoked' : 'active',
              date(d.lastSeenAt),
            ]),
          ]),
        );
        return;
      }
      case 'display revoke': {
        const found = (await auth.displays.list()).filter(
          (d) => d.id === target || (d.name === target && !d.revokedAt),
        );
        if (found.length !== 1)
          throw new Error(
            found.length ? `several displays are named ${target}: use the id` : `no display ${target ?? ''}`,
          );
        const display = await admin.revokeDisplay(shell, found[0]!.id);
        out({ display }, `revoked display ${display.name} (${display.id})\n`);
        return;
      }
      default:
        throw new Error(`unknown command: tandem ${group} ${action ?? ''}\n\n${ADMIN_HELP}`);
    }
  } finally {
    await db.close();
  }
}
