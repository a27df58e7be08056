/**
 * Evaluation scores rolled up per agent, bot, queue or day of the contact (docs/qa.md, "Rollups"). A
 * contact's agent is the one who answered it last (the latest answered queue exit; a wrap-up's agent when
 * no answer is known), its bot the one its first bot session ran, its queue the answer's queue (else the
 * last queue it entered), its day the local day of its start in the center's zone. The range is on the
 * contact's start too, so a week's figures are about that week's contacts whenever they were reviewed.
 * Calibration exercises stay out: a contact scored by five reviewers in one is not five judgements.
 */
import type { RollupBy, RollupRow } from '../contract/scorecards.ts';
import type { Database, Param } from '../db/duckdb.ts';
import { localDay } from '../time.ts';

export type ScoredContact = {
  contact_id: string;
  start_ms: number | null;
  agent: string | null;
  bot: string | null;
  queue: string | null;
  score: number | null;
  bot_score: number | null;
  agent_score: number | null;
  handoff_score: number | null;
  failed_critical: boolean;
};

/** The facts are read for the evaluated contacts only: there are far fewer of them than of contacts. */
const SCORED_SQL = (scorecard: boolean) => `
  WITH ev AS (
    SELECT * FROM qa_evaluations WHERE calibration_id IS NULL ${scorecard ? 'AND scorecard_id = ?' : ''}),
  ids AS (SELECT DISTINCT contact_id FROM ev),
  starts AS (
    SELECT contact_id, min(at_ms) AS first_ms FROM events WHERE contact_id IN (SELECT contact_id FROM ids)
    GROUP BY contact_id),
  answered AS (
    SELECT contact_id, arg_max(agent_id, at_ms) AS agent_id, arg_max(queue, at_ms) AS queue
    FROM kpi_facts WHERE kind = 'queue.left' AND outcome = 'answered' AND contact_id IN (SELECT contact_id FROM ids)
    GROUP BY contact_id),
  wrapped AS (
    SELECT contact_id, arg_max(agent_id, at_ms) AS agent_id, arg_max(queue, at_ms) AS queue
    FROM kpi_facts WHERE kind = 'wrapup' AND contact_id IN (SELECT contact_id FROM ids) GROUP BY contact_id),
  entered AS (
    SELECT contact_id, arg_max(queue, at_ms) AS queue
    FROM kpi_facts WHERE kind = 'queue.entered' AND contact_id IN (SELECT contact_id FROM ids) GROUP BY contact_id),
  bots AS (
    SELECT contact_id, arg_min(body->>'botId', at_ms) AS bot
    FROM events WHERE type = 'bot.started' AND contact_id IN (SELECT contact_id FROM ids) GROUP BY contact_id)
  SELECT ev.contact_id, coalesce(k.start_ms, s.first_ms) AS start_ms,
    coalesce(a.agent_id, w.agent_id) AS agent, b.bot, coalesce(a.queue, w.queue, e.queue) AS queue,
    ev.score, ev.bot_score, ev.agent_score, ev.handoff_score, ev.failed_critical
  FROM ev
  LEFT JOIN kpi_contacts k USING (contact_id)
  LEFT JOIN starts s USING (contact_id)
  LEFT JOIN answered a USING (contact_id)
  LEFT JOIN wrapped w USING (contact_id)
  LEFT JOIN entered e USING (contact_id)
  LEFT JOIN bots b USING (contact_id)
  WHERE coalesce(k.start_ms, s.first_ms) >= ? AND coalesce(k.start_ms, s.first_ms) < ?`;

export async function scoredContacts(
  db: Database,
  q: { from: number; to: number; scorecardId?: string },
): Promise<ScoredContact[]> {
  const params: Param[] = [...(q.scorecardId ? [q.scorecardId] : []), q.from, q.to];
  return db.query<ScoredContact>(SCORED_SQL(q.scorecardId !== undefined), params);
}

const mean = (values: (number | null)[]): number | null => {
  const xs = values.filter((v): v is number => v !== null);
  return xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
};

/**
 * Groups scored contacts: count, the mean of each score over the evaluations where it applied, and the
 * share that failed a critical question. Rows sorted by key (days in order), the unknown key last.
 */
export function rollup(rows: readonly ScoredContact[], by: RollupBy, timeZone: string): RollupRow[] {
  const groups = new Map<string | null, ScoredContact[]>();
  for (const r of rows) {
    const key = by === 'day' ? (r.start_ms === null ? null : localDay(r.start_ms, timeZone)) : r[by];
    const group = groups.get(key);
    if (group) group.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, rs]) => ({
      key,
      count: rs.length,
      overall: mean(rs.map((r) => r.score)),
      bot: mean(rs.map((r) => r.bot_score)),
      agent: mean(rs.map((r) => r.agent_score)),
      handoff: mean(rs.map((r) => r.handoff_score)),
      criticalFailRate: Math.round((rs.filter((r) => r.failed_critical).length / rs.length) * 1000) / 10,
    }));
}
