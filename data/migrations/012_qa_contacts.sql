-- One row per contact for the QA workspace (server/qa/qa-contacts.ts): what the search page filters on and
-- lists, summarised from the contact's events (handler, queues, agents, bot outcome, survey, conversion,
-- disposition, sentiment, hold, redactions) with the review flags its rules raised (docs/qa.md). Follows
-- `events` by rowid like the KPI facts: a refresh rewrites every contact that new events touch. Dropping the
-- table and resetting the state row rebuilds it.
CREATE TABLE IF NOT EXISTS qa_contacts (
  contact_id     VARCHAR NOT NULL,   -- one row each (rewritten by delete and insert: no key constraint, see docs/qa.md)
  start_ms       BIGINT,             -- contact.started, else its first event
  end_ms         BIGINT,             -- contact.ended, if any
  last_ms        BIGINT NOT NULL,    -- its newest event: the band a rewrite reads around
  channel        VARCHAR,
  handler        VARCHAR,            -- ai | hybrid | human
  queues         VARCHAR[] NOT NULL,
  agents         VARCHAR[] NOT NULL, -- who answered it, and who spoke or wrapped it up
  agent          VARCHAR,            -- the contact's agent: who answered it last (else who wrapped it up)
  queue          VARCHAR,            -- its queue: the last answer's (else the last it entered)
  bot_id         VARCHAR,            -- its first bot session's bot
  bot_outcome    VARCHAR,
  reason         VARCHAR,
  intent         VARCHAR,
  csat           INTEGER,
  nps            INTEGER,
  converted      BOOLEAN NOT NULL,
  revenue        DOUBLE,
  disposition    VARCHAR,
  customer_id    VARCHAR,
  segments       INTEGER NOT NULL,
  bot_turns      INTEGER NOT NULL,
  sentiment      DOUBLE,             -- mean over the customer's segments
  sentiment_end  DOUBLE,             -- the customer's last segment
  hold_ms        BIGINT NOT NULL,
  redactions     INTEGER NOT NULL,
  flags          VARCHAR[] NOT NULL
);
CREATE TABLE IF NOT EXISTS qa_contacts_state (id INTEGER PRIMARY KEY, event_rowid BIGINT NOT NULL);
INSERT INTO qa_contacts_state VALUES (1, -1) ON CONFLICT DO NOTHING;
