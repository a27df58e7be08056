/**
 * The QA workspace's API: transcript search, the contacts list with its filters (and as CSV), one
 * contact's whole story, and bulk import of conversations.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { scopeOf } from '../../auth/principal.ts';
import { LIMITS, SPEAKERS } from '../../contract/events.ts';
import {
  contactFilters,
  conversationImport,
  type ConversationImportResult,
  type QaContactList,
} from '../../contract/qa.ts';
import { contactsMatching, filterSql, findContact, searchContacts, EXPORT_LIMIT } from '../../qa/contact-search.ts';
import { contactView } from '../../qa/contact-view.ts';
import { conversationEvents } from '../../qa/conversation-import.ts';
import { contactEvents, refreshQaContacts } from '../../qa/qa-contacts.ts';
import { toCsv } from '../../qa/csv.ts';
import { searchTranscripts } from '../../qa/transcript-index.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { BadRequest, NotFound } from '../errors.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody, queryListsOf, queryOf } from '../validate.ts';

const searchQuery = z.object({
  q: z.string().max(500, 'at most 500 characters'),
  speaker: z.enum(SPEAKERS).optional(),
  contactId: z.string().max(256).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

/** The CSV's columns, in order: what a reviewer needs to pick up the contact elsewhere. */
const CSV_HEADER = [
  'contact_id',
  'start',
  'channel',
  'handler',
  'queues',
  'agents',
  'bot',
  'bot_outcome',
  'escalation_reason',
  'intent',
  'csat',
  'nps',
  'converted',
  'revenue',
  'disposition',
  'sentiment',
  'sentiment_end',
  'hold_seconds',
  'segments',
  'bot_turns',
  'redactions',
  'flags',
  'qa_score',
  'evaluations',
  'match_speaker',
  'match_at',
  'match_text',
];

function csvRows(list: QaContactList): unknown[][] {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return list.rows.map((r) => [
    r.contactId,
    iso(r.start),
    r.channel,
    r.handler,
    r.queues,
    r.agents,
    r.botId,
    r.botOutcome,
    r.reason,
    r.intent,
    r.csat,
    r.nps,
    r.converted ? 'yes' : 'no',
    r.revenue,
    r.disposition,
    r.sentiment,
    r.sentimentEnd,
    Math.round(r.holdMs / 1000),
    r.segments,
    r.botTurns,
    r.redactions,
    r.flags,
    r.qaScore,
    r.evaluations,
    r.hit?.speaker ?? null,
    iso(r.hit?.at ?? null),
    r.hit?.snippet.text ?? null,
  ]);
}

export function qaRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const visible = (c: { get(key: 'principal'): Parameters<typeof scopeOf>[0] }) =>
    t.hub.visibleQueues(scopeOf(c.get('principal')));

  app.get('/api/qa/search', allow('qa:read'), async (c) => {
    const { q, limit, offset, ...filters } = queryOf(c, searchQuery);
    const scope = visible(c);
    // A scoped reader's segments are those of contacts through their queues, which qa_contacts knows.
    if (scope) await refreshQaContacts(t.db);
    const contacts = scope ? { contacts: contactsMatching(filterSql({}, scope)) } : {};
    return c.json(await searchTranscripts(t.db, q, { ...filters, ...contacts }, { limit, offset }));
  });

  app.get('/api/qa/contacts', allow('qa:read'), async (c) => {
    const filters = queryListsOf(c, contactFilters);
    return c.json(await searchContacts(t.db, filters, visible(c), { timeZone: t.timeZone }));
  });

  app.get('/api/qa/contacts.csv', allow('qa:read'), async (c) => {
    const { page: _page, size: _size, ...filters } = queryListsOf(c, contactFilters);
    const list = await searchContacts(t.db, filters, visible(c), { size: EXPORT_LIMIT, timeZone: t.timeZone });
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header(
      'content-disposition',
      `attachment; filename="tandem-qa-${new Date(t.config.clock?.() ?? Date.now()).toISOString().slice(0, 10)}.csv"`,
    );
    // Says when the file holds less than the whole result.
    c.header('x-total-count', String(list.total));
    return c.body(toCsv(CSV_HEADER, csvRows(list)));
  });

  app.get('/api/qa/contacts/:id', allow('qa:read'), async (c) => {
    const id = c.req.param('id');
    if (id.length > LIMITS.idLength)
      throw new BadRequest('contact id is too long', [
        { path: 'id', message: `at most ${LIMITS.idLength} characters` },
      ]);
    const contact = await findContact(t.db, id, visible(c));
    // Out of scope reads as absent: a scoped reviewer learns nothing of other queues' contacts.
    if (!contact) throw new NotFound(`no contact "${id}"`);
    return c.json(contactView(contact, await contactEvents(t.db, id)));
  });

  app.post('/api/qa/import', allow('admin'), async (c) => {
    const file = await jsonBody(c, conversationImport);
    const built = conversationEvents(file, t.config.clock?.() ?? Date.now());
    if (built.errors.length) {
      throw new BadRequest(
        `invalid conversations: ${built.errors
          .slice(0, 5)
          .map((e) => `${e.path} ${e.message}`)
          .join('; ')}${built.errors.length > 5 ? ` (and ${built.errors.length - 5} more)` : ''}`,
        built.errors,
      );
    }
    const ack = await t.ingest.ingest(built.events, 'qa-import');
    const result: ConversationImportResult = {
      conversations: file.conversations.length,
      segments: ack.accepted,
      duplicates: ack.duplicates,
    };
    return c.json(result, 201);
  });
  return app;
}
