-- QA scorecards, evaluations and calibration sessions (server/contract/scorecards.ts, server/qa/scorecards.ts).
-- A scorecard is versioned: an edit adds a version and an evaluation keeps the version it was scored with,
-- so an old score never changes. One evaluated is archived instead of deleted.
CREATE TABLE IF NOT EXISTS scorecards (
  id          VARCHAR PRIMARY KEY,
  version     INTEGER NOT NULL,      -- the latest
  archived_ms BIGINT,
  archived_by VARCHAR
);
CREATE TABLE IF NOT EXISTS scorecard_versions (
  id          VARCHAR NOT NULL,
  version     INTEGER NOT NULL,
  name        VARCHAR NOT NULL,
  spec        VARCHAR NOT NULL,      -- the validated JSON of the scorecard, name included
  created_ms  BIGINT NOT NULL,
  created_by  VARCHAR NOT NULL,
  PRIMARY KEY (id, version)
);

-- One row per evaluation. Scores are stored as computed when it was made (0-100, NULL where nothing
-- applied); `detail` holds the rest of the result (sections, the critical questions that failed).
-- The QA search filters contacts on `score` and `failed_critical`.
CREATE TABLE IF NOT EXISTS qa_evaluations (
  id                VARCHAR PRIMARY KEY,
  contact_id        VARCHAR NOT NULL,
  scorecard_id      VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  reviewer          VARCHAR NOT NULL,  -- username
  created_at        BIGINT NOT NULL,   -- epoch ms
  answers           JSON NOT NULL,
  comment           VARCHAR,
  score             DOUBLE,
  bot_score         DOUBLE,
  agent_score       DOUBLE,
  handoff_score     DOUBLE,
  failed_critical   BOOLEAN NOT NULL,
  detail            JSON NOT NULL,
  calibration_id    VARCHAR            -- set for a calibration exercise; those stay out of the rollups
);

CREATE TABLE IF NOT EXISTS qa_calibrations (
  id                VARCHAR PRIMARY KEY,
  contact_id        VARCHAR NOT NULL,
  scorecard_id      VARCHAR NOT NULL,
  scorecard_version INTEGER NOT NULL,
  owner             VARCHAR NOT NULL,
  reviewers         VARCHAR NOT NULL,  -- JSON array of usernames
  created_ms        BIGINT NOT NULL
);
