-- Accounts, sessions, wall displays, ingest keys and the audit log.
-- Secrets (session tokens, display links, ingest keys) are stored only as SHA-256 hex digests.
-- Lists (roles, scopes) are JSON arrays of strings.
CREATE TABLE IF NOT EXISTS users (
  id                  VARCHAR PRIMARY KEY,
  username            VARCHAR NOT NULL UNIQUE,
  display_name        VARCHAR,
  password_hash       VARCHAR NOT NULL,
  roles               VARCHAR NOT NULL DEFAULT '[]',
  -- Empty lists mean "every queue/team"; only supervisor and qa access is narrowed by them.
  scope_queues        VARCHAR NOT NULL DEFAULT '[]',
  scope_teams         VARCHAR NOT NULL DEFAULT '[]',
  disabled            BOOLEAN NOT NULL DEFAULT false,
  created_ms          BIGINT NOT NULL,
  password_changed_ms BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
  id          VARCHAR PRIMARY KEY,
  user_id     VARCHAR NOT NULL,
  created_ms  BIGINT NOT NULL,
  expires_ms  BIGINT NOT NULL,
  ip          VARCHAR,
  user_agent  VARCHAR
);

CREATE TABLE IF NOT EXISTS displays (
  id            VARCHAR PRIMARY KEY,
  name          VARCHAR NOT NULL,
  board         VARCHAR NOT NULL,
  token_hash    VARCHAR NOT NULL,
  scope_queues  VARCHAR NOT NULL DEFAULT '[]',
  created_ms    BIGINT NOT NULL,
  created_by    VARCHAR NOT NULL,
  revoked_ms    BIGINT,
  last_seen_ms  BIGINT
);

CREATE TABLE IF NOT EXISTS ingest_keys (
  id            VARCHAR PRIMARY KEY,
  name          VARCHAR NOT NULL,
  key_hash      VARCHAR NOT NULL,
  -- Shown in lists so a key can be recognised without revealing it.
  prefix        VARCHAR NOT NULL,
  scope_sources VARCHAR NOT NULL DEFAULT '[]',
  scope_queues  VARCHAR NOT NULL DEFAULT '[]',
  created_ms    BIGINT NOT NULL,
  created_by    VARCHAR NOT NULL,
  revoked_ms    BIGINT,
  last_used_ms  BIGINT
);

-- Append-only from the app's side: nothing in the code updates or deletes rows. Each row carries a
-- SHA-256 over its content and the previous row's hash, so an edit made outside the app shows.
CREATE TABLE IF NOT EXISTS audit_log (
  seq         BIGINT PRIMARY KEY,
  at_ms       BIGINT NOT NULL,
  actor_kind  VARCHAR NOT NULL,
  actor_id    VARCHAR,
  actor_name  VARCHAR,
  action      VARCHAR NOT NULL,
  target      VARCHAR,
  detail      JSON,
  ip          VARCHAR,
  prev_hash   VARCHAR NOT NULL,
  hash        VARCHAR NOT NULL
);
