/**
 * Migration 010 converts an index built by 009 (terms as text, segments by event id) instead of
 * tokenizing everything again: the converted index must answer exactly like one built afresh.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/duckdb.ts';
import { MIGRATIONS_DIR, migrate } from '../../server/db/migrate.ts';
import { EventStore } from '../../server/ingest/event-store.ts';
import { Ingest } from '../../server/ingest/ingest.ts';
import { refreshTranscriptIndex, searchTranscripts } from '../../server/qa/transcript-index.ts';
import { tokenize } from '../../server/qa/tokenize.ts';

const TEXTS = [
  'I was charged twice for my order',
  'Sorry you were charged. Charged twice? Let me check.',
  'The refund for the twice charged amount is on its way',
  '我的账单好像多扣了一笔钱。',
  '您好，重复扣的款项已经为您退回，退款三天到账。',
  'Refund please, 我要退款',
  'I can help with a refund. Refund requests take a day.',
];
const start = Date.UTC(2026, 10, 24, 9);
const events = Array.from({ length: 40 }, (_, i) => ({
  id: `u${i}`,
  type: 'transcript.segment',
  at: start + ((i * 7) % 40) * 1000,
  contactId: `c${i % 6}`,
  speaker: (['customer', 'bot', 'agent'] as const)[i % 3],
  text: TEXTS[i % TEXTS.length]!,
}));
const QUERIES = ['refund', 'charged twice', '"charged twice"', '退款', '多扣', 'twice refund', 'order'];

/** What the 009 code stored: segments keyed by event id, every term as text. */
async function index009(db: Database) {
  const rows = await db.query<{ id: string; contact_id: string; at_ms: number; body: string; top: number }>(
    `SELECT id, contact_id, at_ms, body::VARCHAR AS body, (SELECT count(*) - 1 FROM events) AS top FROM events
     WHERE type = 'transcript.segment'`,
  );
  await db.write(async (tx) => {
    const segments: (string | number)[][] = [];
    const terms: (string | number)[][] = [];
    for (const r of rows) {
      const body = JSON.parse(r.body) as { speaker: string; text: string };
      const tokens = tokenize(body.text);
      segments.push([r.id, r.contact_id, body.speaker, r.at_ms, body.text, tokens.length]);
      for (const t of tokens) terms.push([t.term, r.id, t.position, t.start, t.end]);
    }
    await tx.append('transcript_segments', ['varchar', 'varchar', 'varchar', 'bigint', 'varchar', 'bigint'], segments);
    await tx.append('transcript_terms', ['varchar', 'varchar', 'bigint', 'bigint', 'bigint'], terms);
    await tx.query('UPDATE transcript_index_state SET event_rowid = ? WHERE id = 1', [rows[0]!.top]);
  });
}

describe('transcript index upgrade', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('converts what 009 indexed and answers like an index built afresh', async () => {
    const upTo009 = mkdtempSync(join(tmpdir(), 'tandem-migrations-'));
    dirs.push(upTo009);
    for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f <= '009_~')) {
      copyFileSync(join(MIGRATIONS_DIR, f), join(upTo009, f));
    }
    const old = await openDatabase(':memory:');
    await migrate(old, upTo009);
    const fresh = await openDatabase(':memory:');
    await migrate(fresh);
    for (const db of [old, fresh]) {
      const ingest = new Ingest(new EventStore(db), { now: () => start + 60_000 });
      // In two batches, so rowids and arrival order are not one and the same as time order.
      await ingest.ingest(events.slice(0, 25));
      await ingest.ingest(events.slice(25));
    }
    await index009(old);
    expect(await migrate(old)).toContain('010_transcript_postings.sql');
    expect(await refreshTranscriptIndex(old)).toBe(0);
    for (const q of QUERIES) {
      const want = await searchTranscripts(fresh, q, {}, { limit: 50, offset: 0 });
      expect(want.total, q).toBeGreaterThan(0);
      expect(await searchTranscripts(old, q, {}, { limit: 50, offset: 0 }), q).toEqual(want);
    }
    await old.close();
    await fresh.close();
  });
});
