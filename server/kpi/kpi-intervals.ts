/**
 * KPI counters per interval and per dimension (queue, channel, handler, agent, team), in DuckDB.
 * The same rules as kpi-sql.ts and the live engine: every contribution lands at its own event time
 * (a queue exit at the exit, a handle time at the wrap-up, a contact at its start), so the intervals
 * of a range add up to the range, and a group equals the range filtered to that group.
 *
 * Dimensions split the metrics they describe: contact metrics (contacts, bots, surveys, conversions,
 * FCR) by queue entered, channel and handler; queue metrics also by agent and team (answers and
 * handle time); occupancy only by agent and team. A metric a dimension cannot split is left out of
 * that breakdown rather than guessed.
 */
import {
  addMoney,
  emptyCounters,
  fcrHorizonMs,
  settingsFor,
  type KpiCounters,
  type KpiSettings,
} from '../contract/kpis.ts';
import type { Database, Param } from '../db/duckdb.ts';
import { startOfDay } from '../time.ts';

/**
 * How far before (and after) the range the look-ups of a contact's other events reach: its earliest
 * start, the queue entry an exit pairs with, the answer a wrap-up pairs with, its bot events, the
 * agent state in force when the range begins. Contacts are far shorter than a day, and looking
 * further would make every query read the whole history; the live engine forgets sooner (4 hours).
 */
export const LOOKBACK_MS = 24 * 3_600_000;

export const INTERVALS = { '15m': 15 * 60_000, '30m': 30 * 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type IntervalName = keyof typeof INTERVALS;
export const DIMENSIONS = ['none', 'queue', 'channel', 'handler', 'agent', 'team'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const MAX_BUCKETS = 5000;

export type IntervalQuery = {
  from: number;
  to: number;
  /** `'range'`: one interval, the whole range (a filter by agent, team or handler uses this). */
  interval: IntervalName | 'range';
  by: Dimension;
  timeZone: string;
  /** Any of these queues; an empty list matches nothing. */
  queues?: readonly string[];
  channel?: string;
};

export type IntervalRow = { start: number; end: number; key: string | null; counters: KpiCounters };

/**
 * Interval starts in the contact center's zone: days begin at local midnight (23 or 25 hours long
 * on a DST change) and shorter intervals restart at each midnight, so 09:00–09:15 is local time.
 * The first interval is clipped to `from`.
 */
export function bucketStarts(from: number, to: number, interval: IntervalName, timeZone: string): number[] {
  const step = INTERVALS[interval];
  const starts: number[] = [];
  for (let day = startOfDay(from, timeZone); day < to && starts.length <= MAX_BUCKETS;) {
    const next = startOfDay(day + 30 * 3_600_000, timeZone);
    if (interval === '1d') starts.push(day);
    else for (let t = day; t < next; t += step) starts.push(t);
    day = next;
  }
  const kept = starts.filter((s, i) => (starts[i + 1] ?? Infinity) > from && s < to);
  if (kept.length && kept[0]! < from) kept[0] = from;
  return kept;
}

/** Which rows a metric family has, and so which dimensions can split it. */
type Family = 'contact' | 'queue' | 'answer' | 'agent';

function keyExpr(by: Dimension, family: Family): string | null {
  switch (by) {
    case 'none':
      return 'NULL';
    case 'channel':
      return family === 'agent' ? null : 'd.channel';
    case 'handler':
      return family === 'agent' ? null : 'd.handler';
    case 'queue':
      return family === 'agent' ? null : family === 'contact' ? 'cq.queue' : 'src.queue';
    case 'agent':
      return family === 'answer' || family === 'agent' ? 'src.agent_id' : null;
    case 'team':
      return family === 'answer' || family === 'agent' ? 'tm.team' : null;
  }
}

type Value = number | string | null | string[];
type Row = Record<string, Value>;
const n = (v: Value | undefined): number => Number(v ?? 0);

/** Contacts' channel and handler (from their earliest start and their bot events), for the contacts in `src`. */
const DIMS = `dims AS (
  SELECT s.contact_id, s.channel,
    CASE WHEN bot.escalated THEN 'hybrid' WHEN bot.contact_id IS NOT NULL THEN 'ai' ELSE 'human' END AS handler
  FROM (SELECT contact_id, arg_min(channel, at_ms) AS channel FROM events
        WHERE type = 'contact.started' AND at_ms >= (SELECT lo FROM win) AND at_ms < (SELECT hi FROM win) AND contact_id IN (SELECT contact_id FROM src)
        GROUP BY contact_id) s
  LEFT JOIN (SELECT contact_id, bool_or(type = 'bot.ended' AND outcome = 'escalated') AS escalated
             FROM events WHERE type IN ('bot.started', 'bot.ended') AND at_ms >= (SELECT lo FROM win) AND at_ms < (SELECT hi FROM win)
               AND contact_id IN (SELECT contact_id FROM src)
             GROUP BY contact_id) bot USING (contact_id))`;
const CQ = `cq AS (SELECT DISTINCT contact_id, queue FROM events
  WHERE type = 'queue.entered' AND at_ms >= (SELECT lo FROM win) AND at_ms < (SELECT hi FROM win) AND contact_id IN (SELECT contact_id FROM src))`;
const TEAMS = `teams AS (
  SELECT agent_id, arg_max(team, at_ms) FILTER (WHERE team IS NOT NULL) AS team
  FROM events WHERE type = 'agent.state' AND at_ms >= (SELECT lo FROM win) AND at_ms < (SELECT hi FROM win) AND agent_id IN (SELECT agent_id FROM src)
  GROUP BY agent_id)`;

export async function kpiIntervals(
  db: Database,
  q: IntervalQuery,
  settings: KpiSettings,
  now = Date.now(),
): Promise<IntervalRow[]> {
  const starts = q.interval === 'range' ? [q.from] : bucketStarts(q.from, q.to, q.interval, q.timeZone);
  if (starts.length > MAX_BUCKETS) throw new RangeError(`more than ${MAX_BUCKETS} intervals`);
  const ends = new Map(starts.map((s, i) => [s, starts[i + 1] ?? q.to]));
  const rows = new Map<string, IntervalRow>();
  const into = (start: number, key: string | null): KpiCounters => {
    const id = `${start}\u0000${key ?? ''}`;
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { start, end: ends.get(start)!, key, counters: emptyCounters() }));
    return r.counters;
  };
  if (starts.length === 0) return [];
  const range: Param[] = [q.from, q.to];

  // Filters as in kpi-sql.ts: contact metrics by the contact's channel and queues entered, queue
  // metrics by their own queue (and the contact's channel). Occupancy is never filtered.
  const list = (xs: readonly string[]) => xs.map(() => '?').join(', ');
  const byChannel = q.channel ? { sql: ' AND d.channel = ?', params: [q.channel] as Param[] } : { sql: '', params: [] };
  const byContactQueue = !q.queues
    ? { sql: '', params: [] as Param[] }
    : q.queues.length === 0
      ? { sql: ' AND false', params: [] }
      : {
          sql: ` AND src.contact_id IN (SELECT contact_id FROM cq WHERE queue IN (${list(q.queues)}))`,
          params: [...q.queues] as Param[],
        };
  const byOwnQueue = !q.queues
    ? { sql: '', params: [] as Param[] }
    : q.queues.length === 0
      ? { sql: ' AND false', params: [] }
      : { sql: ` AND src.queue IN (${list(q.queues)})`, params: [...q.queues] as Param[] };

  /**
   * One family: `src` yields rows with `ts` (the event time the contribution belongs to),
   * `contact_id` and, by family, `queue` / `agent_id`; rows are grouped by interval and key.
   */
  const run = async (
    family: Family,
    src: string,
    srcParams: Param[],
    select: string,
    apply: (c: KpiCounters, r: Row) => void,
  ): Promise<void> => {
    const key = keyExpr(q.by, family);
    if (key === null) return;
    const filter =
      family === 'agent'
        ? { sql: '', params: [] }
        : family === 'contact'
          ? { sql: byChannel.sql + byContactQueue.sql, params: [...byChannel.params, ...byContactQueue.params] }
          : { sql: byChannel.sql + byOwnQueue.sql, params: [...byChannel.params, ...byOwnQueue.params] };
    // A contact that entered two queues counts in both when split by queue, as a filter on either would.
    const joinCq = key === 'cq.queue' ? ' JOIN cq ON cq.contact_id = src.contact_id' : '';
    const needsDims = family !== 'agent' && (/\bd\./.test(key + select) || q.channel !== undefined);
    const joinDims = needsDims ? ' LEFT JOIN dims d ON d.contact_id = src.contact_id' : '';
    const joinTeams = key === 'tm.team' ? ' LEFT JOIN teams tm ON tm.agent_id = src.agent_id' : '';
    const needsCq = joinCq !== '' || (family === 'contact' && q.queues !== undefined);
    const ctes = [
      'b AS (SELECT unnest(?::BIGINT[]) AS b_start)',
      // The look-up window (LOOKBACK_MS around the range) that the contact and agent look-ups keep to.
      'win AS (SELECT ?::BIGINT AS lo, ?::BIGINT AS hi)',
      `src AS (${src})`,
      ...(needsDims ? [DIMS] : []),
      ...(needsCq ? [CQ] : []),
      ...(joinTeams ? [TEAMS] : []),
    ];
    const sql = `WITH ${ctes.join(',\n')}
      SELECT b.b_start, ${key} AS k, ${select}
      FROM src ASOF JOIN b ON src.ts >= b.b_start${joinDims}${joinCq}${joinTeams}
      WHERE src.ts >= ? AND src.ts < ?${filter.sql}
      GROUP BY ALL`;
    const result = await db.query<Row>(sql, [
      JSON.stringify(starts),
      q.from - LOOKBACK_MS,
      q.to + LOOKBACK_MS,
      ...srcParams,
      q.from,
      q.to,
      ...filter.params,
    ]);
    for (const r of result) apply(into(Number(r.b_start), (r.k as string | null) ?? null), r);
  };

  await run(
    'contact',
    // Contacts that started in range, at their earliest start (a duplicate start before the range wins).
    `SELECT contact_id, min(at_ms) AS ts FROM events
     WHERE type = 'contact.started' AND at_ms >= (SELECT lo FROM win) AND contact_id IN (
       SELECT contact_id FROM events WHERE type = 'contact.started' AND at_ms >= ? AND at_ms < ?)
     GROUP BY contact_id`,
    range,
    `count(*) AS contacts, count(*) FILTER (WHERE d.handler = 'ai') AS ai,
     count(*) FILTER (WHERE d.handler = 'hybrid') AS hybrid, count(*) FILTER (WHERE d.handler = 'human') AS human`,
    (c, r) => {
      c.contacts += n(r.contacts);
      c.contactsAi += n(r.ai);
      c.contactsHybrid += n(r.hybrid);
      c.contactsHuman += n(r.human);
    },
  );

  await run(
    'contact',
    `SELECT contact_id, at_ms AS ts, type, outcome, coalesce(reason, 'other') AS reason
     FROM events WHERE type IN ('bot.started', 'bot.ended') AND at_ms >= ? AND at_ms < ?`,
    range,
    `count(*) FILTER (WHERE type = 'bot.started') AS sessions,
     count(*) FILTER (WHERE outcome = 'contained') AS contained,
     count(*) FILTER (WHERE outcome = 'abandoned') AS bot_abandoned,
     count(*) FILTER (WHERE outcome = 'escalated') AS escalated,
     list(reason) FILTER (WHERE outcome = 'escalated') AS reasons`,
    (c, r) => {
      c.botSessions += n(r.sessions);
      c.botContained += n(r.contained);
      c.botAbandoned += n(r.bot_abandoned);
      c.botEscalated += n(r.escalated);
      for (const reason of (r.reasons as string[] | null) ?? []) {
        c.escalationReasons[reason] = (c.escalationReasons[reason] ?? 0) + 1;
      }
    },
  );

  await run(
    'queue',
    `SELECT contact_id, at_ms AS ts, queue FROM events WHERE type = 'queue.entered' AND at_ms >= ? AND at_ms < ?`,
    range,
    'count(*) AS offered',
    (c, r) => {
      c.offered += n(r.offered);
    },
  );

  // Queue exits paired with their entry; thresholds per queue as settingsFor gives them.
  const overrides = Object.keys(settings.queues ?? {}).map((queue) => {
    const s = settingsFor(settings, queue);
    return [queue, s.slThresholdSeconds * 1000, s.shortAbandonSeconds * 1000] as const;
  });
  const thresholds = overrides.length
    ? `SELECT * FROM (VALUES ${overrides.map(() => '(?, ?::BIGINT, ?::BIGINT)').join(', ')}) v(queue, sl_ms, short_ms)`
    : 'SELECT NULL::VARCHAR AS queue, NULL::BIGINT AS sl_ms, NULL::BIGINT AS short_ms WHERE false';
  await run(
    'answer',
    `WITH q AS (${thresholds}),
     l AS (SELECT contact_id, queue, agent_id, at_ms, outcome FROM events
           WHERE type = 'queue.left' AND at_ms >= ? AND at_ms < ?),
     e AS (SELECT contact_id, queue, at_ms FROM events
           WHERE type = 'queue.entered' AND at_ms >= (SELECT lo FROM win) AND contact_id IN (SELECT contact_id FROM l))
     SELECT l.contact_id, l.at_ms AS ts, l.queue, l.agent_id, l.outcome, l.at_ms - e.at_ms AS wait,
       coalesce(q.sl_ms, ?) AS sl_ms, coalesce(q.short_ms, ?) AS short_ms
     FROM l ASOF LEFT JOIN e ON l.contact_id = e.contact_id AND l.queue = e.queue AND l.at_ms >= e.at_ms
     LEFT JOIN q ON q.queue = l.queue`,
    [...overrides.flat(), ...range, settings.slThresholdSeconds * 1000, settings.shortAbandonSeconds * 1000],
    `count(*) FILTER (WHERE outcome = 'answered') AS answered,
     count(*) FILTER (WHERE outcome = 'answered' AND wait IS NOT NULL) AS answered_with_wait,
     sum(wait) FILTER (WHERE outcome = 'answered') AS answered_wait_ms,
     count(*) FILTER (WHERE outcome = 'answered' AND wait <= sl_ms) AS within,
     count(*) FILTER (WHERE wait <= sl_ms) AS exits_within,
     count(*) FILTER (WHERE outcome = 'abandoned' AND wait < short_ms) AS short_abandoned,
     count(*) FILTER (WHERE outcome = 'abandoned' AND (wait IS NULL OR wait >= short_ms)) AS abandoned,
     count(*) FILTER (WHERE outcome = 'transferred') AS transferred`,
    (c, r) => {
      c.answered += n(r.answered);
      c.answeredWithWait += n(r.answered_with_wait);
      c.answeredWaitMs += n(r.answered_wait_ms);
      c.answeredWithinThreshold += n(r.within);
      c.exitsWithinThreshold += n(r.exits_within);
      c.shortAbandoned += n(r.short_abandoned);
      c.abandoned += n(r.abandoned);
      c.transferred += n(r.transferred);
    },
  );

  // Each wrap-up pairs with its agent's latest answer by (time, event id), as in kpi-sql.ts.
  await run(
    'answer',
    `WITH w AS (SELECT id, contact_id, agent_id, at_ms FROM events
           WHERE type = 'wrapup.completed' AND at_ms >= ? AND at_ms < ?),
     a AS (SELECT id, contact_id, agent_id, queue, at_ms FROM events
           WHERE type = 'queue.left' AND at_ms >= (SELECT lo FROM win)
             AND contact_id IN (SELECT contact_id FROM w) AND outcome = 'answered')
     SELECT w.id, any_value(w.contact_id) AS contact_id, any_value(w.agent_id) AS agent_id, any_value(w.at_ms) AS ts,
       any_value(w.at_ms) - max(a.at_ms) AS handle_ms, arg_max(a.queue, (a.at_ms, a.id)) AS queue
     FROM w JOIN a ON a.contact_id = w.contact_id AND a.agent_id = w.agent_id AND a.at_ms <= w.at_ms
     GROUP BY w.id`,
    range,
    'count(*) AS handled, sum(handle_ms) AS handle_ms',
    (c, r) => {
      c.handled += n(r.handled);
      c.handleMs += n(r.handle_ms);
    },
  );

  await run(
    'contact',
    `SELECT contact_id, at_ms AS ts, TRY_CAST((body->>'csat') AS INTEGER) AS csat,
       TRY_CAST((body->>'nps') AS INTEGER) AS nps, TRY_CAST((body->>'resolved') AS BOOLEAN) AS resolved
     FROM events WHERE type = 'survey.completed' AND at_ms >= ? AND at_ms < ?`,
    range,
    `count(csat) AS csat_n, count(*) FILTER (WHERE csat >= 4) AS csat_top2, sum(csat) AS csat_sum,
     count(nps) AS nps_n, count(*) FILTER (WHERE nps >= 9) AS promoters, count(*) FILTER (WHERE nps <= 6) AS detractors,
     count(resolved) AS resolved_n, count(*) FILTER (WHERE resolved) AS resolved_yes`,
    (c, r) => {
      c.csatResponses += n(r.csat_n);
      c.csatTop2 += n(r.csat_top2);
      c.csatSum += n(r.csat_sum);
      c.npsResponses += n(r.nps_n);
      c.npsPromoters += n(r.promoters);
      c.npsDetractors += n(r.detractors);
      c.resolvedResponses += n(r.resolved_n);
      c.resolvedYes += n(r.resolved_yes);
    },
  );

  await run(
    'contact',
    `SELECT contact_id, min(at_ms) AS ts FROM events
     WHERE type = 'contact.converted' AND at_ms >= (SELECT lo FROM win) AND contact_id IN (
       SELECT contact_id FROM events WHERE type = 'contact.converted' AND at_ms >= ? AND at_ms < ?)
     GROUP BY contact_id`,
    range,
    'count(*) AS conversions',
    (c, r) => {
      c.conversions += n(r.conversions);
    },
  );
  await run(
    'contact',
    `SELECT contact_id, at_ms AS ts, (body->>'currency') AS currency, CAST((body->>'amount') AS DOUBLE) AS amount
     FROM events WHERE type = 'contact.converted' AND at_ms >= ? AND at_ms < ?`,
    range,
    `list(currency) AS currencies, list(amount) AS amounts`,
    (c, r) => {
      const currencies = (r.currencies as string[] | null) ?? [];
      const amounts = (r.amounts as unknown as number[] | null) ?? [];
      currencies.forEach((cur, i) => (c.sales[cur] = addMoney(c.sales[cur] ?? 0, amounts[i]!)));
    },
  );

  await run(
    'contact',
    `WITH s AS (
       SELECT contact_id, min(at_ms) AS start_ms, arg_min(customer_id, at_ms) AS customer
       FROM events WHERE type = 'contact.started' AND at_ms >= ? AND at_ms < ? GROUP BY contact_id),
     n AS (
       SELECT contact_id, start_ms,
         lead(start_ms) OVER (PARTITION BY customer ORDER BY start_ms, contact_id) AS next_ms
       FROM s WHERE customer IS NOT NULL)
     SELECT contact_id, start_ms AS ts, coalesce(next_ms - start_ms <= ?, false) AS repeated FROM n`,
    // Only starts within a horizon of the range can be a range contact's start or its successor.
    [q.from - fcrHorizonMs(settings), q.to + fcrHorizonMs(settings), fcrHorizonMs(settings)],
    'count(*) AS eligible, count(*) FILTER (WHERE repeated) AS repeated',
    (c, r) => {
      c.fcrContacts += n(r.eligible);
      c.fcrRepeated += n(r.repeated);
    },
  );

  // Occupancy: agent state intervals (to the next state, or now), cut at interval boundaries.
  const byAgent = keyExpr(q.by, 'agent');
  if (byAgent !== null) {
    const end = Math.min(q.to, now);
    const key = byAgent === 'src.agent_id' ? 'i.agent_id' : byAgent === 'tm.team' ? 'tm.team' : 'NULL';
    const result = await db.query<Row>(
      `WITH b AS (SELECT unnest(?::BIGINT[]) AS b_start),
       win AS (SELECT ?::BIGINT AS lo, ?::BIGINT AS hi),
       bb AS (SELECT b_start, coalesce(lead(b_start) OVER (ORDER BY b_start), ?) AS b_end FROM b),
       i AS (
         SELECT agent_id, at_ms, state,
           coalesce(lead(at_ms) OVER (PARTITION BY agent_id ORDER BY at_ms, id), ?) AS next_ms
         FROM events WHERE type = 'agent.state' AND at_ms >= ? AND at_ms < ?
         QUALIFY next_ms > ?),
       src AS (SELECT DISTINCT agent_id FROM i),
       ${TEAMS},
       cut AS (
         SELECT bb.b_start, i.agent_id, i.state,
           least(i.next_ms, bb.b_end, ?) - greatest(i.at_ms, bb.b_start) AS ms
         FROM i JOIN bb ON i.at_ms < bb.b_end AND i.next_ms > bb.b_start)
       SELECT cut.b_start, ${key.replace('i.agent_id', 'cut.agent_id')} AS k,
         sum(ms) FILTER (WHERE state IN ('on_contact', 'wrap_up') AND ms > 0) AS busy,
         sum(ms) FILTER (WHERE state = 'available' AND ms > 0) AS available
       FROM cut${key === 'tm.team' ? ' LEFT JOIN teams tm ON tm.agent_id = cut.agent_id' : ''}
       GROUP BY ALL`,
      [
        JSON.stringify(starts),
        q.from - LOOKBACK_MS,
        q.to + LOOKBACK_MS,
        q.to,
        end,
        q.from - LOOKBACK_MS,
        q.to,
        q.from,
        end,
      ],
    );
    for (const r of result) {
      const c = into(Number(r.b_start), (r.k as string | null) ?? null);
      c.busyMs += n(r.busy);
      c.availableMs += n(r.available);
    }
  }

  return [...rows.values()].sort((a, b) => a.start - b.start || (a.key ?? '').localeCompare(b.key ?? ''));
}
