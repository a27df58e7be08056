/**
 * Tables derived from the append-only events table follow it by rowid (rowids run from 0 to count - 1 and
 * never change): the KPI facts, the transcript index, the QA contacts. `followEvents` is the loop the
 * simple ones share: it asks on the reader first, so that a read with nothing new to take in does not
 * queue behind ingest for the writer, then takes in the new events a step at a time, each step in one
 * transaction with its watermark, so a crash leaves the derived table before or after a step, never inside.
 */
import type { Database, WriteTx } from '../db/duckdb.ts';

/**
 * The newest event's rowid. The log is append-only, so rowids run from 0 to count - 1, and DuckDB
 * answers count(*) from the table's metadata, where max(rowid), or counting the rowids past the
 * watermark, scans every row (around 100 ms at 146 M events, on every refresh and every query).
 */
export const NEWEST_ROWID = 'SELECT count(*) - 1 AS top FROM events';

/**
 * Runs `step(tx, after, upTo)` for the events with rowid in (after, upTo] until the watermark in
 * `stateTable` (one row, id 1, column event_rowid) reaches the newest event. Returns the sum of what the
 * steps returned (what they took in).
 */
export async function followEvents(
  db: Database,
  stateTable: string,
  stepEvents: number,
  step: (tx: WriteTx, after: number, upTo: number) => Promise<number>,
): Promise<number> {
  const watermark = `SELECT event_rowid AS after FROM ${stateTable} WHERE id = 1`;
  const [pending] = await db.query<{ after: number; top: number }>(
    `SELECT event_rowid AS after, (${NEWEST_ROWID}) AS top FROM ${stateTable} WHERE id = 1`,
  );
  if (pending!.top <= pending!.after) return 0;
  let total = 0;
  for (;;) {
    const done = await db.write(async (tx) => {
      const [state] = await tx.query<{ after: number }>(watermark);
      const [newest] = await tx.query<{ top: number }>(NEWEST_ROWID);
      const after = state!.after;
      if (newest!.top <= after) return null;
      const upTo = Math.min(newest!.top, after + stepEvents);
      const n = await step(tx, after, upTo);
      await tx.query(`UPDATE ${stateTable} SET event_rowid = ? WHERE id = 1`, [upTo]);
      return n;
    });
    if (done === null) return total;
    total += done;
  }
}
