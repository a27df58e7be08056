/**
 * How far calibration reviewers agree, pure: per question the share who gave the most common answer
 * (N/A is an answer too: one reviewer finding a question inapplicable is a disagreement worth seeing),
 * and for scale questions the range, mean and standard deviation of the values given; then the spread
 * of the overall and part scores. Population standard deviation: the reviewers are the whole panel,
 * not a sample of one.
 */
import type { Answers, QuestionSpread, ScorecardSpec, ScoreSpread, Scores, Spread } from '../contract/scorecards.ts';

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

export function spreadOf(values: readonly number[]): ScoreSpread {
  if (values.length === 0) return { min: null, max: null, mean: null, sd: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return {
    min: Math.min(...values),
    max: Math.max(...values),
    mean: round(mean, 2),
    sd: round(Math.sqrt(variance), 2),
  };
}

/** Share (0-100, one decimal) of `answers` equal to their most common value; null when there are none. */
function agreement(answers: readonly (string | number)[]): number | null {
  if (answers.length === 0) return null;
  const counts = new Map<string | number, number>();
  for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
  return round((Math.max(...counts.values()) / answers.length) * 100, 1);
}

export function calibrationSpread(
  spec: ScorecardSpec,
  evaluations: readonly { answers: Answers; scores: Scores }[],
): Spread {
  const questions: QuestionSpread[] = spec.sections.flatMap((s) =>
    s.questions.map((q): QuestionSpread => {
      const given = evaluations.map((e) => e.answers[q.id]).filter((a) => a !== undefined);
      const na = given.filter((a) => a === 'na').length;
      if (q.kind === 'yesno') {
        return {
          id: q.id,
          kind: 'yesno',
          answered: given.length,
          na,
          yes: given.filter((a) => a === 'yes').length,
          no: given.filter((a) => a === 'no').length,
          agreement: agreement(given),
        };
      }
      const values = given.filter((a): a is number => typeof a === 'number');
      return { id: q.id, kind: 'scale', answered: given.length, na, ...spreadOf(values), agreement: agreement(given) };
    }),
  );
  const of = (pick: (s: Scores) => number | null) =>
    spreadOf(evaluations.map((e) => pick(e.scores)).filter((v): v is number => v !== null));
  return {
    reviewers: evaluations.length,
    questions,
    overall: of((s) => s.overall),
    bot: of((s) => s.bot),
    agent: of((s) => s.agent),
    handoff: of((s) => s.handoff),
  };
}
