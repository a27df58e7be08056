/**
 * The QA contacts table (data/migrations/012_qa_contacts.sql): one summary row per contact, with its review
 * flags, kept up to date from the append-only events table by rowid. A refresh finds the contacts that new
 * events touch and rewrites each from all of its events (server/qa/contact-story.ts), in one transaction
 * with the watermark, so the table is never half-way. Every QA read refreshes first: what was
 * acknowledged is listed.
 */
import type { TandemEvent } from '../contract/events.ts';
import type { Database, WriteTx } from '../db/duckdb.ts';
import { followEvents } from '../ingest/event-follower.ts';
import { summarize, type ContactEvent, type ContactSummary } from './contact-story.ts';

/** New events read per transaction. */
const STEP_EVENTS = 50_000;

const STAGE_COLUMNS = [
  ['contact_id', 'varchar'],
  ['start_ms', 'bigint'],
  ['end_ms', 'bigint'],
  ['last_ms', 'bigint'],
  ['channel', 'varchar'],
  ['handler', 'varchar'],
  ['queues', 'varchar'],
  ['agents', 'varchar'],
  ['agent', 'varchar'],
  ['queue', 'varchar'],
  ['bot_id', 'varchar'],
  ['bot_outcome', 'varchar'],
  ['reason', 'varchar'],
  ['segment', 'varchar'],
  ['intent', 'varchar'],
  ['csat', 'bigint'],
  ['nps', 'bigint'],
  ['converted', 'bigint'],
  ['revenue', 'double'],
  ['disposition', 'varchar'],
  ['customer_id', 'varchar'],
  ['segments', 'bigint'],
  ['bot_turns', 'bigint'],
  ['sentiment', 'double'],
  ['sentiment_end', 'double'],
  ['hold_ms', 'bigint'],
  ['redactions', 'bigint'],
  ['flags', 'varchar'],
] as const;
const LISTS = new Set(['queues', 'agents', 'flags']);

function stageRow(s: ContactSummary): (string | number | null)[] {
  return [
    s.contactId,
    s.start,
    s.end,
    s.lastMs,
    s.channel,
    s.handler,
    JSON.stringify(s.queues),
    JSON.stringify(s.agents),
    s.agent,
    s.queue,
    s.botId,
    s.botOutcome,
    s.reason,
    s.segment,
    s.intent,
    s.csat,
    s.nps,
    s.converted ? 1 : 0,
    s.revenue,
    s.disposition,
    s.customerId,
    s.segments,
    s.botTurns,
    s.sentiment,
    s.sentimentEnd,
    s.holdMs,
    s.redactions,
    JSON.stringify(s.flags),
  ];
}

/** Brings qa_contacts up to date with the events table; returns how many contacts it rewrote. */
export function refreshQaContacts(db: Database): Promise<number> {
  return followEvents(db, 'qa_contacts_state', STEP_EVENTS, async (tx, after, upTo) => {
    await tx.query(
      `CREATE OR REPLACE TEMP TABLE qa_touched AS
       SELECT DISTINCT contact_id FROM events WHERE rowid > ? AND rowid <= ? AND contact_id IS NOT NULL`,
      [after, upTo],
    );
    return rewrite(tx);
  });
}

async function rewrite(tx: WriteTx): Promise<number> {
  const rows = await tx.query<{ id: string; contact_id: string; at_ms: number; body: string }>(
    `SELECT e.id, e.contact_id, e.at_ms, e.body::VARCHAR AS body
     FROM events e SEMI JOIN qa_touched t ON e.contact_id = t.contact_id`,
  );
  const byContact = new Map<string, ContactEvent[]>();
  for (const r of rows) {
    let list = byContact.get(r.contact_id);
    if (!list) byContact.set(r.contact_id, (list = []));
    list.push({ id: r.id, atMs: r.at_ms, event: JSON.parse(r.body) as TandemEvent });
  }
  const staged = [...byContact].map(([id, events]) => stageRow(summarize(id, events)));
  await tx.query(
    `CREATE OR REPLACE TEMP TABLE qa_stage (${STAGE_COLUMNS.map(([n, k]) => `${n} ${k === 'double' ? 'DOUBLE' : k === 'bigint' ? 'BIGINT' : 'VARCHAR'}`).join(', ')})`,
  );
  await tx.append(
    'qa_stage',
    STAGE_COLUMNS.map(([, k]) => k),
    staged,
    'temp',
  );
  await tx.query('DELETE FROM qa_contacts WHERE contact_id IN (SELECT contact_id FROM qa_touched)');
  await tx.query(
    `INSERT INTO qa_contacts BY NAME SELECT ${STAGE_COLUMNS.map(([n]) =>
      LISTS.has(n) ? `from_json(${n}, '["VARCHAR"]') AS ${n}` : n === 'converted' ? 'converted = 1 AS converted' : n,
    ).join(', ')} FROM qa_stage ORDER BY start_ms`,
  );
  return staged.length;
}

/** All of one contact's events, in the order they happened; empty when there are none. */
export async function contactEvents(db: Database, contactId: string): Promise<ContactEvent[]> {
  const rows = await db.query<{ id: string; at_ms: number; body: string }>(
    'SELECT id, at_ms, body::VARCHAR AS body FROM events WHERE contact_id = ? ORDER BY at_ms, id',
    [contactId],
  );
  return rows.map((r) => ({ id: r.id, atMs: r.at_ms, event: JSON.parse(r.body) as TandemEvent }));
}
