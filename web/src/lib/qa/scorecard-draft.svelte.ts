/**
 * The scorecard builder's working copy: what the admin is typing, turned into the contract's input only on
 * save, so the server's validation (and its field paths, `sections.1.questions.0.weight`) is the one that
 * decides, and each message lands on the row it is about.
 */
import type { FieldError } from '$lib/api/api.ts';
import type { Part, QuestionKind, ScorecardInput, ScorecardView } from '$contract/scorecards.ts';

export type DraftQuestion = {
  key: number;
  id: string;
  text: string;
  kind: QuestionKind;
  scaleMax: number;
  allowNa: boolean;
  part: Part;
  weight: number;
  critical: boolean;
};
export type DraftSection = { key: number; title: string; weight: number; questions: DraftQuestion[] };

let nextKey = 0;

function moveItem<T>(list: T[], index: number, by: -1 | 1): void {
  const to = index + by;
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(index, 1);
  list.splice(to, 0, item!);
}

export class ScorecardDraft {
  id = $state<string | null>(null);
  version = $state<number | null>(null);
  name = $state('');
  description = $state('');
  sections = $state<DraftSection[]>([]);
  readonly questionCount = $derived(this.sections.reduce((n, s) => n + s.questions.length, 0));

  static of(card: ScorecardView | null): ScorecardDraft {
    const d = new ScorecardDraft();
    if (!card) {
      d.addSection();
      return d;
    }
    d.id = card.id;
    d.version = card.version;
    d.name = card.name;
    d.description = card.description ?? '';
    d.sections = card.sections.map((s) => ({
      key: nextKey++,
      title: s.title,
      weight: s.weight,
      questions: s.questions.map((q) => ({ ...q, key: nextKey++, scaleMax: q.scaleMax ?? 5 })),
    }));
    return d;
  }

  addSection(): void {
    this.sections.push({ key: nextKey++, title: '', weight: 1, questions: [] });
    this.addQuestion(this.sections.length - 1);
  }

  /** A new question gets the first free id q1, q2, …: ids must be unique and stay stable once used. */
  addQuestion(section: number): void {
    const used = this.sections.flatMap((s) => s.questions.map((q) => q.id));
    let n = 1;
    while (used.includes(`q${n}`)) n++;
    this.sections[section]!.questions.push({
      key: nextKey++,
      id: `q${n}`,
      text: '',
      kind: 'yesno',
      scaleMax: 5,
      allowNa: false,
      part: 'agent',
      weight: 1,
      critical: false,
    });
  }

  removeSection(i: number): void {
    this.sections.splice(i, 1);
  }
  removeQuestion(section: number, i: number): void {
    this.sections[section]!.questions.splice(i, 1);
  }
  moveSection(i: number, by: -1 | 1): void {
    moveItem(this.sections, i, by);
  }
  moveQuestion(section: number, i: number, by: -1 | 1): void {
    moveItem(this.sections[section]!.questions, i, by);
  }

  spec(): ScorecardInput {
    return {
      name: this.name,
      ...(this.description.trim() ? { description: this.description } : {}),
      sections: this.sections.map((s) => ({
        title: s.title,
        weight: Number(s.weight),
        questions: s.questions.map((q) => ({
          id: q.id,
          text: q.text,
          kind: q.kind,
          ...(q.kind === 'scale' ? { scaleMax: Number(q.scaleMax) } : {}),
          allowNa: q.allowNa,
          part: q.part,
          weight: Number(q.weight),
          critical: q.critical,
        })),
      })),
    };
  }
}

/**
 * The server's messages about one row, by the row's own field: `errorsAt(details, 'sections.1.questions.0')`
 * gives `{ weight: '…' }`; a message about the row as a whole (`sections.1.questions`) comes as `''`.
 */
export function errorsAt(details: readonly FieldError[], prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details) {
    if (d.path === prefix) out[''] ??= d.message;
    else if (d.path.startsWith(`${prefix}.`)) {
      const rest = d.path.slice(prefix.length + 1);
      if (!rest.includes('.')) out[rest] ??= d.message;
    }
  }
  return out;
}
