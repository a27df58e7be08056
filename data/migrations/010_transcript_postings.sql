-- The transcript index in integer form (server/qa/transcript-index.ts): each term gets a number once
-- (transcript_vocab), each segment the rowid of its event (doc), and the postings are kept sorted by term
-- so that DuckDB's per-row-group min/max skips all but a term's own rows. New postings land in an unsorted
-- tail that a background step merges into the sorted table. What migration 009 indexed is converted here,
-- not tokenized again.
CREATE TABLE transcript_vocab (
  term        VARCHAR PRIMARY KEY,
  id          INTEGER NOT NULL
);
INSERT INTO transcript_vocab
  SELECT term, (row_number() OVER (ORDER BY term))::INTEGER FROM (SELECT DISTINCT term FROM transcript_terms);

CREATE TABLE transcript_segments_010 (
  doc         BIGINT NOT NULL,
  event_id    VARCHAR NOT NULL,
  contact_id  VARCHAR NOT NULL,
  speaker     VARCHAR NOT NULL,
  at_ms       BIGINT NOT NULL,
  text        VARCHAR NOT NULL,
  terms       BIGINT NOT NULL
);
INSERT INTO transcript_segments_010
  SELECT e.rowid, s.event_id, s.contact_id, s.speaker, s.at_ms, s.text, s.terms
  FROM transcript_segments s JOIN events e ON e.id = s.event_id
  ORDER BY e.rowid;

CREATE TABLE transcript_postings (
  term_id     INTEGER NOT NULL,
  doc         BIGINT NOT NULL,
  pos         INTEGER NOT NULL,
  start_ch    INTEGER NOT NULL,
  end_ch      INTEGER NOT NULL
);
INSERT INTO transcript_postings
  SELECT v.id, s.doc, t.pos, t.start_ch, t.end_ch
  FROM transcript_terms t JOIN transcript_vocab v USING (term) JOIN transcript_segments_010 s USING (event_id)
  ORDER BY v.id, s.doc, t.pos;
CREATE TABLE transcript_postings_tail (
  term_id     INTEGER NOT NULL,
  doc         BIGINT NOT NULL,
  pos         INTEGER NOT NULL,
  start_ch    INTEGER NOT NULL,
  end_ch      INTEGER NOT NULL
);

DROP TABLE transcript_terms;
DROP TABLE transcript_segments;
ALTER TABLE transcript_segments_010 RENAME TO transcript_segments;
