-- The event log without its primary key: DuckDB writes a table's whole ART index again at every checkpoint
-- (every 16 MiB of log), so with the key every checkpoint took longer as the log grew and held every commit
-- meanwhile (1.1 s at 4 M events). An id is still stored once: the event store checks new ids against
-- fingerprints of the stored ones (server/ingest/id-fingerprints.ts). The rows are copied in their order,
-- so every rowid (which the derived tables follow) stays what it was.
CREATE TABLE events_016 (
  id          VARCHAR NOT NULL,
  type        VARCHAR NOT NULL,
  at_ms       BIGINT  NOT NULL,
  received_ms BIGINT  NOT NULL,
  contact_id  VARCHAR,
  agent_id    VARCHAR,
  queue       VARCHAR,
  body        JSON    NOT NULL,
  outcome     VARCHAR,
  reason      VARCHAR,
  channel     VARCHAR,
  customer_id VARCHAR,
  state       VARCHAR,
  team        VARCHAR
);
INSERT INTO events_016 SELECT * FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_016 RENAME TO events;
