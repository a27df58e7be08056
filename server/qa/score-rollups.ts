/**
 * Evaluation scores rolled up per agent, bot, queue or day of the contact (docs/qa.md, "Rollups"). A
 * contact's agent, bot and queue are the ones qa_contacts gives it (server/qa/contact-story.ts: who
 * answered it last, its first bot, the answer's queue), its day the local day of its start in the center's
 * zone. The range is on the contact's start too, so a week's figures are about that week's contacts
 * whenever they were reviewed.
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

/** Evaluations with their contacts' agent, bot, queue and start as qa_contacts has them. */
const SCORED_SQL = (scorecard: boolean) => `
  SELECT ev.contact_id, c.start_ms, c.agent, c.bot_id AS bot, c.queue,
    ev.score, ev.bot_score, ev.agent_score, ev.handoff_score, ev.failed_critical
  FROM qa_evaluations ev JOIN qa_contacts c USING (contact_id)
  WHERE ev.calibration_id IS NULL ${scorecard ? 'AND ev.scorecard_id = ?' : ''}
    AND c.start_ms >= ? AND c.start_ms < ?`;

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
