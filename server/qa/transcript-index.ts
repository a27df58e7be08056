/**
 * The transcript search index: follows `events` by rowid (append-only, like the KPI facts), tokenizes each
 * new transcript segment once (server/qa/tokenize.ts) and stores its terms with positions and offsets.
 * A search brings it up to date first, so what was acknowledged is findable.
 *
 * Ranking is BM25 over clauses (a phrase counts as one term): rare clauses weigh more, repeated hits less
 * each, long segments are not favoured for their length. Ties go to the newest segment.
 */
import type { Database } from '../db/duckdb.ts';
import { parseQuery, tokenize } from './tokenize.ts';
import { SPEAKERS } from '../contract/events.ts';

const STEP_EVENTS = 50_000;
const NEWEST_ROWID = 'SELECT count(*) - 1 AS top FROM events';

/** Indexes the segments that arrived since the last call; returns how many. */
export async function refreshTranscriptIndex(db: Database): Promise<number> {
  let indexed = 0;
  for (;;) {
    const step = await db.write(async (tx) => {
      const [state] = await tx.query<{ after: number }>(
        'SELECT event_rowid AS after FROM transcript_index_state WHERE id = 1',
      );
      const [newest] = await tx.query<{ top: number }>(NEWEST_ROWID);
      const after = state!.after;
      const top = newest!.top;
      if (top <= after) return null;
      const upTo = Math.min(top, after + STEP_EVENTS);
      const rows = await tx.query<{ id: string; contact_id: string; at_ms: number; body: string }>(
        `SELECT id, contact_id, at_ms, body::VARCHAR AS body FROM events
         WHERE rowid > ? AND rowid <= ? AND type = 'transcript.segment'`,
        [after, upTo],
      );
      const segments: (string | number)[][] = [];
      const terms: (string | number)[][] = [];
      for (const r of rows) {
        const body = JSON.parse(r.body) as { speaker: string; text: string };
        const tokens = tokenize(body.text);
        segments.push([r.id, r.contact_id, body.speaker, r.at_ms, body.text, tokens.length]);
        for (const t of tokens) terms.push([t.term, r.id, t.position, t.start, t.end]);
      }
      await tx.append(
        'transcript_segments',
        ['varchar', 'varchar', 'varchar', 'bigint', 'varchar', 'bigint'],
        segments,
      );
      await tx.append('transcript_terms', ['varchar', 'varchar', 'bigint', 'bigint', 'bigint'], terms);
      await tx.query('UPDATE transcript_index_state SET event_rowid = ? WHERE id = 1', [upTo]);
      return rows.length;
    });
    if (step === null) return indexed;
    indexed += step;
  }
}

export type SearchFilters = {
  speaker?: (typeof SPEAKERS)[number];
  contactId?: string;
  from?: number;
  to?: number;
  /** A subquery yielding `contact_id`: only segments of those contacts match. */
  contacts?: { sql: string; params: (string | number | boolean | null)[] };
};
export type SearchHit = {
  eventId: string;
  contactId: string;
  speaker: string;
  at: number;
  score: number;
  /** Up to ~160 characters around the first match, with the matches' [start, end) in it. */
  snippet: { text: string; highlights: [number, number][] };
};
export type SearchResult = { total: number; hits: SearchHit[] };

const K1 = 1.2;
const B = 0.75;
const SNIPPET = 160;

/** Segments where every clause of the query appears, best first. An empty query finds nothing. */
export async function searchTranscripts(
  db: Database,
  query: string,
  filters: SearchFilters = {},
  page: { limit: number; offset: number } = { limit: 20, offset: 0 },
): Promise<SearchResult> {
  const { clauses } = parseQuery(query);
  if (clauses.length === 0) return { total: 0, hits: [] };
  await refreshTranscriptIndex(db);
  const params: (string | number | boolean | null)[] = [];
  // One CTE per clause: the segments where its terms stand at consecutive positions, with each match's span.
  const ctes = clauses.map((terms, k) => {
    const joins = terms
      .slice(1)
      .map((term, i) => {
        params.push(term);
        return `JOIN transcript_terms t${i + 1} ON t${i + 1}.event_id = t0.event_id AND t${i + 1}.pos = t0.pos + ${i + 1} AND t${i + 1}.term = ?`;
      })
      .join(' ');
    params.push(terms[0]!);
    const last = `t${terms.length - 1}`;
    return `c${k} AS (SELECT t0.event_id, count(*) AS hits, list([t0.start_ch, ${last}.end_ch]) AS spans
      FROM transcript_terms t0 ${joins} WHERE t0.term = ? GROUP BY t0.event_id),
      d${k} AS (SELECT count(*) AS df FROM c${k})`;
  });
  const where: string[] = [];
  if (filters.speaker) {
    where.push('s.speaker = ?');
    params.push(filters.speaker);
  }
  if (filters.contactId) {
    where.push('s.contact_id = ?');
    params.push(filters.contactId);
  }
  if (filters.from !== undefined) {
    where.push('s.at_ms >= ?');
    params.push(filters.from);
  }
  if (filters.to !== undefined) {
    where.push('s.at_ms < ?');
    params.push(filters.to);
  }
  if (filters.contacts) {
    where.push(`s.contact_id IN (${filters.contacts.sql})`);
    params.push(...filters.contacts.params);
  }
  const score = clauses
    .map(
      (_, k) =>
        `ln(1 + (stats.n - d${k}.df + 0.5) / (d${k}.df + 0.5)) * c${k}.hits * ${K1 + 1} /
         (c${k}.hits + ${K1} * (1 - ${B} + ${B} * s.terms / stats.avg_terms))`,
    )
    .join(' + ');
  params.push(page.limit, page.offset);
  const rows = await db.query<{
    event_id: string;
    contact_id: string;
    speaker: string;
    at_ms: number;
    text: string;
    score: number;
    spans: [number, number][];
    total: number;
  }>(
    `WITH ${ctes.join(',\n')},
     stats AS (SELECT count(*) AS n, greatest(avg(terms), 1) AS avg_terms FROM transcript_segments)
     SELECT s.event_id, s.contact_id, s.speaker, s.at_ms, s.text, ${score} AS score,
       flatten([${clauses.map((_, k) => `c${k}.spans`).join(', ')}]) AS spans, count(*) OVER () AS total
     FROM transcript_segments s ${clauses.map((_, k) => `JOIN c${k} ON c${k}.event_id = s.event_id CROSS JOIN d${k}`).join(' ')}
     CROSS JOIN stats
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY score DESC, s.at_ms DESC, s.event_id
     LIMIT ? OFFSET ?`,
    params,
  );
  return {
    total: rows[0]?.total ?? 0,
    hits: rows.map((r) => ({
      eventId: r.event_id,
      contactId: r.contact_id,
      speaker: r.speaker,
      at: r.at_ms,
      score: r.score,
      snippet: snippetOf(r.text, r.spans),
    })),
  };
}

/** A window of the text around the first match, the matches inside it, and … where it was cut. */
export function snippetOf(text: string, spans: readonly (readonly [number, number])[]): SearchHit['snippet'] {
  const sorted = [...spans].map(([s, e]) => [Number(s), Number(e)] as [number, number]).sort((a, b) => a[0] - b[0]);
  const first = sorted[0] ?? [0, 0];
  let start = Math.max(0, Math.min(first[0] - SNIPPET / 3, text.length - SNIPPET));
  start = Math.max(0, Math.floor(start));
  const end = Math.min(text.length, start + SNIPPET);
  const lead = start > 0 ? '…' : '';
  const body = text.slice(start, end) + (end < text.length ? '…' : '');
  const highlights = sorted
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s - start + lead.length, e - start + lead.length] as [number, number]);
  return { text: lead + body, highlights };
}
