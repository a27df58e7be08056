-- Fields the KPI queries read on every request, as plain columns: extracting them from the JSON body of
-- millions of rows costs more than the rest of a query. Filled at ingest (server/ingest/event-store.ts);
-- rows stored before this migration are filled here, once.
ALTER TABLE events ADD COLUMN outcome VARCHAR;
ALTER TABLE events ADD COLUMN reason VARCHAR;
ALTER TABLE events ADD COLUMN channel VARCHAR;
ALTER TABLE events ADD COLUMN customer_id VARCHAR;
ALTER TABLE events ADD COLUMN state VARCHAR;
ALTER TABLE events ADD COLUMN team VARCHAR;
UPDATE events SET
  outcome = (body->>'outcome'),
  reason = (body->>'reason'),
  channel = (body->>'channel'),
  customer_id = (body->>'customerId'),
  state = (body->>'state'),
  team = (body->>'team');

ALTER TABLE events_incoming ADD COLUMN outcome VARCHAR;
ALTER TABLE events_incoming ADD COLUMN reason VARCHAR;
ALTER TABLE events_incoming ADD COLUMN channel VARCHAR;
ALTER TABLE events_incoming ADD COLUMN customer_id VARCHAR;
ALTER TABLE events_incoming ADD COLUMN state VARCHAR;
ALTER TABLE events_incoming ADD COLUMN team VARCHAR;
