/**
 * How far the tables that follow the event log in the background are behind it, in events: the KPI
 * facts (kpi-facts.ts) and the transcript index (transcript-index.ts). Both keep a rowid watermark;
 * the newest rowid comes from the table's metadata (NEWEST_ROWID), so this costs no scan. The QA
 * contacts table is left out: it catches up when a QA page asks, so its lag says nothing about health.
 */
import type { Database } from '../db/duckdb.ts';
import { NEWEST_ROWID } from './event-follower.ts';

export type FollowerLag = { events: number; kpiFacts: number; transcriptIndex: number };

export async function followerLag(db: Database): Promise<FollowerLag> {
  const [row] = await db.query<{ top: number; facts: number | null; transcripts: number | null }>(
    `SELECT (${NEWEST_ROWID}) AS top,
            (SELECT event_rowid FROM kpi_facts_state WHERE id = 1) AS facts,
            (SELECT event_rowid FROM transcript_index_state WHERE id = 1) AS transcripts`,
  );
  const top = row?.top ?? -1;
  return {
    events: top + 1,
    kpiFacts: Math.max(0, top - (row?.facts ?? -1)),
    transcriptIndex: Math.max(0, top - (row?.transcripts ?? -1)),
  };
}
