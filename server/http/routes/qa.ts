/** The QA workspace's API: transcript search (more with issue 6: contacts, scorecards, evaluations). */
import { Hono } from 'hono';
import { z } from 'zod';
import { SPEAKERS } from '../../contract/events.ts';
import { searchTranscripts } from '../../qa/transcript-index.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { queryOf } from '../validate.ts';

const searchQuery = z.object({
  q: z.string().max(500, 'at most 500 characters'),
  speaker: z.enum(SPEAKERS).optional(),
  contactId: z.string().max(256).optional(),
  from: z.coerce.number().int().optional(),
  to: z.coerce.number().int().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

export function qaRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/qa/search', allow('qa:read'), async (c) => {
    const { q, limit, offset, ...filters } = queryOf(c, searchQuery);
    return c.json(await searchTranscripts(t.db, q, filters, { limit, offset }));
  });
  return app;
}
