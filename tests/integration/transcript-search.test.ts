/** Transcript search over the API: English and Chinese, phrases, speakers, ranking, snippets, catch-up. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compactTranscriptIndex,
  refreshTranscriptIndex,
  searchTranscripts,
  type SearchResult,
} from '../../server/qa/transcript-index.ts';
import { parseQuery, tokenize } from '../../server/qa/tokenize.ts';
import { postEvents, startTestServer, tempDbPath, type TestServer } from '../helpers/server.ts';

type Seg = { id: string; contactId: string; speaker: 'customer' | 'bot' | 'agent'; text: string; minute: number };
const SEGMENTS: Seg[] = [
  { id: 's1', contactId: 'c1', speaker: 'customer', text: 'I was charged twice for my order', minute: 1 },
  {
    id: 's2',
    contactId: 'c1',
    speaker: 'bot',
    text: 'Sorry you were charged. Charged twice? Let me check.',
    minute: 2,
  },
  {
    id: 's3',
    contactId: 'c1',
    speaker: 'agent',
    text: 'The refund for the twice charged amount is on its way',
    minute: 3,
  },
  { id: 's4', contactId: 'c2', speaker: 'customer', text: '我的账单好像多扣了一笔钱。', minute: 4 },
  { id: 's5', contactId: 'c2', speaker: 'agent', text: '您好，重复扣的款项已经为您退回，退款三天到账。', minute: 5 },
  { id: 's6', contactId: 'c3', speaker: 'customer', text: 'Refund please, 我要退款', minute: 6 },
  {
    id: 's7',
    contactId: 'c3',
    speaker: 'bot',
    text: 'I can help with a refund. Refund requests take a day.',
    minute: 7,
  },
];

describe('transcript search', () => {
  let server: TestServer;
  const db = tempDbPath();
  const start = Date.now() - 60 * 60_000;
  const event = (s: Seg) => ({
    id: s.id,
    type: 'transcript.segment',
    at: new Date(start + s.minute * 60_000).toISOString(),
    contactId: s.contactId,
    speaker: s.speaker,
    text: s.text,
  });
  const search = async (params: Record<string, string>) =>
    (await (await server.get(`/api/qa/search?${new URLSearchParams(params)}`)).json()) as SearchResult;
  const ids = (r: SearchResult) => r.hits.map((h) => h.eventId).sort();

  /** What the index must find: every clause's terms adjacent somewhere in the segment, by brute force. */
  let posted: Seg[] = [];
  const reference = (q: string, speaker?: string, contacts?: string[]) => {
    const { clauses } = parseQuery(q);
    return posted
      .filter((s) => {
        if (speaker && s.speaker !== speaker) return false;
        if (contacts && !contacts.includes(s.contactId)) return false;
        const terms = tokenize(s.text).map((t) => t.term);
        return clauses.every((c) => terms.some((_, i) => c.every((term, j) => terms[i + j] === term)));
      })
      .map((s) => s.id)
      .sort();
  };

  beforeAll(async () => {
    server = await startTestServer({ dbPath: db.path });
    posted = SEGMENTS.slice(0, 5);
    expect((await postEvents(server, posted.map(event))).status).toBe(202);
  });
  afterAll(async () => {
    await server.close();
    db.cleanup();
  });

  it('finds what a brute-force scan finds, for words, phrases and Chinese, with and without a speaker', async () => {
    for (const q of [
      'charged',
      'charged twice',
      '"charged twice"',
      'refund',
      '多扣',
      '退回',
      '退款 款项',
      '"twice charged"',
    ]) {
      for (const speaker of [undefined, 'customer', 'agent']) {
        const got = await search({ q, ...(speaker ? { speaker } : {}) });
        expect(ids(got), `${q} / ${speaker}`).toEqual(reference(q, speaker));
        expect(got.total).toBe(got.hits.length);
      }
    }
  });

  it('ranks more hits first, shorter segments before longer ones, and marks every match in the snippet', async () => {
    const got = await search({ q: 'charged' });
    // s2 says it twice; s1 and s3 once each, s1 in fewer words.
    expect(got.hits.map((h) => h.eventId)).toEqual(['s2', 's1', 's3']);
    const { text, highlights } = got.hits[0]!.snippet;
    expect(highlights.map(([s, e]) => text.slice(s, e))).toEqual(['charged', 'Charged']);
    const phrase = (await search({ q: '"charged twice"' })).hits.find((h) => h.eventId === 's2')!.snippet;
    expect(phrase.highlights.map(([s, e]) => phrase.text.slice(s, e))).toEqual(['Charged twice']);
    const zh = (await search({ q: '多扣' })).hits[0]!.snippet;
    expect(zh.highlights.map(([s, e]) => zh.text.slice(s, e))).toEqual(['多扣']);
  });

  it('finds segments that arrive after the first search, and pages', async () => {
    expect((await postEvents(server, SEGMENTS.slice(5).map(event))).status).toBe(202);
    posted = SEGMENTS;
    const all = await search({ q: 'refund' });
    expect(ids(all)).toEqual(reference('refund'));
    expect(all.hits[0]!.eventId).toBe('s7');
    const second = await search({ q: 'refund', limit: '1', offset: '1' });
    expect(second.total).toBe(all.total);
    expect(second.hits.map((h) => h.eventId)).toEqual([all.hits[1]!.eventId]);
  });

  it('keeps to the contacts a subquery names, scored over the whole index', async () => {
    const contacts = { sql: 'SELECT ? AS contact_id UNION ALL SELECT ?', params: ['c1', 'c3'] };
    for (const q of ['refund', 'charged twice', '"twice charged"', '退款', '多扣']) {
      const got = await searchTranscripts(server.tandem.db, q, { contacts });
      expect(got.hits.map((h) => h.eventId).sort(), q).toEqual(reference(q, undefined, ['c1', 'c3']));
      expect(got.total).toBe(got.hits.length);
      // A hit scores the same with or without the filter: df and the segment count are the whole index's.
      const all = await searchTranscripts(server.tandem.db, q);
      for (const hit of got.hits) expect(hit.score).toBe(all.hits.find((h) => h.eventId === hit.eventId)!.score);
    }
    const agent = await searchTranscripts(server.tandem.db, 'refund', { contacts, speaker: 'agent' });
    expect(agent.hits.map((h) => h.eventId)).toEqual(reference('refund', 'agent', ['c1', 'c3']));
    const none = { sql: 'SELECT ? AS contact_id', params: ['c9'] };
    expect(await searchTranscripts(server.tandem.db, 'refund', { contacts: none })).toEqual({ total: 0, hits: [] });
  });

  it('answers the same after the tail of the index is merged into its sorted part, and finds what comes after', async () => {
    const queries = ['refund', 'charged', '"charged twice"', '退款 款项', 'twice charged'];
    const before = await Promise.all(queries.map((q) => search({ q })));
    expect(await compactTranscriptIndex(server.tandem.db, { force: true })).toBe(true);
    expect(await Promise.all(queries.map((q) => search({ q })))).toEqual(before);
    const late: Seg = { id: 's8', contactId: 'c4', speaker: 'agent', text: 'Your refund was charged back', minute: 8 };
    expect((await postEvents(server, [event(late)])).status).toBe(202);
    posted = [...SEGMENTS, late];
    for (const q of queries) expect(ids(await search({ q })), q).toEqual(reference(q));
  });

  it('keeps a segment indexed while a merge is being built: commits go on beside it, and nothing is lost', async () => {
    const db = server.tandem.db;
    const during: Seg = { id: 's9', contactId: 'c4', speaker: 'customer', text: 'refund during the merge', minute: 9 };
    const beside: typeof db = {
      ...db,
      // Between building the sorted copy and its commit: a producer's event is committed and indexed.
      aside: (fn) =>
        db.aside(async (tx) => {
          const built = await fn(tx);
          expect((await postEvents(server, [event(during)])).status).toBe(202);
          await refreshTranscriptIndex(db);
          return built;
        }),
    };
    expect(await compactTranscriptIndex(beside, { force: true })).toBe(true);
    posted = [...posted, during];
    // Only the segment that came during the merge is left in the tail; every query still finds all.
    const [tail] = await db.query<{ docs: number }>('SELECT count(DISTINCT doc) AS docs FROM transcript_postings_tail');
    expect(tail!.docs).toBe(1);
    for (const q of ['refund', 'charged', '"charged twice"', 'merge'])
      expect(ids(await search({ q })), q).toEqual(reference(q));
  });

  it('answers nothing for an empty query and names a bad parameter', async () => {
    expect(await search({ q: '  "" ' })).toEqual({ total: 0, hits: [] });
    const res = await server.get('/api/qa/search?q=x&speaker=robot');
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('speaker');
  });

  it('orders segments tied on score and time by event id, on every page', async () => {
    const tied = ['w3', 'w1', 'w5', 'w2', 'w4'].map((id): Seg => ({
      id,
      contactId: 'c5',
      speaker: 'customer',
      text: 'warranty claim',
      minute: 9,
    }));
    expect((await postEvents(server, tied.map(event))).status).toBe(202);
    const all = await search({ q: 'warranty' });
    expect(all.hits.map((h) => h.eventId)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    for (let offset = 0; offset < 5; offset++) {
      const got = await search({ q: 'warranty', limit: '2', offset: String(offset) });
      expect(got.total).toBe(5);
      expect(got.hits, `offset ${offset}`).toEqual(all.hits.slice(offset, offset + 2));
    }
  });
});
