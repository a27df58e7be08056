-- KPI rollups: each ended local day summed from the KPI facts into 15-minute slots, per dimension and per
-- set of definitions (a "shape"), so that a query over many days sums a few thousand rows per day instead
-- of millions of facts. Written by server/kpi/kpi-rollups.ts; derived data: dropping these rows only costs
-- the time to sum the days again (docs/metrics.md, "Rollups").

-- Where the facts changed, written by each refresh in its own transaction (server/kpi/kpi-facts.ts): a
-- day summed at an earlier watermark than a change that touches it is summed again.
CREATE TABLE IF NOT EXISTS kpi_fact_changes (
  day_utc   BIGINT  NOT NULL,  -- the UTC day (ms // 86,400,000) of the changed contributions
  -- 0: any change on that day. N > 0: a contact's next start changed, which can only move FCR under a
  -- horizon of N days or more. -1: that day and every day after it (agents' states, a rebuild).
  gap_days  INTEGER NOT NULL,
  watermark BIGINT  NOT NULL   -- the facts' event rowid after the refresh that changed it
);

-- The days summed, per shape, and the facts' watermark read before summing them.
CREATE TABLE IF NOT EXISTS kpi_rollup_days (
  shape     VARCHAR NOT NULL,
  day_ms    BIGINT  NOT NULL,  -- the local day's start
  watermark BIGINT  NOT NULL
);

-- The counters per 15-minute slot and key; the column order is SUMMED in kpi-rollups.ts (a test checks).
CREATE TABLE IF NOT EXISTS kpi_rollup_slots (
  shape VARCHAR NOT NULL,
  day_ms BIGINT NOT NULL,
  slot_ms BIGINT NOT NULL,
  key VARCHAR,
  contacts BIGINT, contacts_ai BIGINT, contacts_hybrid BIGINT, contacts_human BIGINT,
  offered BIGINT, answered BIGINT, answered_with_wait BIGINT, answered_wait_ms BIGINT,
  answered_within_threshold BIGINT, exits_within_threshold BIGINT, abandoned BIGINT, short_abandoned BIGINT,
  transferred BIGINT, handled BIGINT, handle_ms BIGINT,
  bot_sessions BIGINT, bot_contained BIGINT, bot_escalated BIGINT, bot_abandoned BIGINT,
  csat_responses BIGINT, csat_top2 BIGINT, csat_sum BIGINT,
  nps_responses BIGINT, nps_promoters BIGINT, nps_detractors BIGINT,
  resolved_responses BIGINT, resolved_yes BIGINT, fcr_contacts BIGINT, fcr_repeated BIGINT,
  conversions BIGINT, busy_ms BIGINT, available_ms BIGINT
);

-- The counters that are maps: escalation reasons (counts) and sales (per currency, in 1/10,000 units).
CREATE TABLE IF NOT EXISTS kpi_rollup_entries (
  shape VARCHAR NOT NULL,
  day_ms BIGINT NOT NULL,
  slot_ms BIGINT NOT NULL,
  key VARCHAR,
  counter VARCHAR NOT NULL,    -- escalationReasons | sales
  name VARCHAR NOT NULL,
  value BIGINT NOT NULL
);
