import { describe, expect, it } from 'vitest';
import { scorecardSpec, type Answers } from '../contract/scorecards.ts';
import { calibrationSpread, spreadOf } from './calibration-spread.ts';
import { scoreEvaluation } from './scorecard-score.ts';

const SPEC = scorecardSpec.parse({
  name: 'Calib',
  sections: [
    {
      title: 'All',
      questions: [
        { id: 'greet', text: 'Greets', kind: 'yesno', part: 'bot', allowNa: true },
        { id: 'tone', text: 'Tone', kind: 'scale', scaleMax: 5, part: 'agent', allowNa: true },
      ],
    },
  ],
});
const evaluation = (answers: Answers) => ({ answers, scores: scoreEvaluation(SPEC, answers) });

describe('spreadOf', () => {
  it('gives min, max, mean and the population standard deviation', () => {
    expect(spreadOf([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ min: 2, max: 9, mean: 5, sd: 2 });
    expect(spreadOf([3])).toEqual({ min: 3, max: 3, mean: 3, sd: 0 });
    expect(spreadOf([])).toEqual({ min: null, max: null, mean: null, sd: null });
  });
});

describe('calibrationSpread', () => {
  it('shows agreement per yes/no question and the spread of scale values, N/A counted apart', () => {
    const spread = calibrationSpread(SPEC, [
      evaluation({ greet: 'yes', tone: 5 }),
      evaluation({ greet: 'yes', tone: 3 }),
      evaluation({ greet: 'no', tone: 'na' }),
      evaluation({ greet: 'na', tone: 4 }),
    ]);
    expect(spread.reviewers).toBe(4);
    expect(spread.questions).toEqual([
      { id: 'greet', kind: 'yesno', answered: 4, na: 1, yes: 2, no: 1, agreement: 50 },
      // 5, 3, 4: mean 4, sd sqrt(2/3) = 0.816...
      { id: 'tone', kind: 'scale', answered: 4, na: 1, min: 3, max: 5, mean: 4, sd: 0.82, agreement: 25 },
    ]);
    // Overall scores: (1 + 1)/2 = 100, (1 + 0.5)/2 = 75, greet no and tone N/A = 0, greet N/A and tone 4 = 75.
    expect(spread.overall).toEqual({ min: 0, max: 100, mean: 62.5, sd: Math.round(Math.sqrt(1406.25) * 100) / 100 });
    expect(spread.bot).toEqual({ min: 0, max: 100, mean: 66.67, sd: 47.14 });
    expect(spread.handoff).toEqual({ min: null, max: null, mean: null, sd: null });
  });

  it('is unanimous when everyone agrees', () => {
    const spread = calibrationSpread(SPEC, [
      evaluation({ greet: 'no', tone: 2 }),
      evaluation({ greet: 'no', tone: 2 }),
    ]);
    expect(spread.questions.map((q) => q.agreement)).toEqual([100, 100]);
    expect(spread.overall.sd).toBe(0);
  });
});
