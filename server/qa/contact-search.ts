/**
 * The QA search: contacts filtered by what qa_contacts knows of them (and their QA scores), and, when the
 * query has words, the transcript segments that match among those contacts (server/qa/transcript-index.ts).
 * Every filter narrows; values within one filter are alternatives. A scoped viewer only ever sees contacts
 * that went through their queues.
 */
import type { ContactFilters, QaContact, QaContactList } from '../contract/qa.ts';
import { boundMs } from '../time.ts';
import type { Database } from '../db/duckdb.ts';
import { refreshQaContacts } from './qa-contacts.ts';
import { searchTranscripts } from './transcript-index.ts';

export const DEFAULT_PAGE_SIZE = 25;
/** A CSV export holds at most this many rows; the page says so when a result is larger. */
export const EXPORT_LIMIT = 10_000;

/**
 * Each contact's QA evaluations: how many, and the mean score. Evaluations live in qa_evaluations
 * (server/qa/scorecards.ts); calibration copies are not the contact's score.
 */
const EVALUATIONS = `(SELECT contact_id, avg(score) AS qa_score, count(*) AS evaluations
  FROM qa_evaluations WHERE calibration_id IS NULL GROUP BY contact_id)`;

type SqlValue = string | number | boolean | null;
type Where = { sql: string; params: SqlValue[] };

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** The WHERE clause over `c` (qa_contacts) and `ev` (evaluations) for the filters and the viewer's scope. */
export function filterSql(f: ContactFilters, visibleQueues: ReadonlySet<string> | null, timeZone = 'UTC'): Where {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...values: SqlValue[]) => {
    parts.push(sql);
    params.push(...values);
  };
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (values?.length) add(`${column} IN (${placeholders(values)})`, ...values);
  };
  const overlaps = (column: string, values: readonly string[] | undefined) => {
    if (values?.length) add(`list_has_any(${column}, [${placeholders(values)}]::VARCHAR[])`, ...values);
  };
  if (visibleQueues) {
    if (visibleQueues.size === 0) add('false');
    else overlaps('c.queues', [...visibleQueues]);
  }
  if (f.from !== undefined) add('c.start_ms >= ?', boundMs(f.from, 'start', timeZone));
  if (f.to !== undefined) add('c.start_ms < ?', boundMs(f.to, 'end', timeZone));
  overlaps('c.queues', f.queue);
  anyOf('c.channel', f.channel);
  anyOf('c.handler', f.handler);
  overlaps('c.agents', f.agent);
  anyOf('c.bot_id', f.bot);
  anyOf('c.bot_outcome', f.botOutcome);
  anyOf('c.reason', f.reason);
  anyOf('c.segment', f.segment);
  if (f.csatMin !== undefined) add('c.csat >= ?', f.csatMin);
  if (f.csatMax !== undefined) add('c.csat <= ?', f.csatMax);
  if (f.npsMin !== undefined) add('c.nps >= ?', f.npsMin);
  if (f.npsMax !== undefined) add('c.nps <= ?', f.npsMax);
  if (f.sentiment?.length) {
    const band = {
      negative: 'c.sentiment < -0.05',
      neutral: 'c.sentiment BETWEEN -0.05 AND 0.05',
      positive: 'c.sentiment > 0.05',
    };
    parts.push(`(${f.sentiment.map((s) => band[s]).join(' OR ')})`);
  }
  if (f.converted) add(`c.converted = ?`, f.converted === 'yes');
  anyOf('c.disposition', f.disposition);
  if (f.qaMin !== undefined) add('ev.qa_score >= ?', f.qaMin);
  if (f.qaMax !== undefined) add('ev.qa_score <= ?', f.qaMax);
  if (f.evaluated) parts.push(f.evaluated === 'yes' ? 'ev.evaluations > 0' : 'ev.evaluations IS NULL');
  overlaps('c.flags', f.flag);
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

/** Whether anything beyond the words narrows the result (then the search runs among those contacts only). */
function narrows(where: Where): boolean {
  return where.sql !== 'true';
}

const ORDER: Record<string, string> = {
  newest: 'c.start_ms DESC NULLS LAST, c.contact_id',
  oldest: 'c.start_ms ASC NULLS LAST, c.contact_id',
  sentiment: 'c.sentiment ASC NULLS LAST, c.start_ms DESC, c.contact_id',
  csat: 'c.csat ASC NULLS LAST, c.start_ms DESC, c.contact_id',
  qa_score: 'ev.qa_score ASC NULLS LAST, c.start_ms DESC, c.contact_id',
};

type ContactRow = {
  contact_id: string;
  start_ms: number | null;
  end_ms: number | null;
  channel: string | null;
  handler: string | null;
  queues: string[];
  agents: string[];
  bot_id: string | null;
  bot_outcome: string | null;
  reason: string | null;
  segment: string | null;
  intent: string | null;
  csat: number | null;
  nps: number | null;
  converted: boolean;
  revenue: number | null;
  disposition: string | null;
  segments: number;
  bot_turns: number;
  sentiment: number | null;
  sentiment_end: number | null;
  hold_ms: number;
  redactions: number;
  flags: string[];
  qa_score: number | null;
  evaluations: number | null;
};
/** Contacts as `c`, each with its evaluations as `ev`: what filterSql's clauses read. */
const CONTACTS = `qa_contacts c LEFT JOIN ${EVALUATIONS} ev USING (contact_id)`;
const SELECT_CONTACT = `SELECT c.*, ev.qa_score, ev.evaluations FROM ${CONTACTS}`;

/** The contacts a filter lets through, as the transcript search's `contacts` restriction. */
export function contactsMatching(where: Where): { sql: string; params: SqlValue[] } {
  return { sql: `SELECT c.contact_id FROM ${CONTACTS} WHERE ${where.sql}`, params: where.params };
}

export function toContact(r: ContactRow): QaContact {
  return {
    contactId: r.contact_id,
    start: r.start_ms,
    end: r.end_ms,
    channel: r.channel,
    handler: r.handler,
    queues: r.queues,
    agents: r.agents,
    botId: r.bot_id,
    botOutcome: r.bot_outcome,
    reason: r.reason,
    segment: r.segment,
    intent: r.intent,
    csat: r.csat,
    nps: r.nps,
    converted: r.converted,
    revenue: r.revenue,
    disposition: r.disposition,
    segments: r.segments,
    botTurns: r.bot_turns,
    sentiment: r.sentiment,
    sentimentEnd: r.sentiment_end,
    holdMs: r.hold_ms,
    redactions: r.redactions,
    flags: r.flags as QaContact['flags'],
    qaScore: r.qa_score === null ? null : Math.round(r.qa_score * 10) / 10,
    evaluations: r.evaluations ?? 0,
  };
}

/**
 * Contacts matching the filters, a page of them. With words in `q`, the rows are the matching segments
 * (best first), each with its contact; without, the contacts themselves in the chosen order.
 */
export async function searchContacts(
  db: Database,
  filters: ContactFilters,
  visibleQueues: ReadonlySet<string> | null,
  options: { size?: number; timeZone?: string } = {},
): Promise<QaContactList> {
  await refreshQaContacts(db);
  const size = options.size ?? filters.size ?? DEFAULT_PAGE_SIZE;
  const page = filters.page ?? 1;
  const offset = (page - 1) * size;
  const where = filterSql(filters, visibleQueues, options.timeZone);
  if (filters.q?.trim()) {
    const result = await searchTranscripts(
      db,
      filters.q,
      {
        ...(filters.speaker ? { speaker: filters.speaker } : {}),
        ...(narrows(where) ? { contacts: contactsMatching(where) } : {}),
      },
      { limit: size, offset },
    );
    const ids = [...new Set(result.hits.map((h) => h.contactId))];
    const contacts = ids.length
      ? await db.query<ContactRow>(`${SELECT_CONTACT} WHERE c.contact_id IN (${placeholders(ids)})`, ids)
      : [];
    const byId = new Map(contacts.map((r) => [r.contact_id, toContact(r)]));
    return {
      total: result.total,
      page,
      size,
      segments: result.total,
      rows: result.hits.flatMap((h) => {
        const contact = byId.get(h.contactId);
        if (!contact) return [];
        const { contactId: _, ...hit } = h;
        return [{ ...contact, hit }];
      }),
    };
  }
  const order = ORDER[filters.sort ?? 'newest'] ?? ORDER.newest!;
  const [count] = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM ${CONTACTS} WHERE ${where.sql}`,
    where.params,
  );
  const rows = await db.query<ContactRow>(`${SELECT_CONTACT} WHERE ${where.sql} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...where.params,
    size,
    offset,
  ]);
  const total = count?.n ?? 0;
  return { total, page, size, segments: null, rows: rows.map((r) => ({ ...toContact(r), hit: null })) };
}

/** One contact's summary row as the viewer may see it, or null. */
export async function findContact(
  db: Database,
  contactId: string,
  visibleQueues: ReadonlySet<string> | null,
): Promise<QaContact | null> {
  await refreshQaContacts(db);
  const where = filterSql({}, visibleQueues);
  const [row] = await db.query<ContactRow>(`${SELECT_CONTACT} WHERE c.contact_id = ? AND ${where.sql}`, [
    contactId,
    ...where.params,
  ]);
  return row ? toContact(row) : null;
}
