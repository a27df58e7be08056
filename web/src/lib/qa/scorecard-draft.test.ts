import { describe, expect, it } from 'vitest';
import { scorecardSpec, type ScorecardView } from '$contract/scorecards.ts';
import { errorsAt, ScorecardDraft } from './scorecard-draft.svelte.ts';

describe('ScorecardDraft', () => {
  it('starts with one section of one question, and numbers new questions with free ids', () => {
    const d = ScorecardDraft.of(null);
    d.name = 'Support';
    d.sections[0]!.title = 'Opening';
    d.addQuestion(0);
    d.removeQuestion(0, 0);
    d.addSection();
    expect(d.sections.flatMap((s) => s.questions.map((q) => q.id))).toEqual(['q2', 'q1']);
    expect(d.questionCount).toBe(2);
  });

  it('sends scaleMax only for scale questions and reads a stored scorecard back as it was', () => {
    const d = ScorecardDraft.of(null);
    d.name = 'Support';
    d.sections[0]!.title = 'Opening';
    const q = d.sections[0]!.questions[0]!;
    q.text = 'Greets';
    q.scaleMax = 7;
    expect(d.spec().sections[0]!.questions[0]).not.toHaveProperty('scaleMax');
    q.kind = 'scale';
    q.part = 'bot';
    q.critical = true;
    const spec = scorecardSpec.parse(d.spec());
    expect(spec.sections[0]!.questions[0]).toMatchObject({ kind: 'scale', scaleMax: 7, part: 'bot', critical: true });
    const view: ScorecardView = {
      ...spec,
      id: 'sc_x',
      version: 3,
      archived: false,
      evaluations: 0,
      updatedAt: 0,
      updatedBy: 'a',
    };
    const again = ScorecardDraft.of(view);
    expect(again.version).toBe(3);
    expect(scorecardSpec.parse(again.spec())).toEqual(spec);
  });

  it('moves sections and questions within bounds', () => {
    const d = ScorecardDraft.of(null);
    d.addSection();
    d.sections[0]!.title = 'A';
    d.sections[1]!.title = 'B';
    d.moveSection(1, -1);
    d.moveSection(1, 1);
    expect(d.sections.map((s) => s.title)).toEqual(['B', 'A']);
  });
});

describe('errorsAt', () => {
  it("picks a row's own fields out of the server's paths", () => {
    const details = [
      { path: 'sections.1.questions.0.weight', message: 'must be more than 0' },
      { path: 'sections.1.questions.0.id', message: 'taken' },
      { path: 'sections.1.questions', message: 'a section needs at least one question' },
      { path: 'sections.1.title', message: 'must not be empty' },
      { path: 'sections.10.title', message: 'other row' },
    ];
    expect(errorsAt(details, 'sections.1.questions.0')).toEqual({ weight: 'must be more than 0', id: 'taken' });
    expect(errorsAt(details, 'sections.1')).toEqual({
      title: 'must not be empty',
      questions: 'a section needs at least one question',
    });
    expect(errorsAt(details, 'sections.1.questions')).toEqual({ '': 'a section needs at least one question' });
  });
});
