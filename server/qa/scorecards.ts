/**
 * Scorecards and the evaluations made with them, as QA keeps them. A scorecard is versioned: an edit adds a
 * version, and an evaluation stores the version it was scored with and the scores it got then, so editing a
 * scorecard never changes an old score. One that was used is archived rather than deleted. Every change and
 * every evaluation is audited.
 */
import type { Origin } from '../auth/admin.ts';
import type { AuditLog } from '../auth/audit.ts';
import { generateToken } from '../auth/tokens.ts';
import {
  checkAnswers,
  scorecardSpec,
  type Answers,
  type EvaluationInput,
  type EvaluationView,
  type ScorecardSpec,
  type ScorecardView,
  type Scores,
} from '../contract/scorecards.ts';
import type { Database, WriteTx } from '../db/duckdb.ts';
import { BadRequest, Conflict, NotFound } from '../http/errors.ts';
import { scoreEvaluation } from './scorecard-score.ts';

type VersionRow = {
  id: string;
  version: number;
  spec: string;
  created_ms: number;
  created_by: string;
  archived_ms: number | null;
  evaluations: number;
};
export type EvaluationRow = {
  id: string;
  contact_id: string;
  scorecard_id: string;
  scorecard_version: number;
  name: string;
  reviewer: string;
  created_at: number;
  answers: string;
  comment: string | null;
  detail: string;
  calibration_id: string | null;
};

const newScorecardId = () => `sc_${generateToken(10)}`;
const newEvaluationId = () => `ev_${generateToken(10)}`;

/** The scorecard as stored plus its head's state; `version` picks an older one. */
const VERSION_SQL = `SELECT v.id, v.version, v.spec, v.created_ms, v.created_by, s.archived_ms,
    (SELECT count(*) FROM qa_evaluations e WHERE e.scorecard_id = v.id) AS evaluations
  FROM scorecard_versions v JOIN scorecards s USING (id)`;

const EVALUATION_SQL = `SELECT e.*, v.name FROM qa_evaluations e
  JOIN scorecard_versions v ON v.id = e.scorecard_id AND v.version = e.scorecard_version`;

function viewOf(r: VersionRow): ScorecardView {
  return {
    ...scorecardSpec.parse(JSON.parse(r.spec)),
    id: r.id,
    version: r.version,
    archived: r.archived_ms !== null,
    evaluations: r.evaluations,
    updatedAt: r.created_ms,
    updatedBy: r.created_by,
  };
}

export function evaluationView(r: EvaluationRow): EvaluationView {
  return {
    id: r.id,
    contactId: r.contact_id,
    scorecardId: r.scorecard_id,
    scorecardVersion: r.scorecard_version,
    scorecardName: r.name,
    reviewer: r.reviewer,
    createdAt: r.created_at,
    answers: JSON.parse(r.answers) as Answers,
    comment: r.comment,
    calibrationId: r.calibration_id,
    scores: JSON.parse(r.detail) as Scores,
  };
}

export class Scorecards {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The latest version of each scorecard, by name; archived ones only when asked. */
  async list(includeArchived = false): Promise<ScorecardView[]> {
    const rows = await this.db.query<VersionRow>(
      `${VERSION_SQL} WHERE v.version = s.version ${includeArchived ? '' : 'AND s.archived_ms IS NULL'}
       ORDER BY lower(v.name), v.id`,
    );
    return rows.map(viewOf);
  }

  /** A scorecard's latest version, or the one given. */
  async get(id: string, version?: number): Promise<ScorecardView> {
    const [row] = await this.db.query<VersionRow>(
      `${VERSION_SQL} WHERE v.id = ? AND v.version = ${version === undefined ? 's.version' : '?'}`,
      version === undefined ? [id] : [id, version],
    );
    if (!row) throw new NotFound(`no scorecard with id ${id}${version === undefined ? '' : ` version ${version}`}`);
    return viewOf(row);
  }

  async create(o: Origin, spec: ScorecardSpec): Promise<ScorecardView> {
    const id = newScorecardId();
    await this.db.write(async (tx) => {
      await tx.query('INSERT INTO scorecards VALUES (?, 1, NULL, NULL)', [id]);
      await this.#insertVersion(tx, id, 1, spec, o);
    });
    await this.#audit(o, 'scorecard.create', id, { name: spec.name, version: 1 });
    return this.get(id);
  }

  /** Adds a version; evaluations already made keep theirs. An unchanged scorecard adds nothing. */
  async update(o: Origin, id: string, spec: ScorecardSpec): Promise<ScorecardView> {
    const current = await this.get(id);
    if (current.archived) throw new Conflict(`scorecard "${current.name}" is archived and cannot be changed`);
    if (JSON.stringify(specOf(current)) === JSON.stringify(spec)) return current;
    const version = current.version + 1;
    await this.db.write(async (tx) => {
      await this.#insertVersion(tx, id, version, spec, o);
      await tx.query('UPDATE scorecards SET version = ? WHERE id = ?', [version, id]);
    });
    await this.#audit(o, 'scorecard.update', id, { name: spec.name, version });
    return this.get(id);
  }

  /** Deletes a scorecard nobody used; one with evaluations is archived, so their scores keep their meaning. */
  async remove(o: Origin, id: string): Promise<{ archived: boolean }> {
    const current = await this.get(id);
    if (current.evaluations > 0) {
      if (!current.archived) {
        await this.db.write((tx) =>
          tx.query('UPDATE scorecards SET archived_ms = ?, archived_by = ? WHERE id = ?', [
            this.clock(),
            o.actor.name ?? o.actor.kind,
            id,
          ]),
        );
        await this.#audit(o, 'scorecard.archive', id, { name: current.name, evaluations: current.evaluations });
      }
      return { archived: true };
    }
    await this.db.write(async (tx) => {
      await tx.query('DELETE FROM qa_calibrations WHERE scorecard_id = ?', [id]);
      await tx.query('DELETE FROM scorecard_versions WHERE id = ?', [id]);
      await tx.query('DELETE FROM scorecards WHERE id = ?', [id]);
    });
    await this.#audit(o, 'scorecard.delete', id, { name: current.name });
    return { archived: false };
  }

  /**
   * Scores a contact and stores the evaluation. The contact must have events; answers must fit the
   * scorecard (every field error named); a reviewer evaluates a contact with a scorecard once outside
   * calibration, so rollups count each judgement once. Calibration rules are checked by the caller.
   */
  async evaluate(
    o: Origin,
    reviewer: string,
    input: EvaluationInput,
    calibration: { id: string; version: number } | null = null,
  ): Promise<EvaluationView> {
    const card = await this.get(input.scorecardId, calibration?.version);
    if (card.archived) {
      throw new Conflict(`scorecard "${card.name}" is archived: evaluate with a current one`, 'scorecardId');
    }
    await this.requireContact(input.contactId);
    const errors = checkAnswers(card, input.answers);
    if (errors.length > 0) {
      throw new BadRequest(`invalid answers: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
    }
    if (!calibration) {
      const [dup] = await this.db.query<{ id: string }>(
        `SELECT id FROM qa_evaluations WHERE contact_id = ? AND scorecard_id = ? AND reviewer = ?
           AND calibration_id IS NULL`,
        [input.contactId, card.id, reviewer],
      );
      if (dup) {
        throw new Conflict(
          `you already evaluated contact ${input.contactId} with "${card.name}" (evaluation ${dup.id})`,
          'contactId',
        );
      }
    }
    const scores = scoreEvaluation(card, input.answers);
    const id = newEvaluationId();
    // Answers in the scorecard's order, so stored JSON reads like the form.
    const answers = Object.fromEntries(
      card.sections.flatMap((s) => s.questions.map((q) => [q.id, input.answers[q.id]!] as const)),
    );
    await this.db.write((tx) =>
      tx.query('INSERT INTO qa_evaluations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        id,
        input.contactId,
        card.id,
        card.version,
        reviewer,
        this.clock(),
        JSON.stringify(answers),
        input.comment || null,
        scores.overall,
        scores.bot,
        scores.agent,
        scores.handoff,
        scores.failedCritical.length > 0,
        JSON.stringify(scores),
        calibration?.id ?? null,
      ]),
    );
    await this.#audit(o, 'qa.evaluate', id, {
      contactId: input.contactId,
      scorecard: card.id,
      version: card.version,
      score: scores.overall,
      calibration: calibration?.id ?? null,
    });
    const [row] = await this.db.query<EvaluationRow>(`${EVALUATION_SQL} WHERE e.id = ?`, [id]);
    return evaluationView(row!);
  }

  /** A contact's evaluations, newest first. */
  async evaluationsOf(contactId: string): Promise<EvaluationView[]> {
    const rows = await this.db.query<EvaluationRow>(
      `${EVALUATION_SQL} WHERE e.contact_id = ? ORDER BY e.created_at DESC, e.id`,
      [contactId],
    );
    return rows.map(evaluationView);
  }

  async evaluationsInCalibration(calibrationId: string): Promise<EvaluationView[]> {
    const rows = await this.db.query<EvaluationRow>(
      `${EVALUATION_SQL} WHERE e.calibration_id = ? ORDER BY e.created_at, e.id`,
      [calibrationId],
    );
    return rows.map(evaluationView);
  }

  async requireContact(contactId: string): Promise<void> {
    const rows = await this.db.query('SELECT 1 FROM events WHERE contact_id = ? LIMIT 1', [contactId]);
    if (rows.length === 0) throw new NotFound(`contactId: no events for contact ${contactId}`);
  }

  async #insertVersion(tx: WriteTx, id: string, version: number, spec: ScorecardSpec, o: Origin): Promise<void> {
    await tx.query('INSERT INTO scorecard_versions VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      version,
      spec.name,
      JSON.stringify(spec),
      this.clock(),
      o.actor.name ?? o.actor.kind,
    ]);
  }

  #audit(o: Origin, action: string, id: string, detail: unknown): Promise<void> {
    const target = `${id.startsWith('ev_') ? 'evaluation' : 'scorecard'}:${id}`;
    return this.audit.append({ actor: o.actor, action, target, detail, ip: o.ip ?? null });
  }
}

/** The spec part of a view, as the contract's output: what a version stores. */
export function specOf(v: ScorecardView): ScorecardSpec {
  const { id: _id, version: _v, archived: _a, evaluations: _e, updatedAt: _u, updatedBy: _by, ...spec } = v;
  return spec;
}
