-- The event log: every accepted event exactly once, keyed by its id.
-- Frequently filtered fields are columns; the whole event (extra fields included) is kept in `body`.
CREATE TABLE IF NOT EXISTS events (
  id          VARCHAR PRIMARY KEY,
  type        VARCHAR NOT NULL,
  at_ms       BIGINT  NOT NULL,
  received_ms BIGINT  NOT NULL,
  contact_id  VARCHAR,
  agent_id    VARCHAR,
  queue       VARCHAR,
  body        JSON    NOT NULL
);

-- Rows of a group commit land here first; recovered on start-up if a crash interrupted a flush.
CREATE TABLE IF NOT EXISTS events_incoming (
  id          VARCHAR,
  type        VARCHAR,
  at_ms       BIGINT,
  received_ms BIGINT,
  contact_id  VARCHAR,
  agent_id    VARCHAR,
  queue       VARCHAR,
  body        JSON
);
