import { describe, expect, it } from 'vitest';
import { checkAnswers, scorecardSpec, type ScorecardInput } from '../contract/scorecards.ts';
import { answerValue, scoreEvaluation } from './scorecard-score.ts';

const card = (input: ScorecardInput) => scorecardSpec.parse(input);

/** Two sections: greeting (weight 1) and resolution (weight 3), one question per part and a scale. */
const SPEC = card({
  name: 'Support',
  sections: [
    {
      title: 'Greeting',
      weight: 1,
      questions: [
        { id: 'bot-greets', text: 'Bot greets', kind: 'yesno', part: 'bot', weight: 1 },
        { id: 'agent-name', text: 'Agent gives name', kind: 'yesno', part: 'agent', weight: 3, allowNa: true },
      ],
    },
    {
      title: 'Resolution',
      weight: 3,
      questions: [
        { id: 'context', text: 'Context handed over', kind: 'yesno', part: 'handoff', weight: 2, critical: true },
        { id: 'empathy', text: 'Empathy', kind: 'scale', scaleMax: 5, part: 'agent', weight: 2, allowNa: true },
        { id: 'solved', text: 'Solved', kind: 'yesno', part: 'agent', weight: 1, critical: true, allowNa: true },
      ],
    },
  ],
});

describe('scoreEvaluation', () => {
  it('values yes, no and scale answers', () => {
    const [scale] = SPEC.sections[1]!.questions.filter((q) => q.kind === 'scale');
    expect([1, 2, 3, 4, 5].map((v) => answerValue(scale!, v))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(answerValue(SPEC.sections[0]!.questions[0]!, 'yes')).toBe(1);
    expect(answerValue(SPEC.sections[0]!.questions[0]!, 'no')).toBe(0);
    expect(answerValue(SPEC.sections[0]!.questions[0]!, 'na')).toBeNull();
    expect(answerValue(scale!, 6)).toBeNull();
  });

  it('weighs questions within a section and sections within the overall', () => {
    const s = scoreEvaluation(SPEC, {
      'bot-greets': 'no',
      'agent-name': 'yes',
      context: 'yes',
      empathy: 4,
      solved: 'yes',
    });
    // Greeting: (0*1 + 1*3) / 4 = 0.75. Resolution: (2*1 + 2*0.75 + 1*1) / 5 = 0.9.
    expect(s.sections).toEqual([75, 90]);
    // Overall: (1*0.75 + 3*0.9) / 4 = 0.8625.
    expect(s.overall).toBe(86.3);
    expect(s.failedCritical).toEqual([]);
    // Effective weights: bot-greets 1/4, agent-name 3/4, context 3*2/5, empathy 3*2/5, solved 3*1/5.
    expect(s.bot).toBe(0);
    expect(s.handoff).toBe(100);
    // Agent: (0.75*1 + 1.2*0.75 + 0.6*1) / (0.75 + 1.2 + 0.6) = 2.25 / 2.55.
    expect(s.agent).toBe(Math.round((2.25 / 2.55) * 1000) / 10);
  });

  it('leaves N/A questions out of both earned and possible', () => {
    const all = { 'bot-greets': 'yes', 'agent-name': 'na', context: 'yes', empathy: 'na', solved: 'no' } as const;
    const s = scoreEvaluation(SPEC, all);
    // Greeting: only bot-greets counts → 100; Resolution: (2*1 + 1*0) / 3.
    expect(s.sections).toEqual([100, 66.7]);
    // "solved" is critical and answered no: the evaluation fails, and so does the agent part.
    expect(s.failedCritical).toEqual(['solved']);
    expect(s.overall).toBe(0);
    expect(s.agent).toBe(0);
    expect(s.bot).toBe(100);
    expect(s.handoff).toBe(100);
  });

  it('fails a critical scale question at its lowest value, not above it', () => {
    const spec = card({
      name: 'Scale',
      sections: [
        {
          title: 'Only',
          questions: [
            { id: 'tone', text: 'Tone', kind: 'scale', scaleMax: 3, part: 'bot', critical: true },
            { id: 'ask', text: 'Asked', kind: 'yesno', part: 'agent' },
          ],
        },
      ],
    });
    const low = scoreEvaluation(spec, { tone: 1, ask: 'yes' });
    expect(low).toMatchObject({ overall: 0, bot: 0, agent: 100, failedCritical: ['tone'] });
    const mid = scoreEvaluation(spec, { tone: 2, ask: 'yes' });
    expect(mid).toMatchObject({ overall: 75, bot: 50, agent: 100, failedCritical: [] });
  });

  it('does not fail a critical question answered N/A', () => {
    const s = scoreEvaluation(SPEC, {
      'bot-greets': 'yes',
      'agent-name': 'yes',
      context: 'yes',
      empathy: 5,
      solved: 'na',
    });
    expect(s.failedCritical).toEqual([]);
    expect(s.overall).toBe(100);
  });

  it('leaves a section where nothing applies out of the overall, and gives null where nothing applies at all', () => {
    const spec = card({
      name: 'NA',
      sections: [
        { title: 'A', weight: 5, questions: [{ id: 'a', text: 'A', kind: 'yesno', part: 'agent', allowNa: true }] },
        { title: 'B', weight: 1, questions: [{ id: 'b', text: 'B', kind: 'yesno', part: 'bot', allowNa: true }] },
      ],
    });
    const one = scoreEvaluation(spec, { a: 'na', b: 'no' });
    expect(one).toMatchObject({ sections: [null, 0], overall: 0, bot: 0, agent: null, handoff: null });
    expect(one.failedCritical).toEqual([]);
    const none = scoreEvaluation(spec, { a: 'na', b: 'na' });
    expect(none).toMatchObject({ sections: [null, null], overall: null, bot: null, agent: null, handoff: null });
  });

  it('gives a one-part scorecard the same part score as overall', () => {
    const spec = card({
      name: 'Agent only',
      sections: [
        {
          title: 'A',
          weight: 2,
          questions: [
            { id: 'a1', text: 'a1', kind: 'yesno', part: 'agent', weight: 3 },
            { id: 'a2', text: 'a2', kind: 'scale', scaleMax: 10, part: 'agent' },
          ],
        },
        { title: 'B', weight: 0.5, questions: [{ id: 'b1', text: 'b1', kind: 'yesno', part: 'agent' }] },
      ],
    });
    const s = scoreEvaluation(spec, { a1: 'yes', a2: 7, b1: 'no' });
    // A: (3 + 6/9) / 4; overall (2*A + 0.5*0) / 2.5.
    expect(s.overall).toBe(Math.round(((2 * (3 + 6 / 9)) / 4 / 2.5) * 1000) / 10);
    expect(s.agent).toBe(s.overall);
  });

  it('previews incomplete answers as if the rest were N/A', () => {
    expect(scoreEvaluation(SPEC, { 'bot-greets': 'yes' })).toMatchObject({
      overall: 100,
      bot: 100,
      agent: null,
      handoff: null,
      sections: [100, null],
    });
  });
});

describe('checkAnswers', () => {
  it('names every question that is missing, wrong for its kind, out of range or N/A where not allowed', () => {
    const errors = checkAnswers(SPEC, {
      'bot-greets': 'na',
      'agent-name': 3,
      empathy: 6,
      solved: 'yes',
      extra: 'yes',
    });
    expect(errors).toEqual([
      { path: 'answers.bot-greets', message: 'cannot be N/A: this question always applies' },
      { path: 'answers.agent-name', message: 'must be yes, no or na' },
      { path: 'answers.context', message: 'is not answered' },
      { path: 'answers.empathy', message: 'must be a whole number from 1 to 5 or na' },
      { path: 'answers.extra', message: 'is not a question of this scorecard' },
    ]);
  });

  it('accepts a complete, valid set', () => {
    expect(
      checkAnswers(SPEC, { 'bot-greets': 'yes', 'agent-name': 'na', context: 'no', empathy: 1, solved: 'na' }),
    ).toEqual([]);
  });
});

describe('scorecardSpec', () => {
  const issues = (input: unknown) => {
    const r = scorecardSpec.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  const q = (over: object = {}) => ({ id: 'q1', text: 'Q', kind: 'yesno', part: 'agent', ...over });

  it('refuses duplicate question ids, naming the second and the first', () => {
    expect(
      issues({
        name: 'x',
        sections: [
          { title: 'a', questions: [q()] },
          { title: 'b', questions: [q({ id: 'Q1' })] },
        ],
      }),
    ).toEqual(['sections.1.questions.0.id: "q1" is already the id of question 1.1']);
  });

  it('refuses weights of 0 or less, scale questions without a top and yes/no questions with one', () => {
    expect(
      issues({
        name: 'x',
        sections: [
          {
            title: 'a',
            weight: 0,
            questions: [q({ weight: -1 }), q({ id: 'q2', kind: 'scale' }), q({ id: 'q3', scaleMax: 5 })],
          },
        ],
      }),
    ).toEqual([
      'sections.0.weight: must be more than 0',
      'sections.0.questions.0.weight: must be more than 0',
      'sections.0.questions.1.scaleMax: a scale question needs its top value (2 to 10)',
      'sections.0.questions.2.scaleMax: only scale questions have a top value',
    ]);
    expect(issues({ name: 'x', sections: [{ title: 'a', questions: [q({ kind: 'scale', scaleMax: 11 })] }] })).toEqual([
      'sections.0.questions.0.scaleMax: must be at most 10',
    ]);
  });

  it('refuses empty scorecards and sections', () => {
    expect(issues({ name: ' ', sections: [] })).toEqual([
      'name: must not be empty',
      'sections: a scorecard needs at least one section',
    ]);
    expect(issues({ name: 'x', sections: [{ title: 'a', questions: [] }] })).toEqual([
      'sections.0.questions: a section needs at least one question',
    ]);
  });
});
