/**
 * Scorecards, evaluations, rollups and calibration through app.request(): versioning keeps old scores,
 * answers are checked field by field, rollups agree with figures worked out here from the events sent
 * through the ingest path, and calibration stays blind until a reviewer has submitted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CalibrationView,
  EvaluationList,
  EvaluationView,
  RollupView,
  ScorecardInput,
  ScorecardView,
} from '../../server/contract/scorecards.ts';
import { createApp } from '../../server/http/app.ts';
import { createTandem, type Tandem } from '../../server/tandem.ts';
import { ingestKey, signedIn, tempDbPath, testConfig } from '../helpers/server.ts';

const ORIGIN = 'http://localhost';
const ZONE = 'Asia/Shanghai';
const HOUR = 3_600_000;

type Caller = { cookie: string; username: string };

const CARD: ScorecardInput = {
  name: 'Billing QA',
  description: 'Bot and agent on billing contacts',
  sections: [
    {
      title: 'Bot',
      weight: 1,
      questions: [
        { id: 'bot-intent', text: 'Bot understood the intent', kind: 'yesno', part: 'bot' },
        { id: 'handoff-context', text: 'Context passed to the agent', kind: 'yesno', part: 'handoff', allowNa: true },
      ],
    },
    {
      title: 'Agent',
      weight: 2,
      questions: [
        {
          id: 'agent-verify',
          text: 'Verified the customer',
          kind: 'yesno',
          part: 'agent',
          critical: true,
          allowNa: true,
        },
        { id: 'agent-tone', text: 'Tone', kind: 'scale', scaleMax: 5, part: 'agent', weight: 2, allowNa: true },
      ],
    },
  ],
};

describe('scorecards', () => {
  let tandem: Tandem;
  let app: ReturnType<typeof createApp>;
  const db = tempDbPath();
  let admin: Caller;
  let qa1: Caller;
  let qa2: Caller;
  let qa3: Caller;
  let supervisor: Caller;
  let key = '';
  // Contacts start on two local days: c1, c2, c4 on one; c3 at 00:30 Shanghai the next (16:30 UTC before).
  const day0 = Date.UTC(2026, 10, 20, 2, 0); // 10:00 in Shanghai
  const at = (ms: number) => new Date(ms).toISOString();

  const call = (caller: Caller, method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: {
        cookie: caller.cookie,
        origin: ORIGIN,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(res: Response | Promise<Response>, status: number): Promise<T> => {
    const r = await res;
    const body = (await r.json()) as T;
    expect(r.status, JSON.stringify(body)).toBe(status);
    return body;
  };
  const details = async (res: Response | Promise<Response>, status = 400) =>
    (await json<{ error: { details?: { path: string; message: string }[]; message: string } }>(res, status)).error;

  beforeAll(async () => {
    tandem = await createTandem(testConfig({ dbPath: db.path, timeZone: ZONE }));
    app = createApp(tandem);
    admin = await signedIn(tandem, ['admin']);
    qa1 = await signedIn(tandem, ['qa']);
    qa2 = await signedIn(tandem, ['qa']);
    qa3 = await signedIn(tandem, ['qa']);
    supervisor = await signedIn(tandem, ['supervisor']);
    key = await ingestKey(tandem);
    const c3 = Date.UTC(2026, 10, 20, 16, 30);
    const events = [
      // c1: the faq bot hands off to billing, where a1 answers and wraps up.
      { type: 'contact.started', contactId: 'c1', at: at(day0), channel: 'chat' },
      { type: 'bot.started', contactId: 'c1', at: at(day0 + 1000), botId: 'faq-bot' },
      { type: 'bot.ended', contactId: 'c1', at: at(day0 + 60_000), outcome: 'escalated', reason: 'complex' },
      { type: 'queue.entered', contactId: 'c1', at: at(day0 + 61_000), queue: 'billing' },
      {
        type: 'queue.left',
        contactId: 'c1',
        at: at(day0 + 90_000),
        queue: 'billing',
        outcome: 'answered',
        agentId: 'a1',
      },
      { type: 'wrapup.completed', contactId: 'c1', at: at(day0 + 600_000), agentId: 'a1' },
      // c2: the faq bot contains it.
      { type: 'contact.started', contactId: 'c2', at: at(day0 + HOUR), channel: 'chat' },
      { type: 'bot.started', contactId: 'c2', at: at(day0 + HOUR + 1000), botId: 'faq-bot' },
      { type: 'bot.ended', contactId: 'c2', at: at(day0 + HOUR + 60_000), outcome: 'contained' },
      // c3: straight to sales the next local day, answered by a2.
      { type: 'contact.started', contactId: 'c3', at: at(c3), channel: 'voice' },
      { type: 'queue.entered', contactId: 'c3', at: at(c3 + 1000), queue: 'sales' },
      { type: 'queue.left', contactId: 'c3', at: at(c3 + 20_000), queue: 'sales', outcome: 'answered', agentId: 'a2' },
      // c4: a sales call abandoned in the queue; nobody answered it.
      { type: 'contact.started', contactId: 'c4', at: at(day0 + 2 * HOUR), channel: 'voice' },
      { type: 'queue.entered', contactId: 'c4', at: at(day0 + 2 * HOUR + 1000), queue: 'sales' },
      { type: 'queue.left', contactId: 'c4', at: at(day0 + 2 * HOUR + 50_000), queue: 'sales', outcome: 'abandoned' },
    ].map((e, i) => ({ id: `e${i}`, ...e }));
    const res = await app.request('/api/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(events),
    });
    expect(res.status).toBe(202);
  });
  afterAll(async () => {
    await tandem.close();
    db.cleanup();
  });

  let card: ScorecardView;

  it('creates a scorecard, versions each edit, archives one in use and deletes one unused, all audited', async () => {
    card = (await json<{ scorecard: ScorecardView }>(call(admin, 'POST', '/api/qa/scorecards', CARD), 201)).scorecard;
    expect(card).toMatchObject({ name: 'Billing QA', version: 1, archived: false, evaluations: 0 });
    expect(card.id).toMatch(/^sc_/);
    expect(card.sections[0]!.questions[0]).toEqual({
      id: 'bot-intent',
      text: 'Bot understood the intent',
      kind: 'yesno',
      part: 'bot',
      allowNa: false,
      weight: 1,
      critical: false,
    });
    // QA reads, but only admins build.
    expect((await call(qa1, 'GET', `/api/qa/scorecards/${card.id}`)).status).toBe(200);
    expect((await call(qa1, 'POST', '/api/qa/scorecards', CARD)).status).toBe(403);
    // Saving it unchanged adds no version; a change does.
    const same = await json<{ scorecard: ScorecardView }>(
      call(admin, 'PUT', `/api/qa/scorecards/${card.id}`, CARD),
      200,
    );
    expect(same.scorecard.version).toBe(1);
    const spare = (
      await json<{ scorecard: ScorecardView }>(
        call(admin, 'POST', '/api/qa/scorecards', { ...CARD, name: 'Spare' }),
        201,
      )
    ).scorecard;
    expect(await json(call(admin, 'DELETE', `/api/qa/scorecards/${spare.id}`), 200)).toEqual({ archived: false });
    expect((await call(admin, 'GET', `/api/qa/scorecards/${spare.id}`)).status).toBe(404);
    const actions = (await tandem.auth.audit.list({}))
      .filter((e) => e.target === `scorecard:${spare.id}`)
      .map((e) => e.action)
      .sort();
    expect(actions).toEqual(['scorecard.create', 'scorecard.delete']);
  });

  it('refuses a malformed scorecard, naming each field', async () => {
    const bad = {
      name: 'Bad',
      sections: [
        {
          title: 'S',
          weight: 0,
          questions: [
            { id: 'q', text: 'Q', kind: 'scale', part: 'agent' },
            { id: 'q', text: 'Q again', kind: 'yesno', part: 'robot' },
          ],
        },
      ],
    };
    const error = await details(call(admin, 'POST', '/api/qa/scorecards', bad));
    expect(error.details).toEqual(
      expect.arrayContaining([
        { path: 'sections.0.weight', message: 'must be more than 0' },
        { path: 'sections.0.questions.0.scaleMax', message: 'a scale question needs its top value (2 to 10)' },
        expect.objectContaining({ path: 'sections.0.questions.1.part' }),
      ]),
    );
  });

  let first: EvaluationView;

  it('evaluates a contact, refusing unknown contacts and answers that do not fit, field by field', async () => {
    const missing = await details(
      call(qa1, 'POST', '/api/qa/evaluations', { scorecardId: card.id, contactId: 'nobody', answers: {} }),
      404,
    );
    expect(missing.message).toContain('contactId');
    expect(missing.message).toContain('nobody');
    const wrong = await details(
      call(qa1, 'POST', '/api/qa/evaluations', {
        scorecardId: card.id,
        contactId: 'c1',
        answers: { 'bot-intent': 'na', 'handoff-context': 4, 'agent-tone': 6, extra: 'yes' },
      }),
    );
    expect(wrong.details).toEqual([
      { path: 'answers.bot-intent', message: 'cannot be N/A: this question always applies' },
      { path: 'answers.handoff-context', message: 'must be yes, no or na' },
      { path: 'answers.agent-verify', message: 'is not answered' },
      { path: 'answers.agent-tone', message: 'must be a whole number from 1 to 5 or na' },
      { path: 'answers.extra', message: 'is not a question of this scorecard' },
    ]);
    expect((await call(supervisor, 'POST', '/api/qa/evaluations', {})).status).toBe(403);

    first = (
      await json<{ evaluation: EvaluationView }>(
        call(qa1, 'POST', '/api/qa/evaluations', {
          scorecardId: card.id,
          contactId: 'c1',
          answers: { 'bot-intent': 'yes', 'handoff-context': 'no', 'agent-verify': 'yes', 'agent-tone': 4 },
          comment: 'Good save by the agent',
        }),
        201,
      )
    ).evaluation;
    // Bot section (1 + 0) / 2 = 50; agent section (1 + 2 * 0.75) / 3 = 83.3; overall (50 + 2 * 83.33) / 3.
    expect(first.scores).toEqual({
      overall: 72.2,
      bot: 100,
      agent: 83.3,
      handoff: 0,
      failedCritical: [],
      sections: [50, 83.3],
    });
    expect(first).toMatchObject({ reviewer: qa1.username, scorecardVersion: 1, comment: 'Good save by the agent' });
    // The same reviewer scoring the same contact with the same scorecard again would count twice.
    const again = await details(
      call(qa1, 'POST', '/api/qa/evaluations', {
        scorecardId: card.id,
        contactId: 'c1',
        answers: { 'bot-intent': 'yes', 'handoff-context': 'no', 'agent-verify': 'yes', 'agent-tone': 4 },
      }),
      409,
    );
    expect(again.message).toContain(first.id);
    // The columns the QA search filters on.
    const [row] = await tandem.db.query<{ score: number; failed_critical: boolean }>(
      'SELECT score, failed_critical FROM qa_evaluations WHERE id = ?',
      [first.id],
    );
    expect(row).toEqual({ score: 72.2, failed_critical: false });
  });

  it('keeps old scores when the scorecard changes', async () => {
    const edited: ScorecardInput = {
      ...CARD,
      sections: [{ ...CARD.sections[0]!, weight: 5 }, CARD.sections[1]!],
    };
    const v2 = (
      await json<{ scorecard: ScorecardView }>(call(admin, 'PUT', `/api/qa/scorecards/${card.id}`, edited), 200)
    ).scorecard;
    expect(v2.version).toBe(2);
    const v1 = (
      await json<{ scorecard: ScorecardView }>(call(qa1, 'GET', `/api/qa/scorecards/${card.id}?version=1`), 200)
    ).scorecard;
    expect(v1.sections[0]!.weight).toBe(1);
    const list = await json<EvaluationList>(call(qa2, 'GET', '/api/qa/evaluations?contactId=c1'), 200);
    expect(list.evaluations.map((e) => [e.id, e.scorecardVersion, e.scores.overall])).toEqual([[first.id, 1, 72.2]]);
    // c2 with version 2: a bot-only contact, the agent questions N/A.
    const second = (
      await json<{ evaluation: EvaluationView }>(
        call(qa2, 'POST', '/api/qa/evaluations', {
          scorecardId: card.id,
          contactId: 'c2',
          answers: { 'bot-intent': 'yes', 'handoff-context': 'na', 'agent-verify': 'na', 'agent-tone': 'na' },
        }),
        201,
      )
    ).evaluation;
    expect(second).toMatchObject({ scorecardVersion: 2 });
    expect(second.scores).toMatchObject({ overall: 100, bot: 100, agent: null, handoff: null, sections: [100, null] });
  });

  it('rolls scores up per agent, bot, queue and local day of the contact, calibration left out', async () => {
    // c3 fails the critical question; c4 nobody answered.
    await json(
      call(qa1, 'POST', '/api/qa/evaluations', {
        scorecardId: card.id,
        contactId: 'c3',
        answers: { 'bot-intent': 'no', 'handoff-context': 'na', 'agent-verify': 'no', 'agent-tone': 5 },
      }),
      201,
    );
    await json(
      call(qa2, 'POST', '/api/qa/evaluations', {
        scorecardId: card.id,
        contactId: 'c4',
        answers: { 'bot-intent': 'no', 'handoff-context': 'na', 'agent-verify': 'na', 'agent-tone': 'na' },
      }),
      201,
    );
    const stored = await json<EvaluationList>(call(admin, 'GET', '/api/qa/evaluations?contactId=c3'), 200);
    const c3 = stored.evaluations[0]!.scores;
    expect(c3).toMatchObject({ overall: 0, agent: 0, failedCritical: ['agent-verify'] });
    const scores = { c1: first.scores, c2: { overall: 100, bot: 100 }, c3, c4: { overall: 0, bot: 0 } };

    const range = `from=${day0 - 24 * HOUR}&to=${day0 + 3 * 24 * HOUR}`;
    const by = async (dim: string) =>
      (await json<RollupView>(call(qa1, 'GET', `/api/qa/scores?by=${dim}&${range}`), 200)).rows;
    const mean = (...xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;

    expect(await by('agent')).toEqual([
      { key: 'a1', count: 1, overall: scores.c1.overall, bot: 100, agent: 83.3, handoff: 0, criticalFailRate: 0 },
      { key: 'a2', count: 1, overall: 0, bot: 0, agent: 0, handoff: null, criticalFailRate: 100 },
      {
        key: null,
        count: 2,
        overall: mean(100, 0),
        bot: mean(100, 0),
        agent: null,
        handoff: null,
        criticalFailRate: 0,
      },
    ]);
    expect((await by('bot')).map((r) => [r.key, r.count, r.overall])).toEqual([
      ['faq-bot', 2, mean(scores.c1.overall!, 100)],
      [null, 2, 0],
    ]);
    // c1 by its answer's queue; c4 by the queue it waited in; c2 never queued.
    expect((await by('queue')).map((r) => [r.key, r.count, r.criticalFailRate])).toEqual([
      ['billing', 1, 0],
      ['sales', 2, 50],
      [null, 1, 0],
    ]);
    const localDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(ms);
    expect((await by('day')).map((r) => [r.key, r.count, r.overall])).toEqual([
      [localDay(day0), 3, mean(scores.c1.overall!, 100, 0)],
      [localDay(Date.UTC(2026, 10, 20, 16, 30)), 1, 0],
    ]);
    // A range that ends before c3 started leaves it out; a scorecard filter keeps to that scorecard.
    const early = await json<RollupView>(
      call(qa1, 'GET', `/api/qa/scores?by=agent&from=${day0 - HOUR}&to=${day0 + 12 * HOUR}&scorecardId=${card.id}`),
      200,
    );
    expect(early.rows.map((r) => r.key)).toEqual(['a1', null]);
    // Days are the center's: 20 November in Shanghai holds c1, c2 and c4, not c3 (00:30 on the 21st).
    const day = await json<RollupView>(call(qa1, 'GET', '/api/qa/scores?by=day&from=2026-11-20&to=2026-11-20'), 200);
    expect(day.rows.map((r) => [r.key, r.count])).toEqual([['2026-11-20', 3]]);
    expect(day.range).toEqual({ from: '2026-11-19T16:00:00.000Z', to: '2026-11-20T16:00:00.000Z' });
    const bad = await details(call(qa1, 'GET', '/api/qa/scores?by=team&from=yesterday'));
    expect(bad.details!.map((d) => d.path).sort()).toEqual(['by', 'from']);
  });

  it('runs a blind calibration and shows the spread once a reviewer has submitted', async () => {
    const bad = await details(
      call(admin, 'POST', '/api/qa/calibrations', {
        contactId: 'c1',
        scorecardId: card.id,
        reviewers: [qa2.username, supervisor.username],
      }),
    );
    expect(bad.details).toEqual([
      { path: 'reviewers.1', message: `${supervisor.username}: may not evaluate contacts` },
    ]);
    const session = (
      await json<{ calibration: CalibrationView }>(
        call(admin, 'POST', '/api/qa/calibrations', {
          contactId: 'c1',
          scorecardId: card.id,
          reviewers: [qa2.username, qa3.username],
        }),
        201,
      )
    ).calibration;
    expect(session).toMatchObject({ open: true, submitted: [], scorecardVersion: 2, owner: admin.username });

    // qa2 has not submitted: blind to qa1's evaluation of c1 and to the session's spread.
    const blind = await json<EvaluationList>(call(qa2, 'GET', '/api/qa/evaluations?contactId=c1'), 200);
    expect(blind).toEqual({ evaluations: [], hidden: 1 });
    const mine = await json<{ calibrations: CalibrationView[] }>(call(qa2, 'GET', '/api/qa/calibrations'), 200);
    expect(mine.calibrations.map((c) => [c.id, c.spread, c.evaluations])).toEqual([[session.id, null, null]]);
    // Someone outside the session does not find it; the owner sees it at once.
    expect((await call(qa1, 'GET', `/api/qa/calibrations/${session.id}`)).status).toBe(404);
    expect(
      (
        await call(qa1, 'POST', '/api/qa/evaluations', {
          calibrationId: session.id,
          scorecardId: card.id,
          contactId: 'c1',
          answers: {},
        })
      ).status,
    ).toBe(403);

    const submit = (who: Caller, answers: Record<string, string | number>) =>
      call(who, 'POST', '/api/qa/evaluations', {
        calibrationId: session.id,
        scorecardId: card.id,
        contactId: 'c1',
        answers,
      });
    await json(
      submit(qa2, { 'bot-intent': 'yes', 'handoff-context': 'yes', 'agent-verify': 'yes', 'agent-tone': 5 }),
      201,
    );
    expect(
      (await submit(qa2, { 'bot-intent': 'yes', 'handoff-context': 'yes', 'agent-verify': 'yes', 'agent-tone': 5 }))
        .status,
    ).toBe(409);
    // Submitted: qa2 sees everything now, while qa3 is still blind.
    const seen = await json<EvaluationList>(call(qa2, 'GET', '/api/qa/evaluations?contactId=c1'), 200);
    expect(seen.hidden).toBe(0);
    expect(seen.evaluations).toHaveLength(2);
    expect((await json<EvaluationList>(call(qa3, 'GET', '/api/qa/evaluations?contactId=c1'), 200)).hidden).toBe(2);
    await json(
      submit(qa3, { 'bot-intent': 'no', 'handoff-context': 'yes', 'agent-verify': 'yes', 'agent-tone': 2 }),
      201,
    );

    const done = (
      await json<{ calibration: CalibrationView }>(call(qa3, 'GET', `/api/qa/calibrations/${session.id}`), 200)
    ).calibration;
    expect(done.open).toBe(false);
    expect(done.submitted).toEqual([qa2.username, qa3.username].sort());
    expect(done.spread!.questions).toEqual([
      { id: 'bot-intent', kind: 'yesno', answered: 2, na: 0, yes: 1, no: 1, agreement: 50 },
      { id: 'handoff-context', kind: 'yesno', answered: 2, na: 0, yes: 2, no: 0, agreement: 100 },
      { id: 'agent-verify', kind: 'yesno', answered: 2, na: 0, yes: 2, no: 0, agreement: 100 },
      { id: 'agent-tone', kind: 'scale', answered: 2, na: 0, min: 2, max: 5, mean: 3.5, sd: 1.5, agreement: 50 },
    ]);
    // Version 2 weighs the bot section 5: qa2 100; qa3 (5 * 50 + 2 * (1 + 2 * 0.25) / 3) / 7 = 50.
    expect(done.spread!.overall).toEqual({ min: 50, max: 100, mean: 75, sd: 25 });
    // Calibration exercises do not change the rollups.
    const agents = await json<RollupView>(
      call(qa1, 'GET', `/api/qa/scores?by=agent&from=${day0 - HOUR}&to=${day0 + 12 * HOUR}`),
      200,
    );
    expect(agents.rows.find((r) => r.key === 'a1')!.count).toBe(1);
  });
  it('archives a scorecard in use instead of deleting it: its scores stay, new evaluations are refused', async () => {
    expect(await json(call(admin, 'DELETE', `/api/qa/scorecards/${card.id}`), 200)).toEqual({ archived: true });
    const listed = await json<{ scorecards: ScorecardView[] }>(call(qa1, 'GET', '/api/qa/scorecards'), 200);
    expect(listed.scorecards.map((s) => s.id)).not.toContain(card.id);
    const all = await json<{ scorecards: ScorecardView[] }>(call(qa1, 'GET', '/api/qa/scorecards?archived=1'), 200);
    expect(all.scorecards.find((s) => s.id === card.id)).toMatchObject({ archived: true, version: 2 });
    const refused = await details(
      call(qa3, 'POST', '/api/qa/evaluations', {
        scorecardId: card.id,
        contactId: 'c2',
        answers: { 'bot-intent': 'yes', 'handoff-context': 'na', 'agent-verify': 'na', 'agent-tone': 'na' },
      }),
      409,
    );
    expect(refused.details).toEqual([expect.objectContaining({ path: 'scorecardId' })]);
    expect((await call(admin, 'PUT', `/api/qa/scorecards/${card.id}`, CARD)).status).toBe(409);
    const kept = await json<EvaluationList>(call(qa1, 'GET', '/api/qa/evaluations?contactId=c1'), 200);
    expect(kept.evaluations.find((e) => e.id === first.id)!.scores.overall).toBe(72.2);
    const actions = (await tandem.auth.audit.list({}))
      .filter((e) => e.target === `scorecard:${card.id}`)
      .map((e) => e.action);
    expect(actions.sort()).toEqual(['scorecard.archive', 'scorecard.create', 'scorecard.update']);
  });
});
