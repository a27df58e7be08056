/**
 * KPI facts: the stored events turned into contributions that a KPI query only filters and sums
 * (data/migrations/005_kpi_facts.sql). Pairing an exit with its entry or a wrap-up with its answer,
 * and finding a contact's channel, handler and queues, happens here once per change instead of on
 * every request, which is what makes history fast at millions of contacts (docs/metrics.md).
 *
 * The facts follow `events` by rowid (the log is append-only): a refresh reads the events added since
 * the last one, and rewrites the facts of the contacts, agents and customers they touch, in one
 * transaction with the new watermark, so a crash can never leave them half-updated. Look-ups keep to
 * LOOKBACK_MS: a new event rewrites its contact's facts within LOOKBACK_MS of it, from the contact's
 * events within that band (a full rebuild reads LOOKBACK_MS either side of each step).
 *
 * `refreshFacts` runs before every KPI query (so an answer includes everything committed before it
 * was asked) and on a timer in the server (so that queries rarely have anything left to do). Each
 * refresh writes which days it changed (kpi_fact_changes, in its own transaction), so that results
 * kept from the facts (rollups, and days kept in memory) know when they went stale: `changedDays`.
 */
import type { Database, Param, WriteTx } from '../db/duckdb.ts';
import { NEWEST_ROWID } from '../ingest/event-follower.ts';

/** How far a contact's or agent's events are looked up around an event (see docs/metrics.md). */
export const LOOKBACK_MS = 24 * 3_600_000;
/** The longest FCR horizon a setting may choose (server/contract/kpi-settings.ts): repeats are found this far. */
const FCR_MAX_MS = 90 * 86_400_000;
/** Above this many new events a refresh rebuilds all facts day by day rather than contact by contact. */
const FULL_REBUILD_EVENTS = 500_000;
/** New events per transaction of an incremental refresh. */
const STEP_EVENTS = 20_000;
/** How many days of facts a full rebuild writes per step (more is faster, and needs more memory). */
const REBUILD_DAYS = 3;
const DAY_MS = 86_400_000;

export type RefreshStats = { events: number; contacts: number; agents: number; full: boolean; ms: number };
/**
 * Where a refresh changed what facts contribute, by the contributions' own times: spans [lo, hi); the
 * starts of contacts whose customer's next start changed (FCR) with the shorter of the old and new gap;
 * every time from `onward` on (agents' states: the open state counts up to now); or everything.
 */
type Changed = {
  contacts: number;
  agents: number;
  spans: [number, number][];
  repeats: { start: number; gap: number }[];
  onward: number | null;
  everything: boolean;
};

/**
 * Facts per contact from `fx_ev` (events of the contacts being rewritten, over the source window):
 * the contact's start, channel, handler and queues first, then one fact per counted event. Only
 * facts inside [?, ?) (the band being rewritten) are inserted: those outside keep what they were
 * given when an event near them arrived.
 */
const DIMS = `CREATE OR REPLACE TEMP TABLE fx_dims AS
  SELECT c.contact_id, s.start_ms, s.channel, s.customer_id, s.segment,
    CASE WHEN s.contact_id IS NULL THEN NULL WHEN bot.escalated THEN 'hybrid'
         WHEN bot.contact_id IS NOT NULL THEN 'ai' ELSE 'human' END AS handler,
    CASE WHEN s.contact_id IS NOT NULL THEN bot.escalation END AS escalation,
    coalesce(cq.queues, []::VARCHAR[]) AS queues
  FROM (SELECT DISTINCT contact_id FROM fx_ev) c
  LEFT JOIN (SELECT contact_id, min(at_ms) AS start_ms, arg_min(channel, at_ms) AS channel,
               arg_min(customer_id, at_ms) AS customer_id, arg_min(body->>'segment', at_ms) AS segment
             FROM fx_ev WHERE type = 'contact.started' GROUP BY contact_id) s USING (contact_id)
  LEFT JOIN (SELECT contact_id, bool_or(type = 'bot.ended' AND outcome = 'escalated') AS escalated,
               -- The first hand-over's reason, as the bot.ended facts name it (a missing one is 'other').
               arg_min(coalesce(reason, 'other'), (at_ms, id)) FILTER (WHERE type = 'bot.ended' AND outcome = 'escalated') AS escalation
             FROM fx_ev WHERE type IN ('bot.started', 'bot.ended') GROUP BY contact_id) bot USING (contact_id)
  LEFT JOIN (SELECT contact_id, list(DISTINCT queue ORDER BY queue) AS queues
             FROM fx_ev WHERE type = 'queue.entered' AND queue IS NOT NULL GROUP BY contact_id) cq USING (contact_id)`;

// Facts are written in time order: DuckDB skips row groups by their min/max, so a query for a day
// (or a refresh's band) reads that day's rows rather than the whole table.
const INSERT_CONTACTS = `INSERT INTO kpi_contacts
  SELECT contact_id, start_ms, channel, handler, queues, customer_id, NULL, hash(customer_id), segment, escalation
  FROM fx_dims WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms`;

const INSERT_FACTS = `INSERT INTO kpi_facts BY NAME
  WITH
  bots AS (
    SELECT contact_id, type AS kind, at_ms, outcome, coalesce(reason, 'other') AS reason
    FROM fx_ev WHERE type IN ('bot.started', 'bot.ended')),
  entries AS (
    SELECT contact_id, 'queue.entered' AS kind, at_ms, queue FROM fx_ev WHERE type = 'queue.entered'),
  -- Each exit pairs with the latest entry into its queue at or before it. (An ASOF join says the same
  -- but partitions by contact, which is far slower with a partition per contact.)
  exits AS (
    SELECT any_value(l.contact_id) AS contact_id, 'queue.left' AS kind, any_value(l.at_ms) AS at_ms,
      any_value(l.queue) AS queue, any_value(l.agent_id) AS agent_id, any_value(l.outcome) AS outcome,
      any_value(l.at_ms) - max(e.at_ms) AS wait_ms
    FROM (SELECT * FROM fx_ev WHERE type = 'queue.left') l
    LEFT JOIN (SELECT contact_id, queue, at_ms FROM fx_ev WHERE type = 'queue.entered') e
      ON l.contact_id = e.contact_id AND l.queue = e.queue AND l.at_ms >= e.at_ms
    GROUP BY l.id),
  -- Each wrap-up pairs with its agent's latest answer on the contact by (time, event id).
  wrapups AS (
    SELECT any_value(w.contact_id) AS contact_id, 'wrapup' AS kind, any_value(w.at_ms) AS at_ms,
      any_value(w.agent_id) AS agent_id, arg_max(a.queue, (a.at_ms, a.id)) AS queue,
      any_value(w.at_ms) - max(a.at_ms) AS handle_ms
    FROM (SELECT * FROM fx_ev WHERE type = 'wrapup.completed') w
    JOIN (SELECT * FROM fx_ev WHERE type = 'queue.left' AND outcome = 'answered') a
      ON a.contact_id = w.contact_id AND a.agent_id = w.agent_id AND a.at_ms <= w.at_ms
    GROUP BY w.id),
  surveys AS (
    SELECT contact_id, 'survey' AS kind, at_ms, TRY_CAST((body->>'csat') AS INTEGER) AS csat,
      TRY_CAST((body->>'nps') AS INTEGER) AS nps, TRY_CAST((body->>'resolved') AS BOOLEAN) AS resolved
    FROM fx_ev WHERE type = 'survey.completed'),
  conversions AS (
    SELECT contact_id, 'conversion' AS kind, at_ms, (body->>'currency') AS currency,
      TRY_CAST((body->>'amount') AS DOUBLE) AS amount,
      row_number() OVER (PARTITION BY contact_id ORDER BY at_ms, id) = 1 AS first_conversion
    FROM fx_ev WHERE type = 'contact.converted'),
  f AS (
    SELECT * FROM bots
    UNION ALL BY NAME SELECT * FROM entries
    UNION ALL BY NAME SELECT * FROM exits
    UNION ALL BY NAME SELECT * FROM wrapups
    UNION ALL BY NAME SELECT * FROM surveys
    UNION ALL BY NAME SELECT * FROM conversions)
  SELECT f.*, d.channel, d.handler, d.queues, d.segment, d.escalation
  FROM f JOIN fx_dims d USING (contact_id)
  WHERE f.at_ms >= ? AND f.at_ms < ?
  ORDER BY f.at_ms`;

/** Each customer's contacts in start order: the next start is what FCR compares with its horizon. */
const NEXT_STARTS = `UPDATE kpi_contacts k SET next_start_ms = n.next_ms
  FROM (SELECT contact_id, start_ms,
          lead(start_ms) OVER (PARTITION BY customer_id ORDER BY start_ms, contact_id) AS next_ms
        FROM kpi_contacts WHERE customer_id IS NOT NULL) n
  WHERE k.contact_id = n.contact_id AND k.start_ms = n.start_ms AND k.next_start_ms IS DISTINCT FROM n.next_ms`;

const AGENT_STATES = (agents: string) => `INSERT INTO kpi_agent_states
  SELECT agent_id, at_ms, id, state, team, lead(at_ms) OVER (PARTITION BY agent_id ORDER BY at_ms, id)
  FROM events WHERE type = 'agent.state' AND agent_id IS NOT NULL AND at_ms >= ?${agents}
  ORDER BY at_ms`;

/** The columns facts are made from; the JSON body only where a fact reads it (it is most of a row's size). */
const EV_COLUMNS = `id, type, at_ms, contact_id, agent_id, queue, outcome, reason, channel, customer_id,
  CASE WHEN type IN ('survey.completed', 'contact.converted', 'contact.started') THEN body END AS body`;

/** `fx_ev`: the events facts are made from, of the contacts `which` picks, within [from, to). */
async function loadEvents(tx: WriteTx, which: string, from: number, to: number): Promise<void> {
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE fx_ev AS
     SELECT ${EV_COLUMNS} FROM events WHERE at_ms >= ? AND at_ms < ? AND ${which}`,
    [from, to],
  );
}

async function one<R>(tx: WriteTx, sql: string, params: Param[] = []): Promise<R> {
  return (await tx.query(sql, params))[0] as R;
}

/** Rewrites every fact from every event, a day of facts at a time. */
async function rebuildAll(tx: WriteTx): Promise<Changed> {
  await tx.query('DELETE FROM kpi_contacts');
  await tx.query('DELETE FROM kpi_facts');
  await tx.query('DELETE FROM kpi_agent_states');
  const span = await one<{ lo: number | null; hi: number | null }>(
    tx,
    'SELECT min(at_ms) AS lo, max(at_ms) AS hi FROM events WHERE contact_id IS NOT NULL',
  );
  if (span.lo !== null && span.hi !== null) {
    const step = REBUILD_DAYS * DAY_MS;
    for (let day = Math.floor(span.lo / DAY_MS) * DAY_MS; day <= span.hi; day += step) {
      // Every contact with an event in the source window: its facts in this day are rewritten.
      await loadEvents(tx, 'contact_id IS NOT NULL', day - LOOKBACK_MS, day + step + LOOKBACK_MS);
      await tx.query(DIMS);
      await tx.query(INSERT_CONTACTS, [day, day + step]);
      await tx.query(INSERT_FACTS, [day, day + step]);
    }
  }
  await tx.query(NEXT_STARTS);
  await tx.query(AGENT_STATES(''), [Number.MIN_SAFE_INTEGER]);
  const n = await one<{ contacts: number; agents: number }>(
    tx,
    'SELECT (SELECT count(*) FROM kpi_contacts) AS contacts, (SELECT count(DISTINCT agent_id) FROM kpi_agent_states) AS agents',
  );
  return { ...n, spans: [], repeats: [], onward: null, everything: true };
}

/**
 * Rewrites the facts of the contacts, customers and agents that the events in `fx_new` (those after
 * the watermark) touch.
 */
async function refreshNew(tx: WriteTx): Promise<Changed> {
  const changed: Changed = { contacts: 0, agents: 0, spans: [], repeats: [], onward: null, everything: false };
  const span = await one<{
    lo: number | null;
    hi: number | null;
    alo: number | null;
    contacts: number;
    agents: number;
  }>(
    tx,
    `SELECT min(at_ms) FILTER (WHERE contact_id IS NOT NULL) AS lo, max(at_ms) FILTER (WHERE contact_id IS NOT NULL) AS hi,
       min(at_ms) FILTER (WHERE type = 'agent.state' AND agent_id IS NOT NULL) AS alo,
       count(DISTINCT contact_id) AS contacts, count(DISTINCT agent_id) FILTER (WHERE type = 'agent.state') AS agents
     FROM fx_new`,
  );

  if (span.lo !== null && span.hi !== null) {
    // The band of facts the new events can change: a day either side of them, read from the events
    // of their contacts within that band.
    const bandLo = span.lo - LOOKBACK_MS;
    const bandHi = span.hi + LOOKBACK_MS + 1;
    await tx.query(
      'CREATE OR REPLACE TEMP TABLE fx_dirty AS SELECT DISTINCT contact_id FROM fx_new WHERE contact_id IS NOT NULL',
    );
    await loadEvents(tx, 'contact_id IN (SELECT contact_id FROM fx_dirty)', bandLo, bandHi);
    // Every fact deleted or written below sits at the time of one of these events (events are never
    // removed), so their span bounds what changed: usually minutes, not the whole band.
    const source = await one<{ lo: number; hi: number }>(tx, 'SELECT min(at_ms) AS lo, max(at_ms) AS hi FROM fx_ev');
    changed.spans.push([source.lo, source.hi + 1]);
    await tx.query(DIMS);
    const inBand = 'contact_id IN (SELECT contact_id FROM fx_dirty)';
    await tx.query(`DELETE FROM kpi_contacts WHERE start_ms >= ? AND start_ms < ? AND ${inBand}`, [bandLo, bandHi]);
    await tx.query(`DELETE FROM kpi_facts WHERE at_ms >= ? AND at_ms < ? AND ${inBand}`, [bandLo, bandHi]);
    await tx.query(INSERT_CONTACTS, [bandLo, bandHi]);
    await tx.query(INSERT_FACTS, [bandLo, bandHi]);
    // A new (or re-dated) start changes its customer's previous contact's FCR too.
    await tx.query(
      'CREATE OR REPLACE TEMP TABLE fx_customers AS SELECT DISTINCT customer_id FROM fx_dims WHERE customer_id IS NOT NULL',
    );
    // Find the changes first and update only those rows: an UPDATE joined to a ranking of the whole
    // window costs far more than the few rows that ever change (usually none, or the returning
    // customer's previous contact).
    const window = [bandLo - FCR_MAX_MS, bandHi + FCR_MAX_MS];
    await tx.query(
      `CREATE OR REPLACE TEMP TABLE fx_next AS
       WITH theirs AS MATERIALIZED (
         SELECT contact_id, start_ms, next_start_ms, customer_id FROM kpi_contacts
         WHERE start_ms >= ? AND start_ms < ? AND customer_key IN (SELECT hash(customer_id) FROM fx_customers))
       SELECT contact_id, start_ms, next_start_ms AS was_ms, next_ms FROM (
         SELECT contact_id, start_ms, next_start_ms,
           lead(start_ms) OVER (PARTITION BY customer_id ORDER BY start_ms, contact_id) AS next_ms
         FROM theirs)
       WHERE next_start_ms IS DISTINCT FROM next_ms`,
      window,
    );
    const repeats = await tx.query<{ start_ms: number; was_ms: number | null; next_ms: number | null }>(
      'SELECT start_ms, was_ms, next_ms FROM fx_next',
    );
    for (const r of repeats) {
      const gap = Math.min(r.was_ms ?? Infinity, r.next_ms ?? Infinity) - r.start_ms;
      changed.repeats.push({ start: r.start_ms, gap });
    }
    if (repeats.length > 0) {
      await tx.query(
        `UPDATE kpi_contacts k SET next_start_ms = x.next_ms FROM fx_next x
         WHERE k.contact_id = x.contact_id AND k.start_ms = x.start_ms AND k.start_ms >= ? AND k.start_ms < ?
           AND k.contact_id IN (SELECT contact_id FROM fx_next)`,
        window,
      );
    }
  }

  if (span.alo !== null) {
    // Rewritten from the earliest new state on, not a day before it: a state's facts depend only on the
    // next state (its end), which is never earlier, so nothing before it changes but the end of the state
    // it follows (below). Under steady traffic every step touches every agent, and rewriting each one's
    // last day of states made every step, and the commits waiting behind it, slower for a whole day.
    const from = span.alo;
    // States before the earliest new one keep what they count, except the one it ends, and that one
    // only from there on; the open state counts up to whenever a query asks.
    changed.onward = span.alo;
    const agents = ` AND agent_id IN (SELECT DISTINCT agent_id FROM fx_new WHERE type = 'agent.state')`;
    await tx.query(`DELETE FROM kpi_agent_states WHERE at_ms >= ?${agents}`, [from]);
    await tx.query(AGENT_STATES(agents), [from]);
    // The state before the rewritten ones ends where they begin (it may have been the open one),
    // if it began within two days of them: occupancy never reads states from further back.
    await tx.query(
      `UPDATE kpi_agent_states s SET next_ms = f.first_ms
       FROM (SELECT agent_id, min(at_ms) AS first_ms FROM kpi_agent_states WHERE at_ms >= ?${agents} GROUP BY agent_id) f
       WHERE s.agent_id = f.agent_id AND s.at_ms < ? AND s.at_ms >= ? AND (s.next_ms IS NULL OR s.next_ms > f.first_ms)`,
      // As far back as before: the open state may have begun two days before the new one.
      [from, from, from - 2 * LOOKBACK_MS],
    );
  }
  return { ...changed, contacts: span.contacts, agents: span.agents };
}

/**
 * Writes where this refresh changed facts, by UTC day, into kpi_fact_changes in the refresh's own
 * transaction, so that rollups summed from older facts (kpi-rollups.ts) know they are stale, across
 * restarts too. One row per day and kind of change, holding the latest watermark.
 */
async function recordChanges(tx: WriteTx, c: Changed, watermark: number): Promise<void> {
  if (c.everything) {
    await tx.query('DELETE FROM kpi_fact_changes');
    await tx.query('INSERT INTO kpi_fact_changes VALUES (?, -1, ?)', [Number.MIN_SAFE_INTEGER, watermark]);
    return;
  }
  const keys = new Map<number, [number, number]>();
  const add = (day: number, gap: number) => keys.set(day * 1000 + gap, [day, gap]);
  for (const [lo, hi] of c.spans) {
    for (let d = Math.floor(lo / DAY_MS); d <= Math.floor((hi - 1) / DAY_MS); d++) add(d, 0);
  }
  for (const r of c.repeats) {
    // FCR counts a next start within the horizon: a gap of N days or less matters to horizons of N or more.
    const days = Math.ceil(r.gap / DAY_MS);
    if (days <= FCR_MAX_MS / DAY_MS) add(Math.floor(r.start / DAY_MS), days);
  }
  // A change from a day on covers every later day at a newer watermark, so the rows of that kind from
  // that day on say nothing more: they go, and the table stays a few rows per day.
  const onward = c.onward === null ? null : Math.floor(c.onward / DAY_MS);
  if (keys.size === 0 && onward === null) return;
  await tx.query(
    `DELETE FROM kpi_fact_changes
     WHERE (gap_days >= 0 AND day_utc * 1000 + gap_days IN (SELECT unnest(?::BIGINT[])))
        OR (gap_days = -1 AND day_utc >= ?)`,
    [JSON.stringify([...keys.keys()]), onward ?? Number.MAX_SAFE_INTEGER],
  );
  const rows = [...keys.values(), ...(onward === null ? [] : [[onward, -1] as [number, number]])];
  await tx.query('INSERT INTO kpi_fact_changes SELECT unnest(?::BIGINT[]), unnest(?::INTEGER[]), ?', [
    JSON.stringify(rows.map((r) => r[0])),
    JSON.stringify(rows.map((r) => r[1])),
    watermark,
  ]);
}

/**
 * One transaction of a refresh: every new event at once for a rebuild, else at most STEP_EVENTS of
 * them (by rowid), so that commits of new events wait behind one short step, not a long catch-up.
 */
async function refreshStep(db: Database): Promise<RefreshStats & { watermark: number; top: number | null }> {
  const t0 = performance.now();
  return db.write(async (tx) => {
    const { event_rowid: after } = await one<{ event_rowid: number }>(
      tx,
      'SELECT event_rowid FROM kpi_facts_state WHERE id = 1',
    );
    const { top } = await one<{ top: number }>(tx, NEWEST_ROWID);
    // Facts ahead of the log mean events were removed without resetFacts: start again from the log.
    const ahead = after > top;
    const backlog = { top, n: Math.max(0, top - after) };
    if (backlog.n === 0 && !ahead) {
      return {
        events: 0,
        contacts: 0,
        agents: 0,
        full: false,
        ms: performance.now() - t0,
        watermark: after,
        top: null,
      };
    }
    const full = after < 0 || ahead || backlog.n > FULL_REBUILD_EVENTS;
    let upTo = backlog.top;
    let n = backlog.n;
    let touched: Changed;
    if (full) touched = await rebuildAll(tx);
    else {
      // Nothing else writes while this transaction runs: these are the next events after the watermark.
      const last = Math.min(upTo, after + STEP_EVENTS);
      await tx.query(
        `CREATE OR REPLACE TEMP TABLE fx_new AS SELECT rowid AS rid, contact_id, agent_id, type, at_ms
         FROM events WHERE rowid > ? AND rowid <= ?`,
        [after, last],
      );
      n = (await one<{ n: number }>(tx, 'SELECT count(*) AS n FROM fx_new')).n;
      upTo = last;
      touched = await refreshNew(tx);
    }
    await tx.query('UPDATE kpi_facts_state SET event_rowid = ? WHERE id = 1', [upTo]);
    await recordChanges(tx, touched, upTo);
    for (const t of ['fx_new', 'fx_dirty', 'fx_ev', 'fx_dims', 'fx_customers', 'fx_next']) {
      await tx.query(`DROP TABLE IF EXISTS ${t}`);
    }
    return {
      events: n,
      contacts: touched.contacts,
      agents: touched.agents,
      full,
      ms: performance.now() - t0,
      watermark: upTo,
      top: backlog.top,
    };
  });
}

/**
 * Steps until the facts include every event committed before the call: the first step's transaction
 * starts after every commit queued before it, so its backlog is the target.
 */
async function refresh(db: Database): Promise<RefreshStats> {
  const t0 = performance.now();
  const total: RefreshStats = { events: 0, contacts: 0, agents: 0, full: false, ms: 0 };
  // Every KPI query starts here: when nothing was committed since the watermark (the reader sees every
  // commit), answer at once instead of queueing a transaction behind the ingest's commits.
  const [state] = await db.query<{ after: number; top: number }>(
    `SELECT event_rowid AS after, (${NEWEST_ROWID}) AS top FROM kpi_facts_state WHERE id = 1`,
  );
  if (state && state.after >= 0 && state.top === state.after) return { ...total, ms: performance.now() - t0 };
  let target: number | null = null;
  for (;;) {
    const step = await refreshStep(db);
    target ??= step.top;
    total.events += step.events;
    total.contacts += step.contacts;
    total.agents += step.agents;
    total.full ||= step.full;
    if (target === null || step.watermark >= target) break;
  }
  total.ms = performance.now() - t0;
  return total;
}

/** The facts' watermark now: read it before computing from the facts, and stamp the result with it. */
export async function factsWatermark(db: Database): Promise<number> {
  const [state] = await db.query<{ w: number }>('SELECT event_rowid AS w FROM kpi_facts_state WHERE id = 1');
  return state?.w ?? -1;
}

/**
 * The days among `days` whose result, computed from the facts at watermark `stampOf(day)` (undefined:
 * never computed), may be stale: a refresh at a later watermark changed facts of that day
 * (kpi_fact_changes), or a customer's next start within `fcrHorizonMs` of one of its contacts. A
 * result stamped with a watermark read before it was computed is judged stale too often, never too rarely.
 */
export async function changedDays<D extends { start: number; end: number }>(
  db: Database,
  days: readonly D[],
  stampOf: (day: D) => number | undefined,
  fcrHorizonMs: number,
): Promise<D[]> {
  if (days.length === 0) return [];
  const lo = Math.floor(days[0]!.start / DAY_MS);
  const hi = Math.ceil(days.at(-1)!.end / DAY_MS);
  const changes = await db.query<{ day_utc: number; gap_days: number; w: number }>(
    `SELECT day_utc, gap_days, max(watermark) AS w FROM kpi_fact_changes
     WHERE (gap_days = -1 AND day_utc < ?) OR (gap_days BETWEEN 0 AND ? AND day_utc >= ? AND day_utc < ?)
     GROUP BY ALL`,
    [hi, Math.ceil(fcrHorizonMs / DAY_MS), lo, hi],
  );
  return days.filter((d) => {
    const at = stampOf(d);
    if (at === undefined) return true;
    const first = Math.floor(d.start / DAY_MS);
    const last = Math.floor((d.end - 1) / DAY_MS);
    return changes.some(
      (c) => c.w > at && (c.gap_days === -1 ? c.day_utc <= last : c.day_utc >= first && c.day_utc <= last),
    );
  });
}

type Refresher = { running: Promise<RefreshStats> | null; queued: Promise<RefreshStats> | null };
const refreshers = new WeakMap<Database, Refresher>();

/**
 * Brings the facts up to date with every event committed before the call. Concurrent callers share
 * runs: a call made while one runs waits for the next, which starts when that one ends and serves
 * every caller that arrived meanwhile.
 */
export function refreshFacts(db: Database): Promise<RefreshStats> {
  let r = refreshers.get(db);
  if (!r) refreshers.set(db, (r = { running: null, queued: null }));
  const state = r;
  const start = (): Promise<RefreshStats> => {
    const run = refresh(db).finally(() => {
      if (state.running === run) state.running = null;
    });
    state.running = run;
    return run;
  };
  if (!state.running) return start();
  state.queued ??= state.running.then(
    () => {
      state.queued = null;
      return start();
    },
    () => {
      state.queued = null;
      return start();
    },
  );
  return state.queued;
}

/** Makes the next refresh rebuild every fact from the events (after a change to how facts are made). */
export async function resetFacts(db: Database): Promise<void> {
  await db.write((tx) => tx.query('UPDATE kpi_facts_state SET event_rowid = -1 WHERE id = 1'));
}
