-- KPI definitions and targets chosen by admins: scope '*' holds the defaults, any other scope is a queue.
-- Both columns are JSON objects (see server/contract/kpi-settings.ts); environment variables give the
-- defaults until an admin saves some.
CREATE TABLE IF NOT EXISTS kpi_settings (
  scope       VARCHAR PRIMARY KEY,
  settings    VARCHAR NOT NULL,
  targets     VARCHAR NOT NULL,
  updated_ms  BIGINT NOT NULL,
  updated_by  VARCHAR NOT NULL
);
