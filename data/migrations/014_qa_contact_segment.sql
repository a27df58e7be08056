-- The customer segment on each contact for review (contact.started's `segment`), so that the QA search
-- filters by it and the executive summary's segment figures open the contacts behind them. Derived data:
-- resetting the state row makes the next refresh rewrite every contact with it.
ALTER TABLE qa_contacts ADD COLUMN IF NOT EXISTS segment VARCHAR;
UPDATE qa_contacts_state SET event_rowid = -1 WHERE id = 1;
