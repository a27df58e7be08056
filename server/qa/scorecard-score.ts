/**
 * Scorecard maths, pure so that the server stores and the evaluation form previews the same numbers
 * (docs/qa.md, "Scorecards"). A question is worth its weight times its value (yes 1, no 0, a scale's v of
 * max (v - 1) / (max - 1)); N/A takes it out of both what was earned and what was possible. Sections score
 * earned / possible and the overall weighs sections by their weight, leaving out sections where nothing
 * applied. Each part (bot, agent, hand-off) is scored with the same effective question weights the overall
 * uses, so a scorecard that judges one part only gives that part the overall's score. A critical question
 * answered no, or at a scale's lowest value, fails the evaluation: overall 0 and its part 0.
 */
import {
  PARTS,
  type Answer,
  type Answers,
  type Part,
  type QuestionSpec,
  type ScorecardSpec,
  type Scores,
} from '../contract/scorecards.ts';

/** A question's value 0..1 for an answer, or null when it does not count (N/A, or not answered yet). */
export function answerValue(q: QuestionSpec, a: Answer | undefined): number | null {
  if (a === undefined || a === 'na') return null;
  if (q.kind === 'yesno') return a === 'yes' ? 1 : a === 'no' ? 0 : null;
  if (typeof a !== 'number' || !q.scaleMax || a < 1 || a > q.scaleMax) return null;
  return (a - 1) / (q.scaleMax - 1);
}

/** Whether this answer fails a critical question: no, or the lowest value of a scale. N/A never does. */
export function failsCritical(q: QuestionSpec, a: Answer | undefined): boolean {
  return q.critical && (q.kind === 'yesno' ? a === 'no' : a === 1);
}

/** 0..1 to 0-100 with one decimal: finer than any reviewer's judgement, coarse enough to read. */
export const toPercent = (share: number): number => Math.round(share * 1000) / 10;

/**
 * Scores an evaluation. Answers may be incomplete (the form previews while the reviewer works): an
 * unanswered question counts like N/A here; the server refuses incomplete answers before scoring.
 */
export function scoreEvaluation(spec: ScorecardSpec, answers: Answers): Scores {
  const earned: Record<Part, number> = { bot: 0, agent: 0, handoff: 0 };
  const possible: Record<Part, number> = { bot: 0, agent: 0, handoff: 0 };
  const failedParts = new Set<Part>();
  const failedCritical: string[] = [];
  const sections: (number | null)[] = [];
  let overallEarned = 0;
  let overallPossible = 0;

  for (const section of spec.sections) {
    const counted = section.questions
      .map((q) => ({ q, v: answerValue(q, answers[q.id]) }))
      .filter((x): x is { q: QuestionSpec; v: number } => x.v !== null);
    for (const q of section.questions) {
      if (failsCritical(q, answers[q.id])) {
        failedCritical.push(q.id);
        failedParts.add(q.part);
      }
    }
    const sectionPossible = counted.reduce((n, { q }) => n + q.weight, 0);
    if (sectionPossible === 0) {
      sections.push(null);
      continue;
    }
    const sectionEarned = counted.reduce((n, { q, v }) => n + q.weight * v, 0);
    sections.push(toPercent(sectionEarned / sectionPossible));
    overallEarned += section.weight * (sectionEarned / sectionPossible);
    overallPossible += section.weight;
    // Each counted question's share of the overall: its section's weight split by question weight.
    for (const { q, v } of counted) {
      const effective = (section.weight * q.weight) / sectionPossible;
      earned[q.part] += effective * v;
      possible[q.part] += effective;
    }
  }

  const part = (p: Part): number | null => {
    if (failedParts.has(p)) return 0;
    return possible[p] > 0 ? toPercent(earned[p] / possible[p]) : null;
  };
  const [bot, agent, handoff] = PARTS.map(part) as [number | null, number | null, number | null];
  const overall =
    failedCritical.length > 0 ? 0 : overallPossible > 0 ? toPercent(overallEarned / overallPossible) : null;
  return { overall, bot, agent, handoff, failedCritical, sections };
}
