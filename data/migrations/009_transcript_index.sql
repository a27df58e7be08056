-- The transcript search index (server/qa/transcript-index.ts), built from transcript.segment events
-- by rowid like the KPI facts: segments with their text (already redacted at ingest), and every search
-- term with its position and where it is in the text, for phrases and highlighted snippets.
CREATE TABLE IF NOT EXISTS transcript_segments (
  event_id    VARCHAR PRIMARY KEY,
  contact_id  VARCHAR NOT NULL,
  speaker     VARCHAR NOT NULL,
  at_ms       BIGINT NOT NULL,
  text        VARCHAR NOT NULL,
  terms       BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS transcript_terms (
  term        VARCHAR NOT NULL,
  event_id    VARCHAR NOT NULL,
  pos         BIGINT NOT NULL,
  start_ch    BIGINT NOT NULL,
  end_ch      BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS transcript_index_state (id INTEGER PRIMARY KEY, event_rowid BIGINT NOT NULL);
INSERT INTO transcript_index_state VALUES (1, -1) ON CONFLICT DO NOTHING;
