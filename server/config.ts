/** Configuration from the environment, checked once at start-up with clear messages. */
import { z } from 'zod';
import { isValidTimeZone } from './time.ts';
import { DEFAULT_KPI_SETTINGS, SL_VARIANTS, type KpiSettings } from './contract/kpis.ts';
import { fileURLToPath } from 'node:url';
import { totalmem } from 'node:os';
import type { Database } from './db/duckdb.ts';
import type { LiveHubOptions } from './live/live-hub.ts';

export const DEFAULT_DB = fileURLToPath(new URL('../data/tandem.duckdb', import.meta.url));

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  TANDEM_DB: z.string().min(1).default(DEFAULT_DB),
  TANDEM_DEMO: flag.optional(),
  TANDEM_DEMO_RATE: z.coerce.number().min(0.1).max(10_000).default(8),
  TANDEM_DEMO_SEED: z.coerce.number().int().optional(),
  TANDEM_DEMO_HISTORY_DAYS: z.coerce.number().int().min(0).max(400).default(35),
  TANDEM_TZ: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC')
    .default(Intl.DateTimeFormat().resolvedOptions().timeZone),
  TANDEM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TANDEM_SL_SECONDS: z.coerce.number().min(1).max(3600).default(DEFAULT_KPI_SETTINGS.slThresholdSeconds),
  TANDEM_SL_VARIANT: z.enum(SL_VARIANTS).default(DEFAULT_KPI_SETTINGS.slVariant),
  TANDEM_SESSION_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 90)
    .default(12),
  TANDEM_TRUST_PROXY: flag.default(false),
  TANDEM_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://wall.example.com' })
    .optional(),
  TANDEM_SHORT_ABANDON_SECONDS: z.coerce.number().min(0).max(600).default(DEFAULT_KPI_SETTINGS.shortAbandonSeconds),
  TANDEM_TWILIO_AUTH_TOKEN: z.string().min(8, 'must be the Twilio account auth token').optional(),
  TANDEM_BACKUP_DIR: z.string().min(1).optional(),
  TANDEM_METRICS_TOKEN: z
    .string()
    .min(24, 'must be at least 24 characters: a long random secret, e.g. from `openssl rand -hex 32`')
    .optional(),
  TANDEM_NATS_URL: z
    .string()
    .regex(
      /^(nats|tls):\/\/[^\s,]+(,\s*(nats|tls):\/\/[^\s,]+)*$/,
      'must be nats://host:port (several separated by commas)',
    )
    .optional(),
  TANDEM_NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or - (a JetStream stream name)')
    .default('TANDEM'),
  TANDEM_NATS_MAX_AGE_DAYS: z.coerce.number().min(1).max(3650).default(7),
  TANDEM_NATS_DUPLICATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  TANDEM_NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  TANDEM_INGEST_RATE: z.coerce.number().min(0).max(10_000_000).default(5000),
  TANDEM_WS_MAX_PER_IP: z.coerce.number().int().min(1).max(1_000_000).default(200),
  TANDEM_WS_MAX_PER_PRINCIPAL: z.coerce.number().int().min(1).max(1_000_000).default(500),
  TANDEM_DB_MEMORY_LIMIT: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$/i, 'must be a size such as 4GB or 512MB')
    .optional(),
});

export type Config = {
  port: number;
  host: string;
  dbPath: string;
  demo: boolean;
  demoRate: number;
  /** Days of quieter past traffic the demo writes into an empty database, for history and the summary. */
  demoHistoryDays: number;
  demoSeed: number | undefined;
  timeZone: string;
  logLevel: string;
  kpi: KpiSettings;
  /** Idle lifetime of a sign-in session (sliding). */
  sessionLifetimeMs: number;
  /** Behind a reverse proxy: take the client address and scheme from X-Forwarded-*. */
  trustProxy: boolean;
  /** The address people use to reach Tandem, for printed links and the same-origin check. */
  publicUrl: string | null;
  /** Twilio auth token: when set, every Twilio TaskRouter callback must carry a valid X-Twilio-Signature. */
  twilioAuthToken: string | null;
  /** Where online backups (POST /api/admin/backup) are written; null: `backups` beside the database file. */
  backupDir: string | null;
  /** Bearer token that lets a Prometheus scraper read /metrics (admins may always read it). */
  metricsToken: string | null;
  /** Events per second each ingest key may send (bursts of a few seconds' worth); 0: no limit. */
  ingestRate: number;
  /**
   * Scale-out (docs/scaling.md): with a NATS URL, accepted events go through a JetStream stream that
   * every node reads into its own database. null: one process, embedded.
   */
  nats: {
    url: string;
    stream: string;
    maxAgeDays: number;
    duplicateWindowSeconds: number;
    replicas: number;
  } | null;
  /**
   * The server's clock for live state (snapshots, "today", pruning). Not from the environment: tests
   * that compare screenshots stop it, so every figure and wait on the wall is the same on every run.
   */
  clock?: () => number;
  /**
   * Puts something in front of the opened database. Not from the environment: tests make its writes
   * fail for a while, to see how a full disk or a read-only file is answered.
   */
  wrapDatabase?: (db: Database) => Database;
  /** Open websockets (/ws/live and /ws/ingest together) one client address may hold. */
  wsMaxPerIp: number;
  /** Open websockets one ingest key, display link or sign-in session may hold. */
  wsMaxPerPrincipal: number;
  /** DuckDB's buffer memory (TANDEM_DB_MEMORY_LIMIT; a quarter of the machine by default). */
  dbMemoryLimit: string;
  /**
   * The live hub's limits for slow clients. Not from the environment: tests shrink them so a client
   * that stops reading is skipped and dropped within seconds, not at 512 KiB and 30 s.
   */
  liveHub?: Pick<LiveHubOptions, 'softLimitBytes' | 'blockedTimeoutMs'>;
};

/** A quarter of the machine's memory, at least 1 GB: room for the live state, the process and the OS. */
export function defaultDbMemoryLimit(total = totalmem()): string {
  return `${Math.max(1, Math.floor(total / 4 / 2 ** 30))}GB`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dbPath: e.TANDEM_DB,
    // On by default for `npm start`; off by default on a node of a scale-out, where every node running
    // its own simulator would multiply the traffic (one node may still be asked to, TANDEM_DEMO=1).
    demo: e.TANDEM_DEMO ?? !e.TANDEM_NATS_URL,
    demoRate: e.TANDEM_DEMO_RATE,
    demoHistoryDays: e.TANDEM_DEMO_HISTORY_DAYS,
    demoSeed: e.TANDEM_DEMO_SEED,
    timeZone: e.TANDEM_TZ,
    logLevel: e.TANDEM_LOG_LEVEL,
    kpi: {
      slThresholdSeconds: e.TANDEM_SL_SECONDS,
      shortAbandonSeconds: e.TANDEM_SHORT_ABANDON_SECONDS,
      slVariant: e.TANDEM_SL_VARIANT,
    },
    sessionLifetimeMs: e.TANDEM_SESSION_HOURS * 3_600_000,
    trustProxy: e.TANDEM_TRUST_PROXY,
    publicUrl: e.TANDEM_PUBLIC_URL ?? null,
    twilioAuthToken: e.TANDEM_TWILIO_AUTH_TOKEN ?? null,
    backupDir: e.TANDEM_BACKUP_DIR ?? null,
    metricsToken: e.TANDEM_METRICS_TOKEN ?? null,
    nats: e.TANDEM_NATS_URL
      ? {
          url: e.TANDEM_NATS_URL,
          stream: e.TANDEM_NATS_STREAM,
          maxAgeDays: e.TANDEM_NATS_MAX_AGE_DAYS,
          duplicateWindowSeconds: e.TANDEM_NATS_DUPLICATE_WINDOW_SECONDS,
          replicas: e.TANDEM_NATS_REPLICAS,
        }
      : null,
    ingestRate: e.TANDEM_INGEST_RATE,
    wsMaxPerIp: e.TANDEM_WS_MAX_PER_IP,
    wsMaxPerPrincipal: e.TANDEM_WS_MAX_PER_PRINCIPAL,
    dbMemoryLimit: e.TANDEM_DB_MEMORY_LIMIT ?? defaultDbMemoryLimit(),
  };
}
