/**
 * Scorecards, evaluations, score rollups and calibration: QA reads and evaluates, admins build
 * scorecards. Who reviewed is always the signed-in account, never a field of the request.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Origin } from '../../auth/admin.ts';
import { actorOf, can } from '../../auth/principal.ts';
import {
  calibrationInput,
  evaluationInput,
  ROLLUP_BY,
  SCORECARD_ID,
  scorecardSpec,
  type RollupView,
} from '../../contract/scorecards.ts';
import type { Viewer } from '../../qa/calibrations.ts';
import { refreshQaContacts } from '../../qa/qa-contacts.ts';
import { rollup, scoredContacts } from '../../qa/score-rollups.ts';
import { boundMs } from '../../time.ts';
import { timeBound } from '../../contract/qa.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { BadRequest, Forbidden } from '../errors.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody, queryOf } from '../validate.ts';

const DAY_MS = 86_400_000;
/** Rollups default to the last 30 days; a year at most keeps one request's reading bounded. */
const DEFAULT_DAYS = 30;
const MAX_DAYS = 366;

const scoresQuery = z.object({
  by: z.enum(ROLLUP_BY),
  from: timeBound.optional(),
  to: timeBound.optional(),
  scorecardId: z.string().regex(SCORECARD_ID, 'must be a scorecard id (sc_…)').optional(),
});
const listQuery = z.object({ archived: z.enum(['0', '1']).default('0') });
const versionQuery = z.object({ version: z.coerce.number().int().min(1).optional() });
const contactQuery = z.object({ contactId: z.string().trim().min(1, 'must not be empty').max(256) });

export function scorecardRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const origin = (c: Context<AppEnv>): Origin => ({ actor: actorOf(c.get('principal')), ip: c.get('clientIp') });
  const viewer = (c: Context<AppEnv>): Viewer => {
    const p = c.get('principal');
    // Every policy below admits signed-in users only; this keeps the type honest.
    if (p.kind !== 'user') throw new Forbidden('QA work needs a signed-in account');
    return { username: p.username, admin: can(p, 'admin') };
  };

  app.get('/api/qa/scorecards', allow('qa:read'), async (c) => {
    const { archived } = queryOf(c, listQuery);
    return c.json({ scorecards: await t.scorecards.list(archived === '1') });
  });
  app.get('/api/qa/scorecards/:id', allow('qa:read'), async (c) => {
    const { version } = queryOf(c, versionQuery);
    return c.json({ scorecard: await t.scorecards.get(c.req.param('id'), version) });
  });
  app.post('/api/qa/scorecards', allow('admin'), async (c) => {
    const spec = await jsonBody(c, scorecardSpec);
    return c.json({ scorecard: await t.scorecards.create(origin(c), spec) }, 201);
  });
  app.put('/api/qa/scorecards/:id', allow('admin'), async (c) => {
    const spec = await jsonBody(c, scorecardSpec);
    return c.json({ scorecard: await t.scorecards.update(origin(c), c.req.param('id'), spec) });
  });
  app.delete('/api/qa/scorecards/:id', allow('admin'), async (c) =>
    c.json(await t.scorecards.remove(origin(c), c.req.param('id'))),
  );

  app.post('/api/qa/evaluations', allow('qa:evaluate'), async (c) => {
    const input = await jsonBody(c, evaluationInput);
    const me = viewer(c);
    const evaluation = input.calibrationId
      ? await t.calibrations.submit(origin(c), input.calibrationId, me.username, input)
      : await t.scorecards.evaluate(origin(c), me.username, input);
    return c.json({ evaluation }, 201);
  });
  app.get('/api/qa/evaluations', allow('qa:read'), async (c) => {
    const { contactId } = queryOf(c, contactQuery);
    return c.json(await t.calibrations.visibleEvaluations(contactId, viewer(c)));
  });

  app.get('/api/qa/scores', allow('qa:read'), async (c) => {
    const q = queryOf(c, scoresQuery);
    // A day as `to` includes that day: the range ends where the next one starts.
    const to = q.to ? boundMs(q.to, 'end', t.timeZone) : Date.now();
    const from = q.from ? boundMs(q.from, 'start', t.timeZone) : to - DEFAULT_DAYS * DAY_MS;
    if (to <= from)
      throw new BadRequest('invalid query: to must be after from', [{ path: 'to', message: 'must be after from' }]);
    if (to - from > MAX_DAYS * DAY_MS) {
      throw new BadRequest(`invalid query: at most ${MAX_DAYS} days`, [
        { path: 'from', message: `the range may span at most ${MAX_DAYS} days` },
      ]);
    }
    // The contacts' agents, bots and queues come from qa_contacts: bring it up to what is committed.
    await refreshQaContacts(t.db);
    const rows = await scoredContacts(t.db, { from, to, scorecardId: q.scorecardId });
    return c.json({
      by: q.by,
      range: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      timeZone: t.timeZone,
      scorecardId: q.scorecardId ?? null,
      rows: rollup(rows, q.by, t.timeZone),
    } satisfies RollupView);
  });

  app.get('/api/qa/calibrations', allow('qa:read'), async (c) =>
    c.json({ calibrations: await t.calibrations.listFor(viewer(c)) }),
  );
  app.get('/api/qa/calibrations/:id', allow('qa:read'), async (c) =>
    c.json({ calibration: await t.calibrations.get(c.req.param('id'), viewer(c)) }),
  );
  app.post('/api/qa/calibrations', allow(['admin', 'qa:evaluate']), async (c) => {
    const input = await jsonBody(c, calibrationInput);
    return c.json({ calibration: await t.calibrations.create(origin(c), viewer(c).username, input) }, 201);
  });
  return app;
}
