-- Two more of a contact's own attributes on its KPI facts, so that any figure splits by them as by channel
-- and handler (server/kpi/kpi-interval-sql.ts): the customer segment its contact.started names (e.g. vip),
-- and why its bot handed it to people (the first escalated bot.ended's reason). The executive summary
-- reads outcomes by segment and handler, and the CSAT that follows each escalation reason, from these
-- (docs/executive.md). Facts are derived data: resetting the state row makes the next refresh rebuild them.
ALTER TABLE kpi_contacts ADD COLUMN IF NOT EXISTS segment VARCHAR;
ALTER TABLE kpi_contacts ADD COLUMN IF NOT EXISTS escalation VARCHAR;
ALTER TABLE kpi_facts ADD COLUMN IF NOT EXISTS segment VARCHAR;
ALTER TABLE kpi_facts ADD COLUMN IF NOT EXISTS escalation VARCHAR;
UPDATE kpi_facts_state SET event_rowid = -1 WHERE id = 1;

-- What an executive summary prices contacts with (server/executive/costs.ts): one row, JSON like kpi_settings.
CREATE TABLE IF NOT EXISTS summary_settings (
  id          INTEGER PRIMARY KEY,
  settings    VARCHAR NOT NULL,
  updated_ms  BIGINT NOT NULL,
  updated_by  VARCHAR NOT NULL
);
