-- QA settings chosen by admins, one JSON value per key (server/contract/qa.ts): `redaction` for now.
CREATE TABLE IF NOT EXISTS qa_settings (
  key         VARCHAR PRIMARY KEY,
  value       VARCHAR NOT NULL,
  updated_ms  BIGINT NOT NULL,
  updated_by  VARCHAR NOT NULL
);
