-- Scale-out (docs/scaling.md): how far this node has read the shared event stream. Written in the same
-- transaction as the events it covers, so after a crash the node resumes exactly where its database
-- ends: nothing read twice into the live state, nothing skipped. Keyed by stream name, so a node moved
-- to another stream starts that one from its beginning.
CREATE TABLE IF NOT EXISTS stream_positions (
  stream VARCHAR PRIMARY KEY,
  seq BIGINT NOT NULL
);
