-- KPI facts: each contact's contributions to the KPI counters, already paired (an exit with its entry, a
-- wrap-up with its answer) and carrying the contact's channel, handler and queues, so that a KPI or interval
-- query only filters and sums. Derived from `events` by server/kpi/kpi-facts.ts, which rewrites the facts of
-- every contact (and agent, and customer) that new events touch; they hold no setting, so a change of
-- thresholds or variants needs no rewrite. Dropping these tables and the state row rebuilds them.

-- One row per contact that started: counted in `contacts`, the handler split and FCR.
CREATE TABLE IF NOT EXISTS kpi_contacts (
  contact_id    VARCHAR NOT NULL,
  start_ms      BIGINT  NOT NULL,  -- its earliest contact.started
  channel       VARCHAR,
  handler       VARCHAR NOT NULL,  -- ai | hybrid | human
  queues        VARCHAR[] NOT NULL, -- every queue it entered
  customer_id   VARCHAR,
  next_start_ms BIGINT,            -- the same customer's next contact's start (FCR), if any
  customer_key  UBIGINT            -- hash(customer_id): finding a customer's contacts scans integers, not strings
);

-- One row per other counted event of a contact, at that event's time. The kind is an ENUM: queries group
-- and filter on it per row, and comparing small integers is much cheaper than comparing strings.
CREATE TYPE IF NOT EXISTS kpi_fact_kind AS ENUM
  ('bot.started', 'bot.ended', 'queue.entered', 'queue.left', 'wrapup', 'survey', 'conversion');
CREATE TABLE IF NOT EXISTS kpi_facts (
  contact_id VARCHAR NOT NULL,
  kind       kpi_fact_kind NOT NULL,
  at_ms      BIGINT  NOT NULL,
  channel    VARCHAR,              -- the contact's (NULL when its start is unknown)
  handler    VARCHAR,
  queues     VARCHAR[] NOT NULL,
  queue      VARCHAR,              -- the event's own queue; for a wrap-up, the answer's
  agent_id   VARCHAR,
  outcome    VARCHAR,
  reason     VARCHAR,
  wait_ms    BIGINT,               -- queue.left: time since its entry (NULL when no entry is known)
  handle_ms  BIGINT,               -- wrapup: time since the agent's answer
  csat       INTEGER,
  nps        INTEGER,
  resolved   BOOLEAN,
  first_conversion BOOLEAN,        -- conversion: the contact's earliest
  currency   VARCHAR,
  amount     DOUBLE
);

-- Agents' state intervals (occupancy) and teams.
CREATE TABLE IF NOT EXISTS kpi_agent_states (
  agent_id VARCHAR NOT NULL,
  at_ms    BIGINT  NOT NULL,
  id       VARCHAR NOT NULL,
  state    VARCHAR,
  team     VARCHAR,
  next_ms  BIGINT                  -- the agent's next state change; NULL while it lasts
);

-- How far the facts have read `events` (append-only: a row's rowid never changes).
CREATE TABLE IF NOT EXISTS kpi_facts_state (
  id           INTEGER PRIMARY KEY,
  event_rowid  BIGINT NOT NULL
);
INSERT INTO kpi_facts_state VALUES (1, -1) ON CONFLICT DO NOTHING;
