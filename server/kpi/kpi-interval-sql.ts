/**
 * KPI counters per interval and per dimension (queue, channel, handler, agent, team, the customer
 * segment, the escalation reason, handler and segment together), in DuckDB.
 * The same rules as kpi-sql.ts and the live engine: every contribution lands at its own event time
 * (a queue exit at the exit, a handle time at the wrap-up, a contact at its start), so the intervals
 * of a range add up to the range, and a group equals the range filtered to that group.
 *
 * Dimensions split the metrics they describe: contact metrics (contacts, bots, surveys, conversions,
 * FCR) by queue entered and by the contact's own attributes (channel, handler, segment, escalation
 * reason), and so are queue metrics, which also split by agent and team (answers and handle time);
 * occupancy only by agent and team. A metric a dimension cannot split is left out of
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
import { LOOKBACK_MS } from './kpi-facts.ts';

export const INTERVALS = { '15m': 15 * 60_000, '30m': 30 * 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type IntervalName = keyof typeof INTERVALS;
export const DIMENSIONS = [
  'none',
  'queue',
  'channel',
  'handler',
  'agent',
  'team',
  'segment',
  'escalation',
  'handler_segment',
] as const;
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
  /** Count only what happens within these spans (business hours: see business-hours.ts). */
  open?: readonly (readonly [number, number])[];
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

export type Day = { start: number; end: number };

/**
 * The whole local days of the range that have ended by `now`: what can be computed once and kept
 * (kpi-intervals.ts). A partial day at either end of the range is not one of them.
 */
export function wholeDays(q: IntervalQuery, now: number): Day[] {
  const midnight = (t: number) => startOfDay(t, q.timeZone) === t;
  return bucketStarts(q.from, q.to, '1d', q.timeZone)
    .map((start, i, all) => ({ start, end: all[i + 1] ?? q.to }))
    .filter((d) => d.end <= now && midnight(d.start) && midnight(d.end));
}

type Value = number | string | null | string[] | number[];
type Row = Record<string, Value>;
const n = (v: Value | undefined): number => Number(v ?? 0);

/** Dimensions that are a contact's own attributes, carried on each of its facts. */
type ContactAttribute = 'channel' | 'handler' | 'segment' | 'escalation' | 'handler_segment';

/**
 * The key of a `handler_segment` row: the handler, a slash, then the segment (empty when the contact
 * names none). Handlers never hold a slash, so the first one splits it (`splitHandlerSegment`).
 */
const attributeKeys = (t: string): Record<ContactAttribute, string> => ({
  channel: `${t}.channel`,
  handler: `${t}.handler`,
  segment: `${t}.segment`,
  escalation: `${t}.escalation`,
  handler_segment: `CASE WHEN ${t}.handler IS NOT NULL THEN ${t}.handler || '/' || coalesce(${t}.segment, '') END`,
});

export function splitHandlerSegment(key: string): { handler: string; segment: string | null } {
  const at = key.indexOf('/');
  return { handler: key.slice(0, at), segment: key.slice(at + 1) || null };
}

/** Fact kinds that belong to a queue (split by their own queue, agent and team); the rest belong to the contact. */
const QUEUE_KINDS = "('queue.entered', 'queue.left', 'wrapup')";
const ANSWER_KINDS = "('queue.left', 'wrapup')";

/**
 * Rows are put in their interval through a map from fixed-width slots (`at_ms // width`) to the
 * interval holding each: a hash join on a small table instead of sorting millions of facts. The
 * width is the largest that every interval boundary falls on (the range's own start aside): a day in
 * UTC, an hour or a quarter hour elsewhere, since every time zone in use is offset by whole quarters.
 */
export function slotMap(
  starts: readonly number[],
  to: number,
  open: readonly (readonly [number, number])[] | undefined,
  fixedWidth?: number,
): { width: number; slots: number[]; intervals: number[] } {
  // Business hours open and close on local quarter hours, so slots are at most that wide then.
  const bounds = [...starts.slice(1), ...(open ?? []).flat().filter((t) => t > starts[0]! && t < to)];
  const width =
    fixedWidth ??
    [86_400_000, 3_600_000, 900_000, 60_000, 1_000, 1].find(
      (g) => (!open || g <= 900_000) && bounds.every((s) => s % g === 0),
    )!;
  const slots: number[] = [];
  const intervals: number[] = [];
  let i = 0;
  let o = 0;
  for (let slot = Math.floor(starts[0]! / width); slot * width < to; slot++) {
    const at = Math.max(slot * width, starts[0]!);
    while (i + 1 < starts.length && starts[i + 1]! <= at) i++;
    if (open) {
      while (o < open.length && open[o]![1] <= at) o++;
      // A closed slot is left out of the map, and so are the rows in it.
      if (o === open.length || open[o]![0] > at) continue;
    }
    slots.push(slot);
    intervals.push(starts[i]!);
    if (slots.length > 1_000_000) throw new RangeError('time zone offsets this irregular need a shorter range');
  }
  return { width, slots, intervals };
}

/** Each agent's team (`tm.team`): the latest one its states name within a day of the range. */
const teamsJoin = (agentColumn: string) => ` LEFT JOIN (
    SELECT agent_id, arg_max(team, at_ms) FILTER (WHERE team IS NOT NULL) AS team
    FROM kpi_agent_states WHERE at_ms >= ? AND at_ms < ? GROUP BY agent_id) tm ON tm.agent_id = ${agentColumn}`;
const teamsParams = (q: IntervalQuery): Param[] => [q.from - LOOKBACK_MS, q.to + LOOKBACK_MS];

/** The parts of each interval to count: the interval itself, or its open spans. */
function segments(
  starts: readonly number[],
  to: number,
  open: readonly (readonly [number, number])[] | undefined,
): { interval: number; lo: number; hi: number }[] {
  const out: { interval: number; lo: number; hi: number }[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? to;
    if (!open) out.push({ interval: start, lo: start, hi: end });
    else
      for (const [a, b] of open) {
        const lo = Math.max(a, start);
        const hi = Math.min(b, end);
        if (lo < hi) out.push({ interval: start, lo, hi });
      }
  });
  return out;
}

/**
 * The facts as they are, summed per interval and key (kpiIntervals in kpi-intervals.ts refreshes
 * them first, and keeps or rolls up whole days).
 */
export async function sumFacts(
  db: Database,
  q: IntervalQuery,
  settings: KpiSettings,
  now: number,
): Promise<IntervalRow[]> {
  const starts = q.interval === 'range' ? [q.from] : bucketStarts(q.from, q.to, q.interval, q.timeZone);
  if (starts.length > MAX_BUCKETS) throw new RangeError(`more than ${MAX_BUCKETS} intervals`);
  if (starts.length === 0) return [];
  const ends = new Map(starts.map((s, i) => [s, starts[i + 1] ?? q.to]));
  const rows = new Map<string, IntervalRow>();
  const into = (start: number, key: string | null): KpiCounters => {
    const id = `${start}\u0000${key ?? ''}`;
    let r = rows.get(id);
    if (!r) rows.set(id, (r = { start, end: ends.get(start)!, key, counters: emptyCounters() }));
    return r.counters;
  };
  // `interval(col)` is the SQL for the interval start of a time column; `map` the join that gives it.
  const whole = starts.length === 1 && !q.open;
  const map = whole ? null : slotMap(starts, q.to, q.open);
  const mapCte = map ? 'sm AS (SELECT unnest(?::BIGINT[]) AS slot, unnest(?::BIGINT[]) AS b_start)' : null;
  const mapParams: Param[] = map ? [JSON.stringify(map.slots), JSON.stringify(map.intervals)] : [];
  // When every interval is one slot (15-minute to hourly intervals, all open), arithmetic finds it.
  const direct = map !== null && !q.open && map.slots.length === starts.length;
  const mapJoin = (col: string) => (map && !direct ? ` JOIN sm ON sm.slot = ${col} // ${map.width}` : '');
  const interval = (col: string) =>
    whole
      ? `${q.from}::BIGINT`
      : direct
        ? `greatest(${col} // ${map.width} * ${map.width}, ${q.from}::BIGINT)`
        : 'sm.b_start';
  const queues = q.queues ? JSON.stringify(q.queues) : null;
  const keep = q.by === 'queue' && queues !== null ? ' WHERE list_contains(?::VARCHAR[], k)' : '';
  const keepParams: Param[] = keep ? [queues] : [];

  // Contacts at their start: the count, the handler split and FCR.
  {
    const key = { none: 'NULL', queue: 'unnest(c.queues)', ...attributeKeys('c') }[
      q.by as 'none' | 'queue' | ContactAttribute
    ];
    if (key !== undefined) {
      const where: string[] = ['c.start_ms >= ?', 'c.start_ms < ?'];
      const params: Param[] = [q.from, q.to];
      if (q.channel !== undefined) {
        where.push('c.channel = ?');
        params.push(q.channel);
      }
      if (queues !== null) {
        where.push('list_has_any(c.queues, ?::VARCHAR[])');
        params.push(queues);
      }
      const result = await db.query<Row>(
        `WITH ${mapCte ?? 'sm AS (SELECT 1)'}
         SELECT b, k, count(*) AS contacts, count(*) FILTER (WHERE handler = 'ai') AS ai,
           count(*) FILTER (WHERE handler = 'hybrid') AS hybrid, count(*) FILTER (WHERE handler = 'human') AS human,
           count(customer_id) AS fcr_n, count(*) FILTER (WHERE next_start_ms - start_ms <= ?) AS repeated
         FROM (SELECT ${interval('c.start_ms')} AS b, ${key} AS k, c.handler AS handler, c.customer_id, c.start_ms, c.next_start_ms
               FROM kpi_contacts c${mapJoin('c.start_ms')} WHERE ${where.join(' AND ')})${keep}
         GROUP BY ALL`,
        [...mapParams, fcrHorizonMs(settings), ...params, ...keepParams],
      );
      for (const r of result) {
        const c = into(n(r.b), (r.k as string | null) ?? null);
        c.contacts += n(r.contacts);
        c.contactsAi += n(r.ai);
        c.contactsHybrid += n(r.hybrid);
        c.contactsHuman += n(r.human);
        c.fcrContacts += n(r.fcr_n);
        c.fcrRepeated += n(r.repeated);
      }
    }
  }

  // Every other contribution, from the facts, summed per kind and outcome and turned into counters
  // here. A dimension that cannot split a kind leaves it out.
  {
    const where: string[] = ['f.at_ms >= ?', 'f.at_ms < ?'];
    const params: Param[] = [q.from, q.to];
    let key: string;
    let teams = '';
    const teamParams: Param[] = [];
    switch (q.by) {
      case 'none':
        key = 'NULL';
        break;
      case 'channel':
      case 'handler':
      case 'segment':
      case 'escalation':
      case 'handler_segment':
        key = attributeKeys('f')[q.by];
        break;
      case 'queue':
        // A contact's own metrics count under every queue it entered, as a filter on either would.
        key = `unnest(CASE WHEN f.kind IN ${QUEUE_KINDS} THEN [f.queue] ELSE f.queues END)`;
        break;
      case 'agent':
        key = 'f.agent_id';
        where.push(`f.kind IN ${ANSWER_KINDS}`);
        break;
      case 'team':
        key = 'tm.team';
        where.push(`f.kind IN ${ANSWER_KINDS}`);
        teams = teamsJoin('f.agent_id');
        teamParams.push(...teamsParams(q));
        break;
    }
    if (q.channel !== undefined) {
      where.push('f.channel = ?');
      params.push(q.channel);
    }
    if (queues !== null) {
      where.push(
        `CASE WHEN f.kind IN ${QUEUE_KINDS} THEN list_contains(?::VARCHAR[], f.queue) ELSE list_has_any(f.queues, ?::VARCHAR[]) END`,
      );
      params.push(queues, queues);
    }
    // Thresholds per queue as settingsFor gives them; the defaults for every other queue.
    const overrides = Object.keys(settings.queues ?? {}).map((queue) => {
      const s = settingsFor(settings, queue);
      return [queue, s.slThresholdSeconds * 1000, s.shortAbandonSeconds * 1000] as const;
    });
    const threshold = (i: 1 | 2, fallback: number): { sql: string; params: Param[] } =>
      overrides.length
        ? {
            sql: `CASE f.queue ${overrides.map(() => 'WHEN ? THEN ?::BIGINT').join(' ')} ELSE ?::BIGINT END`,
            params: [...overrides.flatMap((o) => [o[0], o[i]]), fallback],
          }
        : { sql: '?::BIGINT', params: [fallback] };
    const sl = threshold(1, settings.slThresholdSeconds * 1000);
    const short = threshold(2, settings.shortAbandonSeconds * 1000);
    const result = await db.query<Row>(
      `WITH ${mapCte ?? 'sm AS (SELECT 1)'},
       x AS (
         SELECT ${interval('f.at_ms')} AS b, ${key} AS k, f.kind, f.outcome,
           CASE WHEN f.kind = 'bot.ended' AND f.outcome = 'escalated' THEN f.reason END AS reason,
           f.currency, f.wait_ms, f.handle_ms, f.csat, f.nps, f.resolved, f.first_conversion, f.amount,
           f.wait_ms <= ${sl.sql} AS within, f.wait_ms < ${short.sql} AS short
         FROM kpi_facts f${mapJoin('f.at_ms')}${teams}
         WHERE ${where.join(' AND ')})
       SELECT b, k, kind, outcome, reason, currency, count(*) AS n,
         count(wait_ms) AS waits, sum(wait_ms) AS wait_ms, count(*) FILTER (WHERE within) AS within,
         count(*) FILTER (WHERE short) AS short, sum(handle_ms) AS handle_ms,
         count(csat) AS csat_n, count(*) FILTER (WHERE csat >= 4) AS csat_top2, sum(csat) AS csat_sum,
         count(nps) AS nps_n, count(*) FILTER (WHERE nps >= 9) AS promoters, count(*) FILTER (WHERE nps <= 6) AS detractors,
         count(resolved) AS resolved_n, count(*) FILTER (WHERE resolved) AS resolved_yes,
         count(*) FILTER (WHERE first_conversion) AS conversions,
         -- Money in whole ten-thousandths, so that no order of addition changes a total (as addMoney).
         sum(round(amount * 10000)::HUGEINT)::DOUBLE AS amount_e4
       FROM x${keep}
       GROUP BY ALL`,
      [...mapParams, ...sl.params, ...short.params, ...teamParams, ...params, ...keepParams],
    );
    for (const r of result) {
      const c = into(n(r.b), (r.k as string | null) ?? null);
      const count = n(r.n);
      switch (r.kind) {
        case 'bot.started':
          c.botSessions += count;
          break;
        case 'bot.ended':
          if (r.outcome === 'contained') c.botContained += count;
          else if (r.outcome === 'abandoned') c.botAbandoned += count;
          else if (r.outcome === 'escalated') {
            c.botEscalated += count;
            const reason = r.reason as string;
            c.escalationReasons[reason] = (c.escalationReasons[reason] ?? 0) + count;
          }
          break;
        case 'queue.entered':
          c.offered += count;
          break;
        case 'queue.left':
          c.exitsWithinThreshold += n(r.within);
          if (r.outcome === 'answered') {
            c.answered += count;
            c.answeredWithWait += n(r.waits);
            c.answeredWaitMs += n(r.wait_ms);
            c.answeredWithinThreshold += n(r.within);
          } else if (r.outcome === 'abandoned') {
            // An abandon without a known wait is not short.
            c.shortAbandoned += n(r.short);
            c.abandoned += count - n(r.short);
          } else if (r.outcome === 'transferred') c.transferred += count;
          break;
        case 'wrapup':
          c.handled += count;
          c.handleMs += n(r.handle_ms);
          break;
        case 'survey':
          c.csatResponses += n(r.csat_n);
          c.csatTop2 += n(r.csat_top2);
          c.csatSum += n(r.csat_sum);
          c.npsResponses += n(r.nps_n);
          c.npsPromoters += n(r.promoters);
          c.npsDetractors += n(r.detractors);
          c.resolvedResponses += n(r.resolved_n);
          c.resolvedYes += n(r.resolved_yes);
          break;
        case 'conversion': {
          c.conversions += n(r.conversions);
          const currency = r.currency as string;
          c.sales[currency] = addMoney(c.sales[currency] ?? 0, n(r.amount_e4) / 10_000);
          break;
        }
      }
    }
  }

  // Occupancy: agent state intervals (to the next state, or now), cut at interval boundaries.
  const segs = segments(starts, q.to, q.open);
  if ((q.by === 'none' || q.by === 'agent' || q.by === 'team') && segs.length > 0) {
    const end = Math.min(q.to, now);
    const key = q.by === 'agent' ? 'cut.agent_id' : q.by === 'team' ? 'tm.team' : 'NULL';
    const states = `i AS (
         SELECT agent_id, at_ms, state, coalesce(next_ms, ?) AS next_ms FROM kpi_agent_states
         WHERE at_ms >= ? AND at_ms < ? AND coalesce(next_ms, ?) > ?
           AND state IN ('on_contact', 'wrap_up', 'available'))`;
    const stateParams: Param[] = [end, q.from - LOOKBACK_MS, q.to, end, q.from];
    const sums = `SELECT cut.b_start, ${key} AS k,
         sum(ms) FILTER (WHERE state IN ('on_contact', 'wrap_up') AND ms > 0) AS busy,
         sum(ms) FILTER (WHERE state = 'available' AND ms > 0) AS available
       FROM cut${q.by === 'team' ? teamsJoin('cut.agent_id') : ''}
       GROUP BY ALL`;
    const teamParams = q.by === 'team' ? teamsParams(q) : [];
    // Many intervals of one slot each: a state is cut at the slots it spans, found by arithmetic (states
    // last minutes, so that is a slot or two each). Joining states to spans compares every state with
    // every interval: cheaper for a few intervals, far dearer for hundreds (a week of quarter hours).
    const arithmetic = direct && map !== null && starts.length > 64;
    const result = arithmetic
      ? await db.query<Row>(
          `WITH ${states},
           c AS (SELECT agent_id, state, greatest(at_ms, ?) AS lo, least(next_ms, ?) AS hi FROM i),
           cut AS (
             SELECT greatest(s * ${map.width}, ?) AS b_start, agent_id, state,
               least(hi, (s + 1) * ${map.width}, ?) - greatest(lo, s * ${map.width}) AS ms
             FROM (SELECT *, unnest(range(lo // ${map.width}, (hi - 1) // ${map.width} + 1)) AS s FROM c WHERE hi > lo))
           ${sums}`,
          [...stateParams, q.from, q.to, q.from, end, ...teamParams],
        )
      : await db.query<Row>(
          `WITH bb AS (SELECT unnest(?::BIGINT[]) AS b_start, unnest(?::BIGINT[]) AS lo, unnest(?::BIGINT[]) AS hi),
           ${states},
           cut AS (
             SELECT bb.b_start, i.agent_id, i.state,
               least(i.next_ms, bb.hi, ?) - greatest(i.at_ms, bb.lo) AS ms
             FROM i JOIN bb ON i.at_ms < bb.hi AND i.next_ms > bb.lo)
           ${sums}`,
          [
            JSON.stringify(segs.map((x) => x.interval)),
            JSON.stringify(segs.map((x) => x.lo)),
            JSON.stringify(segs.map((x) => x.hi)),
            ...stateParams,
            end,
            ...teamParams,
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
