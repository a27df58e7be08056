/**
 * The transcript search index: follows `events` by rowid (append-only, like the KPI facts), tokenizes each
 * new transcript segment once (server/qa/tokenize.ts) and stores its terms with positions and offsets.
 * A search brings it up to date first, so what was acknowledged is findable.
 *
 * Everything a search compares is an integer: a term is its number in `transcript_vocab`, a segment the
 * rowid of its event (`doc`). The postings are kept sorted by term, so DuckDB's per-row-group min/max reads
 * only a term's own rows; a refresh appends to an unsorted tail, which `compactTranscriptIndex` merges
 * into the sorted table in the background once it grows. A search reads both, so nothing waits for the
 * merge.
 *
 * Ranking is BM25 over clauses (a phrase counts as one term): rare clauses weigh more, repeated hits less
 * each, long segments are not favoured for their length. Ties go to the newest segment.
 */
import type { Database, Param, WriteTx } from '../db/duckdb.ts';
import { followEvents } from '../ingest/event-follower.ts';
import { parseQuery, tokenize } from './tokenize.ts';
import { SPEAKERS } from '../contract/events.ts';

const STEP_EVENTS = 50_000;
/** Both halves of the postings; a subquery, not a CTE, so that each use filters it by term before reading. */
const POSTINGS = '(SELECT * FROM transcript_postings UNION ALL SELECT * FROM transcript_postings_tail)';

/** Indexes the segments that arrived since the last call; returns how many. */
export async function refreshTranscriptIndex(db: Database): Promise<number> {
  return followEvents(db, 'transcript_index_state', STEP_EVENTS, async (tx, after, upTo) => {
    const rows = await tx.query<{ doc: number; id: string; contact_id: string; at_ms: number; body: string }>(
      `SELECT rowid AS doc, id, contact_id, at_ms, body::VARCHAR AS body FROM events
       WHERE rowid > ? AND rowid <= ? AND type = 'transcript.segment' ORDER BY rowid`,
      [after, upTo],
    );
    const segments: (string | number)[][] = [];
    const tokenized = rows.map((r) => {
      const body = JSON.parse(r.body) as { speaker: string; text: string };
      const tokens = tokenize(body.text);
      segments.push([r.doc, r.id, r.contact_id, body.speaker, r.at_ms, body.text, tokens.length]);
      return { doc: r.doc, tokens };
    });
    await tx.append(
      'transcript_segments',
      ['bigint', 'varchar', 'varchar', 'varchar', 'bigint', 'varchar', 'bigint'],
      segments,
    );
    const idOf = await numberTerms(tx, new Set(tokenized.flatMap((s) => s.tokens.map((t) => t.term))));
    const postings: number[][] = [];
    for (const { doc, tokens } of tokenized) {
      for (const t of tokens) postings.push([idOf.get(t.term)!, doc, t.position, t.start, t.end]);
    }
    await tx.append('transcript_postings_tail', ['integer', 'bigint', 'integer', 'integer', 'integer'], postings);
    return rows.length;
  });
}

/** The numbers of these terms, giving the new ones the next free numbers. */
async function numberTerms(tx: WriteTx, terms: Set<string>): Promise<Map<string, number>> {
  if (terms.size === 0) return new Map();
  await tx.query('CREATE OR REPLACE TEMP TABLE transcript_batch_terms (term VARCHAR)');
  await tx.append(
    'transcript_batch_terms',
    ['varchar'],
    [...terms].map((t) => [t]),
    'temp',
  );
  await tx.query(
    `INSERT INTO transcript_vocab
     SELECT term, (SELECT coalesce(max(id), 0) FROM transcript_vocab) + row_number() OVER (ORDER BY term)
     FROM transcript_batch_terms WHERE term NOT IN (SELECT term FROM transcript_vocab)`,
  );
  const known = await tx.query<{ term: string; id: number }>(
    'SELECT term, id FROM transcript_batch_terms JOIN transcript_vocab USING (term)',
  );
  await tx.query('DROP TABLE transcript_batch_terms');
  return new Map(known.map((r) => [r.term, r.id]));
}

/**
 * The tail is merged once it is at least this many rows and this share of the sorted table: the merge
 * rewrites the whole table (1.4-5 s for 14 M rows on two cores, holding the writer), so it happens
 * rarely, while an unsorted tail of 5% added no measurable time to a search (BENCHMARKS.md).
 */
const MIN_TAIL_ROWS = 250_000;
const TAIL_SHARE = 0.05;

/**
 * Merges the tail of the postings into the sorted table when it has grown; true if it did. The sorted
 * copy is built beside the writer (`db.aside`), from a snapshot that holds the tail up to its newest
 * segment then: on a large index that takes seconds, and commits of events go on meanwhile (a merge that
 * held the writer made the acknowledgements' p99 grow with the index). Only the swap holds the writer:
 * the new table replaces the old, and the merged part of the tail (segments are event rowids, appended
 * in order) leaves it. Nothing else writes the sorted table, so the copy is still whole at the swap.
 */
export async function compactTranscriptIndex(db: Database, options: { force?: boolean } = {}): Promise<boolean> {
  const [size] = await db.query<{ sorted: number; tail: number }>(
    `SELECT (SELECT count(*) FROM transcript_postings) AS sorted,
     (SELECT count(*) FROM transcript_postings_tail) AS tail`,
  );
  const { sorted, tail } = size!;
  if (tail === 0 || (!options.force && (tail < MIN_TAIL_ROWS || tail < sorted * TAIL_SHARE))) return false;
  // A new table written in order, swapped in: appending sorted rows to the old one would leave runs
  // whose min/max overlap, and searches would read every run.
  const upTo = await db.aside(async (tx) => {
    const [top] = await tx.query<{ doc: number | null }>('SELECT max(doc) AS doc FROM transcript_postings_tail');
    const doc = top?.doc ?? -1;
    await tx.query(
      `CREATE OR REPLACE TABLE transcript_postings_next AS
       SELECT * FROM (SELECT * FROM transcript_postings
                      UNION ALL SELECT * FROM transcript_postings_tail WHERE doc <= ?)
       ORDER BY term_id, doc, pos`,
      [doc],
    );
    return doc;
  });
  await db.write(async (tx) => {
    await tx.query('DROP TABLE transcript_postings');
    await tx.query('ALTER TABLE transcript_postings_next RENAME TO transcript_postings');
    await tx.query('DELETE FROM transcript_postings_tail WHERE doc <= ?', [upTo]);
  });
  return true;
}

export type SearchFilters = {
  speaker?: (typeof SPEAKERS)[number];
  contactId?: string;
  from?: number;
  to?: number;
  /**
   * Only segments of these contacts: a query answering a column `contact_id`, with its parameters.
   * Document frequencies and the segment count stay those of the whole index.
   */
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

/**
 * The rows of one clause: its first term's postings, joined to the next terms' at the following positions.
 * `within` names a table of docs to narrow it to (the page, for its spans): joined first, so that DuckDB
 * filters each postings scan by its docs (as a semi-join it filtered only after the phrase's joins).
 */
function clauseSql(ids: number[], params: Param[], select: string, within?: string) {
  const joins = ids
    .slice(1)
    .map((id, i) => {
      params.push(id);
      return `JOIN ${POSTINGS} t${i + 1} ON t${i + 1}.doc = t0.doc AND t${i + 1}.pos = t0.pos + ${i + 1} AND t${i + 1}.term_id = ?`;
    })
    .join(' ');
  params.push(ids[0]!);
  const last = `t${ids.length - 1}`;
  const from = within ? `${within} JOIN ${POSTINGS} t0 ON t0.doc = ${within}.doc` : `${POSTINGS} t0`;
  return `SELECT t0.doc, ${select.replace('$last', last)} FROM ${from} ${joins}
    WHERE t0.term_id = ? GROUP BY t0.doc`;
}

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
  const words = [...new Set(clauses.flat())];
  const known = await db.query<{ term: string; id: number }>(
    `SELECT term, id FROM transcript_vocab WHERE term IN (${words.map(() => '?').join(', ')})`,
    words,
  );
  const idOf = new Map(known.map((r) => [r.term, r.id]));
  // A word never seen leaves a clause, so the whole query, without a match.
  if (known.length < words.length) return { total: 0, hits: [] };
  const ids = clauses.map((terms) => terms.map((t) => idOf.get(t)!));

  const params: Param[] = [];
  // Per clause: the segments where it matches and its hits in each, and its weight from how many match
  // (over the whole index), worked out once rather than per matching segment.
  const ctes = ids.map(
    (clause, k) => `c${k} AS (${clauseSql(clause, params, 'count(*) AS hits')}),
      w${k} AS (SELECT ln(1 + (stats.n - d.df + 0.5) / (d.df + 0.5)) AS idf
        FROM (SELECT count(*) AS df FROM c${k}) d CROSS JOIN stats)`,
  );
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
    where.push(`s.contact_id IN (SELECT contact_id FROM (${filters.contacts.sql}))`);
    params.push(...filters.contacts.params);
  }
  // `terms` as DOUBLE: DuckDB would otherwise multiply by 0.75 in DECIMAL, several times slower for the
  // same value (three quarters of a count is exact in either).
  const score = ids
    .map(
      (_, k) =>
        `w${k}.idf * c${k}.hits * ${K1 + 1} /
         (c${k}.hits + ${K1} * (1 - ${B} + ${B} * s.terms::DOUBLE / stats.avg_terms))`,
    )
    .join(' + ');
  // The page's last place by score and time, then only the segments up to it (ties at that place
  // included) are looked up for the final order's event id: reading every match's id cost a scan.
  params.push(Math.max(0, page.limit + page.offset - 1), page.limit, page.offset);
  // Spans, text and the rest only for the page: building them for every match cost more than ranking.
  const spans = ids.map(
    (clause, k) => `p${k} AS (${clauseSql(clause, params, 'list([t0.start_ch, $last.end_ch]) AS spans', 'page')})`,
  );
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
    `WITH stats AS (SELECT count(*) AS n, greatest(avg(terms), 1) AS avg_terms FROM transcript_segments),
     ${ctes.join(',\n')},
     matched AS (
       SELECT s.doc, s.at_ms, ${score} AS score
       FROM transcript_segments s ${ids.map((_, k) => `JOIN c${k} ON c${k}.doc = s.doc CROSS JOIN w${k}`).join(' ')}
       CROSS JOIN stats
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}),
     cut AS (SELECT any_value(score) AS score, any_value(at_ms) AS at_ms
       FROM (SELECT score, at_ms FROM matched ORDER BY score DESC, at_ms DESC LIMIT 1 OFFSET ?)),
     page AS (
       SELECT m.doc, s.event_id, m.at_ms, m.score FROM matched m CROSS JOIN cut
       JOIN transcript_segments s ON s.doc = m.doc
       WHERE cut.score IS NULL OR m.score > cut.score OR (m.score = cut.score AND m.at_ms >= cut.at_ms)
       ORDER BY m.score DESC, m.at_ms DESC, s.event_id LIMIT ? OFFSET ?),
     ${spans.join(',\n')}
     SELECT page.event_id, s.contact_id, s.speaker, page.at_ms, s.text, page.score,
       flatten([${ids.map((_, k) => `p${k}.spans`).join(', ')}]) AS spans, (SELECT count(*) FROM matched) AS total
     FROM page JOIN transcript_segments s ON s.doc = page.doc ${ids.map((_, k) => `JOIN p${k} ON p${k}.doc = page.doc`).join(' ')}
     ORDER BY page.score DESC, page.at_ms DESC, page.event_id`,
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
