/**
 * KPI counters for any past range, computed in DuckDB from the stored events.
 * Each query mirrors a rule of the live engine (see docs/architecture.md, "Two engines, one answer"):
 * the same pairing (ASOF joins), the same attribution to event time, the same ordering of ties.
 */
import { emptyCounters, fcrHorizonMs, type KpiCounters, type KpiSettings } from '../contract/kpis.ts';
import type { Database, Param } from '../db/duckdb.ts';

export type KpiFilter = {
  from: number;
  to: number;
  /** Any of these queues; an empty list matches nothing (a scope that allows no queue). */
  queues?: readonly string[];
  channel?: string;
};

/** `column IN (?, ?, …)` with its parameters; `false` for an empty list. */
function inList(column: string, list: readonly string[]): { sql: string; params: Param[] } {
  if (list.length === 0) return { sql: 'false', params: [] };
  return { sql: `${column} IN (${list.map(() => '?').join(', ')})`, params: [...list] };
}

/**
 * How far before (and after) the range the look-ups of a contact's other events reach: its earliest
 * start, the queue entry an exit pairs with, the answer a wrap-up pairs with, its bot events, the
 * agent state in force when the range begins. Contacts are far shorter than a day, and looking
 * further would make every query read the whole history; the live engine forgets sooner (4 hours).
 */
export const LOOKBACK_MS = 24 * 3_600_000;

type Num = number | null;
const n = (v: Num | undefined): number => Number(v ?? 0);

/** Restricts contact-level metrics to contacts of a channel and/or that entered a queue. */
function contactScope(filter: KpiFilter, column: string): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  if (filter.channel) {
    parts.push(
      `${column} IN (SELECT contact_id FROM events WHERE type = 'contact.started' AND at_ms >= ? AND at_ms < ?
        GROUP BY contact_id HAVING arg_min(channel, at_ms) = ?)`,
    );
    params.push(filter.from - LOOKBACK_MS, filter.to + LOOKBACK_MS, filter.channel);
  }
  if (filter.queues) {
    const q = inList('queue', filter.queues);
    parts.push(
      `${column} IN (SELECT contact_id FROM events WHERE type = 'queue.entered' AND at_ms >= ? AND at_ms < ? AND ${q.sql})`,
    );
    params.push(filter.from - LOOKBACK_MS, filter.to + LOOKBACK_MS, ...q.params);
  }
  return { sql: parts.length ? ' AND ' + parts.join(' AND ') : '', params };
}

export async function kpiCounters(
  db: Database,
  filter: KpiFilter,
  settings: KpiSettings,
  now = Date.now(),
): Promise<KpiCounters> {
  const { from, to } = filter;
  const c = emptyCounters();
  const scope = contactScope(filter, 'contact_id');
  const queueIn = filter.queues ? inList('queue', filter.queues) : null;
  const queueOnly = queueIn ? ` AND ${queueIn.sql}` : '';
  const queueParam: Param[] = queueIn ? queueIn.params : [];
  // Queue metrics filter on the queue itself; the channel still scopes them by contact.
  const channelOnly = (column: string) => contactScope({ from, to, channel: filter.channel }, column);

  const [contacts] = await db.query<Record<string, Num>>(
    `WITH started AS (
       SELECT contact_id, min(at_ms) AS at FROM events
       WHERE type = 'contact.started' AND at_ms >= ? AND at_ms < ? AND contact_id IN (
         SELECT contact_id FROM events WHERE type = 'contact.started' AND at_ms >= ? AND at_ms < ?)
       GROUP BY contact_id),
     bot AS (
       SELECT contact_id, bool_or(type = 'bot.ended' AND outcome = 'escalated') AS escalated
       FROM events WHERE type IN ('bot.started', 'bot.ended') AND at_ms >= ? AND at_ms < ? GROUP BY contact_id)
     SELECT count(*) AS contacts,
       count(*) FILTER (WHERE bot.escalated) AS hybrid,
       count(*) FILTER (WHERE bot.contact_id IS NOT NULL AND NOT bot.escalated) AS ai,
       count(*) FILTER (WHERE bot.contact_id IS NULL) AS human
     FROM started LEFT JOIN bot USING (contact_id)
     WHERE started.at >= ? AND started.at < ?${scope.sql}`,
    [from - LOOKBACK_MS, to, from, to, from - LOOKBACK_MS, to + LOOKBACK_MS, from, to, ...scope.params],
  );
  c.contacts = n(contacts?.contacts);
  c.contactsHybrid = n(contacts?.hybrid);
  c.contactsAi = n(contacts?.ai);
  c.contactsHuman = n(contacts?.human);

  // FCR: a contact is repeated when the next contact of the same customer (by start, then id) starts
  // within the horizon; the customer is the one on the contact's earliest start, as the live engine reads it.
  const [fcr] = await db.query<Record<string, Num>>(
    `WITH s AS (
       SELECT contact_id, min(at_ms) AS start_ms, arg_min(customer_id, at_ms) AS customer
       FROM events WHERE type = 'contact.started' AND at_ms >= ? AND at_ms < ? GROUP BY contact_id),
     c AS (
       SELECT * FROM s
       WHERE customer IN (SELECT customer FROM s WHERE start_ms >= ? AND start_ms < ? AND customer IS NOT NULL)),
     n AS (
       SELECT contact_id, start_ms,
         lead(start_ms) OVER (PARTITION BY customer ORDER BY start_ms, contact_id) AS next_ms
       FROM c)
     SELECT count(*) AS eligible, count(*) FILTER (WHERE next_ms - start_ms <= ?) AS repeated
     FROM n WHERE start_ms >= ? AND start_ms < ?${scope.sql}`,
    // Only starts within a horizon of the range can be a range contact's start or its successor.
    [
      from - fcrHorizonMs(settings),
      to + fcrHorizonMs(settings),
      from,
      to,
      fcrHorizonMs(settings),
      from,
      to,
      ...scope.params,
    ],
  );
  c.fcrContacts = n(fcr?.eligible);
  c.fcrRepeated = n(fcr?.repeated);

  const bots = await db.query<{ type: string; outcome: string | null; reason: string | null; k: number }>(
    `SELECT type, outcome, coalesce(reason, 'other') AS reason, count(*) AS k
     FROM events WHERE type IN ('bot.started', 'bot.ended') AND at_ms >= ? AND at_ms < ?${scope.sql}
     GROUP BY ALL`,
    [from, to, ...scope.params],
  );
  for (const r of bots) {
    if (r.type === 'bot.started') c.botSessions += r.k;
    else if (r.outcome === 'contained') c.botContained += r.k;
    else if (r.outcome === 'abandoned') c.botAbandoned += r.k;
    else if (r.outcome === 'escalated') {
      c.botEscalated += r.k;
      c.escalationReasons[r.reason ?? 'other'] = (c.escalationReasons[r.reason ?? 'other'] ?? 0) + r.k;
    }
  }

  const [offered] = await db.query<{ k: number }>(
    `SELECT count(*) AS k FROM events WHERE type = 'queue.entered' AND at_ms >= ? AND at_ms < ?${queueOnly}${channelOnly('contact_id').sql}`,
    [from, to, ...queueParam, ...channelOnly('contact_id').params],
  );
  c.offered = n(offered?.k);

  const channelScope = channelOnly('l.contact_id');
  // Per-queue thresholds, as the live engine applies them (settingsFor): a small VALUES table.
  const overrides = Object.entries(settings.queues ?? {});
  const qTable = overrides.length
    ? `SELECT * FROM (VALUES ${overrides.map(() => '(?, ?::BIGINT, ?::BIGINT)').join(', ')}) v(queue, sl_ms, short_ms)`
    : 'SELECT NULL::VARCHAR AS queue, NULL::BIGINT AS sl_ms, NULL::BIGINT AS short_ms WHERE false';
  const qParams: Param[] = overrides.flatMap(([queue, o]) => [
    queue,
    o.slThresholdSeconds === undefined ? null : o.slThresholdSeconds * 1000,
    o.shortAbandonSeconds === undefined ? null : o.shortAbandonSeconds * 1000,
  ]);
  const [lefts] = await db.query<Record<string, Num>>(
    `WITH q AS (${qTable}),
     l AS (
       SELECT id, contact_id, queue, at_ms, outcome FROM events
       WHERE type = 'queue.left' AND at_ms >= ? AND at_ms < ?${queueOnly}),
     e AS (
       SELECT contact_id, queue, at_ms FROM events
       WHERE type = 'queue.entered' AND at_ms >= ? AND at_ms < ? AND contact_id IN (SELECT contact_id FROM l)),
     p AS (
       SELECT l.outcome, l.at_ms - e.at_ms AS wait,
         coalesce(q.sl_ms, ?) AS sl_ms, coalesce(q.short_ms, ?) AS short_ms
       FROM l ASOF LEFT JOIN e ON l.contact_id = e.contact_id AND l.queue = e.queue AND l.at_ms >= e.at_ms
       LEFT JOIN q ON q.queue = l.queue
       WHERE true${channelScope.sql})
     SELECT
       count(*) FILTER (WHERE outcome = 'answered') AS answered,
       count(*) FILTER (WHERE outcome = 'answered' AND wait IS NOT NULL) AS answered_with_wait,
       sum(wait) FILTER (WHERE outcome = 'answered') AS answered_wait_ms,
       count(*) FILTER (WHERE outcome = 'answered' AND wait <= sl_ms) AS within,
       count(*) FILTER (WHERE wait <= sl_ms) AS exits_within,
       count(*) FILTER (WHERE outcome = 'abandoned' AND wait < short_ms) AS short_abandoned,
       count(*) FILTER (WHERE outcome = 'abandoned' AND (wait IS NULL OR wait >= short_ms)) AS abandoned,
       count(*) FILTER (WHERE outcome = 'transferred') AS transferred
     FROM p`,
    [
      ...qParams,
      from,
      to,
      ...queueParam,
      from - LOOKBACK_MS,
      to,
      settings.slThresholdSeconds * 1000,
      settings.shortAbandonSeconds * 1000,
      ...channelScope.params,
    ],
  );
  c.answered = n(lefts?.answered);
  c.answeredWithWait = n(lefts?.answered_with_wait);
  c.answeredWaitMs = n(lefts?.answered_wait_ms);
  c.answeredWithinThreshold = n(lefts?.within);
  c.exitsWithinThreshold = n(lefts?.exits_within);
  c.shortAbandoned = n(lefts?.short_abandoned);
  c.abandoned = n(lefts?.abandoned);
  c.transferred = n(lefts?.transferred);

  const wrapScope = channelOnly('w.contact_id');
  const [handled] = await db.query<Record<string, Num>>(
    `WITH w AS (
       SELECT id, contact_id, agent_id, at_ms FROM events WHERE type = 'wrapup.completed' AND at_ms >= ? AND at_ms < ?),
     a AS (
       SELECT id, contact_id, agent_id, queue, at_ms FROM events
       WHERE type = 'queue.left' AND outcome = 'answered' AND at_ms >= ? AND at_ms < ?
         AND contact_id IN (SELECT contact_id FROM w)),
     -- Each wrap-up pairs with its agent's latest answer by (time, event id), as the live engine does.
     paired AS (
       SELECT w.id, any_value(w.contact_id) AS contact_id, any_value(w.at_ms) - max(a.at_ms) AS handle_ms,
              arg_max(a.queue, (a.at_ms, a.id)) AS queue
       FROM w JOIN a ON a.contact_id = w.contact_id AND a.agent_id = w.agent_id AND a.at_ms <= w.at_ms
       GROUP BY w.id)
     SELECT count(*) AS handled, sum(handle_ms) AS handle_ms
     FROM paired AS w
     WHERE true${filter.queues ? ` AND ${inList('w.queue', filter.queues).sql}` : ''}${wrapScope.sql}`,
    [from, to, from - LOOKBACK_MS, to, ...queueParam, ...wrapScope.params],
  );
  c.handled = n(handled?.handled);
  c.handleMs = n(handled?.handle_ms);

  const [surveys] = await db.query<Record<string, Num>>(
    `WITH s AS (
       SELECT TRY_CAST((body->>'csat') AS INTEGER) AS csat, TRY_CAST((body->>'nps') AS INTEGER) AS nps,
              TRY_CAST((body->>'resolved') AS BOOLEAN) AS resolved
       FROM events WHERE type = 'survey.completed' AND at_ms >= ? AND at_ms < ?${scope.sql})
     SELECT count(csat) AS csat_n, count(*) FILTER (WHERE csat >= 4) AS csat_top2, sum(csat) AS csat_sum,
       count(nps) AS nps_n, count(*) FILTER (WHERE nps >= 9) AS promoters, count(*) FILTER (WHERE nps <= 6) AS detractors,
       count(resolved) AS resolved_n, count(*) FILTER (WHERE resolved) AS resolved_yes
     FROM s`,
    [from, to, ...scope.params],
  );
  c.csatResponses = n(surveys?.csat_n);
  c.csatTop2 = n(surveys?.csat_top2);
  c.csatSum = n(surveys?.csat_sum);
  c.npsResponses = n(surveys?.nps_n);
  c.npsPromoters = n(surveys?.promoters);
  c.npsDetractors = n(surveys?.detractors);
  c.resolvedResponses = n(surveys?.resolved_n);
  c.resolvedYes = n(surveys?.resolved_yes);

  const [conversions] = await db.query<{ k: number }>(
    `SELECT count(*) AS k FROM (
       SELECT contact_id, min(at_ms) AS first FROM events
       WHERE type = 'contact.converted' AND at_ms >= ? AND at_ms < ?${scope.sql} GROUP BY contact_id)
     WHERE first >= ? AND first < ?`,
    [from - LOOKBACK_MS, to, ...scope.params, from, to],
  );
  c.conversions = n(conversions?.k);
  const sales = await db.query<{ currency: string; amount: number }>(
    `SELECT (body->>'currency') AS currency, sum(CAST(CAST((body->>'amount') AS DOUBLE) AS DECIMAL(18, 4)))::DOUBLE AS amount
     FROM events WHERE type = 'contact.converted' AND at_ms >= ? AND at_ms < ?${scope.sql} GROUP BY 1 ORDER BY 1`,
    [from, to, ...scope.params],
  );
  for (const r of sales) c.sales[r.currency] = r.amount;

  // Agent state intervals, each ending at the agent's next state (or now), clipped to the range.
  const end = Math.min(to, now);
  const [occ] = await db.query<Record<string, Num>>(
    `WITH s AS (
       SELECT at_ms, state AS state,
              lead(at_ms) OVER (PARTITION BY agent_id ORDER BY at_ms, id) AS next_ms
       FROM events WHERE type = 'agent.state' AND at_ms >= ?),
     clipped AS (
       SELECT state, least(coalesce(next_ms, ?), ?) - greatest(at_ms, ?) AS ms FROM s)
     SELECT sum(ms) FILTER (WHERE state IN ('on_contact', 'wrap_up') AND ms > 0) AS busy,
            sum(ms) FILTER (WHERE state = 'available' AND ms > 0) AS available
     FROM clipped`,
    [from - LOOKBACK_MS, end, end, from],
  );
  c.busyMs = n(occ?.busy);
  c.availableMs = n(occ?.available);
  return c;
}
