/**
 * The scorecard contract: weighted scorecards that admins build (sections of yes/no and scale questions,
 * each judging the bot, the agent or the hand-off between them), evaluations of a contact against one,
 * score rollups and calibration sessions. Server and web both import it; the maths is in
 * server/qa/scorecard-score.ts and docs/qa.md ("Scorecards").
 */
import { z } from 'zod';
import { username } from './auth.ts';
import type { FieldError } from './events.ts';

/** Which part of a contact a question judges: every evaluation scores each part on its own. */
export const PARTS = ['bot', 'agent', 'handoff'] as const;
export type Part = (typeof PARTS)[number];
export const QUESTION_KINDS = ['yesno', 'scale'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const SCORECARD_LIMITS = {
  sections: 20,
  questionsPerSection: 50,
  questions: 200,
  weight: 100,
  scaleMin: 2,
  scaleMax: 10,
  text: 500,
  comment: 4000,
  reviewers: 20,
} as const;

const name = z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters');
const weight = z
  .number('must be a number')
  .gt(0, 'must be more than 0')
  .max(SCORECARD_LIMITS.weight, `must be at most ${SCORECARD_LIMITS.weight}`);

/** Stable within a scorecard and across its versions: answers are keyed by it. */
export const QUESTION_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export const questionSpec = z
  .strictObject({
    id: z
      .string()
      .trim()
      .toLowerCase()
      .regex(QUESTION_ID, '1 to 40 characters: letters, digits, _ and -, starting with a letter or digit'),
    text: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(SCORECARD_LIMITS.text, `at most ${SCORECARD_LIMITS.text} characters`),
    kind: z.enum(QUESTION_KINDS),
    /** The top of a scale question's 1..scaleMax; only for scale questions. */
    scaleMax: z
      .number('must be a number')
      .int('must be a whole number')
      .min(SCORECARD_LIMITS.scaleMin, `must be at least ${SCORECARD_LIMITS.scaleMin}`)
      .max(SCORECARD_LIMITS.scaleMax, `must be at most ${SCORECARD_LIMITS.scaleMax}`)
      .optional(),
    allowNa: z.boolean().default(false),
    part: z.enum(PARTS),
    weight: weight.default(1),
    /** Answered "no" (or a scale's lowest value), it fails the whole evaluation. */
    critical: z.boolean().default(false),
  })
  .superRefine((q, ctx) => {
    if (q.kind === 'scale' && q.scaleMax === undefined) {
      ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: 'a scale question needs its top value (2 to 10)' });
    }
    if (q.kind === 'yesno' && q.scaleMax !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['scaleMax'], message: 'only scale questions have a top value' });
    }
  });
export type QuestionSpec = z.output<typeof questionSpec>;

export const sectionSpec = z.strictObject({
  title: name,
  weight: weight.default(1),
  questions: z
    .array(questionSpec)
    .min(1, 'a section needs at least one question')
    .max(SCORECARD_LIMITS.questionsPerSection, `at most ${SCORECARD_LIMITS.questionsPerSection} questions`),
});
export type SectionSpec = z.output<typeof sectionSpec>;

export const scorecardSpec = z
  .strictObject({
    name,
    description: z.string().trim().max(1000, 'at most 1000 characters').optional(),
    sections: z
      .array(sectionSpec)
      .min(1, 'a scorecard needs at least one section')
      .max(SCORECARD_LIMITS.sections, `at most ${SCORECARD_LIMITS.sections} sections`),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, string>();
    let total = 0;
    s.sections.forEach((section, i) =>
      section.questions.forEach((q, j) => {
        total++;
        const first = seen.get(q.id);
        if (first) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', i, 'questions', j, 'id'],
            message: `"${q.id}" is already the id of question ${first}`,
          });
        } else seen.set(q.id, `${i + 1}.${j + 1}`);
      }),
    );
    if (total > SCORECARD_LIMITS.questions) {
      ctx.addIssue({
        code: 'custom',
        path: ['sections'],
        message: `${total} questions; a scorecard holds at most ${SCORECARD_LIMITS.questions}`,
      });
    }
  });
export type ScorecardSpec = z.output<typeof scorecardSpec>;
export type ScorecardInput = z.input<typeof scorecardSpec>;

/** A stored scorecard: its latest version, or the version an evaluation was scored with. */
export type ScorecardView = ScorecardSpec & {
  id: string;
  version: number;
  archived: boolean;
  /** How many evaluations used any version of it. */
  evaluations: number;
  updatedAt: number;
  updatedBy: string;
};

/** GET /api/qa/scorecards */
export type ScorecardList = { scorecards: ScorecardView[] };

/** One answer: yes, no, not applicable, or a scale value 1..scaleMax. */
export const answer = z.union([
  z.enum(['yes', 'no', 'na']),
  z.number('must be yes, no, na or a number').int('must be a whole number'),
]);
export type Answer = z.output<typeof answer>;
export type Answers = Record<string, Answer>;

export const SCORECARD_ID = /^sc_[a-z2-7]{10,40}$/;
const contactId = z.string().trim().min(1, 'must not be empty').max(256, 'at most 256 characters');

export const evaluationInput = z.strictObject({
  scorecardId: z.string().regex(SCORECARD_ID, 'must be a scorecard id (sc_…)'),
  contactId,
  answers: z.record(z.string().max(40), answer),
  comment: z.string().trim().max(SCORECARD_LIMITS.comment, `at most ${SCORECARD_LIMITS.comment} characters`).optional(),
  calibrationId: z.string().max(64).optional(),
});
export type EvaluationInput = z.output<typeof evaluationInput>;

/**
 * Checks answers against the scorecard they answer: every question answered, each with a value its
 * kind takes, N/A only where allowed, nothing extra. Paths are `answers.<questionId>`.
 */
export function checkAnswers(spec: ScorecardSpec, answers: Answers): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set<string>();
  for (const section of spec.sections) {
    for (const q of section.questions) {
      known.add(q.id);
      const path = `answers.${q.id}`;
      const a = answers[q.id];
      if (a === undefined) errors.push({ path, message: 'is not answered' });
      else if (a === 'na') {
        if (!q.allowNa) errors.push({ path, message: 'cannot be N/A: this question always applies' });
      } else if (q.kind === 'yesno') {
        if (typeof a === 'number') errors.push({ path, message: 'must be yes, no' + (q.allowNa ? ' or na' : '') });
      } else if (typeof a !== 'number' || a < 1 || a > (q.scaleMax ?? 0)) {
        errors.push({ path, message: `must be a whole number from 1 to ${q.scaleMax}` + (q.allowNa ? ' or na' : '') });
      }
    }
  }
  for (const id of Object.keys(answers)) {
    if (!known.has(id)) errors.push({ path: `answers.${id}`, message: 'is not a question of this scorecard' });
  }
  return errors;
}

/** Every evaluation's outcome: overall and per part, 0-100, null where nothing applied. */
export type Scores = {
  overall: number | null;
  bot: number | null;
  agent: number | null;
  handoff: number | null;
  /** Ids of critical questions that failed; any one makes overall 0. */
  failedCritical: string[];
  /** Per section, in the scorecard's order (null: every question N/A). */
  sections: (number | null)[];
};

export type EvaluationView = {
  id: string;
  contactId: string;
  scorecardId: string;
  scorecardVersion: number;
  scorecardName: string;
  reviewer: string;
  createdAt: number;
  answers: Answers;
  comment: string | null;
  calibrationId: string | null;
  scores: Scores;
};

/** GET /api/qa/evaluations?contactId= ; `hidden` counts others' evaluations kept back by a blind calibration. */
export type EvaluationList = { evaluations: EvaluationView[]; hidden: number };

export const ROLLUP_BY = ['agent', 'bot', 'queue', 'day'] as const;
export type RollupBy = (typeof ROLLUP_BY)[number];

export type RollupRow = {
  /** The agent, bot or queue id, or the day (YYYY-MM-DD in the center's zone); null: not known. */
  key: string | null;
  count: number;
  overall: number | null;
  bot: number | null;
  agent: number | null;
  handoff: number | null;
  /** Share of evaluations that failed a critical question, 0-100. */
  criticalFailRate: number;
};
export type RollupView = {
  by: RollupBy;
  range: { from: string; to: string };
  timeZone: string;
  scorecardId: string | null;
  rows: RollupRow[];
};

export const calibrationInput = z.strictObject({
  contactId,
  scorecardId: z.string().regex(SCORECARD_ID, 'must be a scorecard id (sc_…)'),
  reviewers: z
    .array(username)
    .min(2, 'a calibration needs at least two reviewers')
    .max(SCORECARD_LIMITS.reviewers, `at most ${SCORECARD_LIMITS.reviewers} reviewers`)
    .transform((list) => [...new Set(list)].sort())
    .refine((list) => list.length >= 2, 'name at least two different reviewers'),
});
export type CalibrationInput = z.output<typeof calibrationInput>;

/** How far reviewers agree on one question. */
export type QuestionSpread =
  | {
      id: string;
      kind: 'yesno';
      answered: number;
      na: number;
      yes: number;
      no: number;
      /** Share of reviewers (N/A counted as an answer) who gave the most common answer, 0-100. */
      agreement: number | null;
    }
  | {
      id: string;
      kind: 'scale';
      answered: number;
      na: number;
      min: number | null;
      max: number | null;
      mean: number | null;
      /** Population standard deviation of the values given (N/A left out). */
      sd: number | null;
      /** Share who gave the most common answer (N/A counted as an answer), 0-100. */
      agreement: number | null;
    };
export type ScoreSpread = { min: number | null; max: number | null; mean: number | null; sd: number | null };
export type Spread = {
  reviewers: number;
  questions: QuestionSpread[];
  overall: ScoreSpread;
  bot: ScoreSpread;
  agent: ScoreSpread;
  handoff: ScoreSpread;
};

export type CalibrationView = {
  id: string;
  contactId: string;
  scorecardId: string;
  scorecardVersion: number;
  owner: string;
  reviewers: string[];
  /** Who has submitted so far. */
  submitted: string[];
  createdAt: number;
  /** Open until every reviewer has submitted. */
  open: boolean;
  /** Shown only to reviewers who have submitted, the owner and admins. */
  spread: Spread | null;
  evaluations: EvaluationView[] | null;
};
export type CalibrationList = { calibrations: CalibrationView[] };
