/**
 * Calibration sessions: several reviewers score the same contact with the same scorecard version, blind,
 * and then see how far they agree. Blind means a reviewer who has not submitted yet sees neither the
 * others' evaluations in the session nor anyone's evaluation of that contact elsewhere; the spread opens
 * to them once they have submitted. The session's owner and admins see it at any time, unless they are
 * themselves a reviewer still to submit.
 */
import type { Origin } from '../auth/admin.ts';
import type { AuditLog } from '../auth/audit.ts';
import { readList, writeList } from '../auth/json-list.ts';
import { generateToken } from '../auth/tokens.ts';
import type { Users } from '../auth/users.ts';
import { ROLE_CAPABILITIES } from '../contract/auth.ts';
import type {
  CalibrationInput,
  CalibrationView,
  EvaluationInput,
  EvaluationList,
  EvaluationView,
} from '../contract/scorecards.ts';
import type { Database } from '../db/duckdb.ts';
import { BadRequest, Conflict, Forbidden, NotFound } from '../http/errors.ts';
import { calibrationSpread } from './calibration-spread.ts';
import type { Scorecards } from './scorecards.ts';

/** Who is asking: their username, and whether they are an admin (who may see any session). */
export type Viewer = { username: string; admin: boolean };

type Row = {
  id: string;
  contact_id: string;
  scorecard_id: string;
  scorecard_version: number;
  owner: string;
  reviewers: string;
  created_ms: number;
};

const newCalibrationId = () => `cal_${generateToken(10)}`;

export class Calibrations {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly users: Users,
    private readonly scorecards: Scorecards,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(o: Origin, owner: string, input: CalibrationInput): Promise<CalibrationView> {
    const card = await this.scorecards.get(input.scorecardId);
    if (card.archived) throw new Conflict(`scorecard "${card.name}" is archived`, 'scorecardId');
    await this.scorecards.requireContact(input.contactId);
    for (const [i, name] of input.reviewers.entries()) {
      const user = await this.users.byUsername(name);
      const can = user && !user.disabled && user.roles.some((r) => ROLE_CAPABILITIES[r].includes('qa:evaluate'));
      if (!can) {
        const why = !user ? 'no such user' : user.disabled ? 'this account is disabled' : 'may not evaluate contacts';
        throw new BadRequest(`reviewers.${i}: ${name}: ${why}`, [
          { path: `reviewers.${i}`, message: `${name}: ${why}` },
        ]);
      }
    }
    const id = newCalibrationId();
    await this.db.write((tx) =>
      tx.query('INSERT INTO qa_calibrations VALUES (?, ?, ?, ?, ?, ?, ?)', [
        id,
        input.contactId,
        card.id,
        card.version,
        owner,
        writeList(input.reviewers),
        this.clock(),
      ]),
    );
    await this.audit.append({
      actor: o.actor,
      action: 'calibration.create',
      target: `calibration:${id}`,
      detail: { contactId: input.contactId, scorecard: card.id, version: card.version, reviewers: input.reviewers },
      ip: o.ip ?? null,
    });
    return this.get(id, { username: owner, admin: false });
  }

  /** A session as this viewer may see it; sessions they have no part in are not found, except for admins. */
  async get(id: string, viewer: Viewer): Promise<CalibrationView> {
    const [row] = await this.db.query<Row>('SELECT * FROM qa_calibrations WHERE id = ?', [id]);
    const reviewers = row ? readList(row.reviewers) : [];
    if (!row || !(viewer.admin || row.owner === viewer.username || reviewers.includes(viewer.username))) {
      throw new NotFound(`no calibration session with id ${id}`);
    }
    return this.#view(row, viewer);
  }

  /** The sessions a viewer owns or reviews in, open ones first, newest first. */
  async listFor(viewer: Viewer): Promise<CalibrationView[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM qa_calibrations WHERE owner = ? OR list_contains(from_json(reviewers, '["VARCHAR"]'), ?)
       ORDER BY created_ms DESC, id`,
      [viewer.username, viewer.username],
    );
    const views = await Promise.all(rows.map((r) => this.#view(r, viewer)));
    return views.sort((a, b) => Number(b.open) - Number(a.open));
  }

  /** A reviewer's evaluation in a session: once each, with the session's scorecard version and contact. */
  async submit(o: Origin, id: string, reviewer: string, input: EvaluationInput): Promise<EvaluationView> {
    const [row] = await this.db.query<Row>('SELECT * FROM qa_calibrations WHERE id = ?', [id]);
    if (!row) throw new NotFound(`calibrationId: no calibration session with id ${id}`);
    if (!readList(row.reviewers).includes(reviewer)) {
      throw new Forbidden(`you are not a reviewer in calibration session ${id}`);
    }
    if (input.contactId !== row.contact_id || input.scorecardId !== row.scorecard_id) {
      throw new BadRequest('this calibration session scores another contact or scorecard', [
        ...(input.contactId !== row.contact_id ? [{ path: 'contactId', message: `must be ${row.contact_id}` }] : []),
        ...(input.scorecardId !== row.scorecard_id
          ? [{ path: 'scorecardId', message: `must be ${row.scorecard_id}` }]
          : []),
      ]);
    }
    const done = await this.#submitted(id);
    if (done.includes(reviewer)) throw new Conflict(`you already submitted in calibration session ${id}`);
    return this.scorecards.evaluate(o, reviewer, input, { id, version: row.scorecard_version });
  }

  /**
   * A contact's evaluations as this viewer may see them: while they are a reviewer yet to submit in an
   * open session on it, only their own, and how many were kept back.
   */
  async visibleEvaluations(contactId: string, viewer: Viewer): Promise<EvaluationList> {
    const all = await this.scorecards.evaluationsOf(contactId);
    const rows = await this.db.query<Row>(
      `SELECT * FROM qa_calibrations WHERE contact_id = ? AND list_contains(from_json(reviewers, '["VARCHAR"]'), ?)`,
      [contactId, viewer.username],
    );
    let blind = false;
    for (const r of rows) {
      if (!(await this.#submitted(r.id)).includes(viewer.username)) blind = true;
    }
    if (!blind) return { evaluations: all, hidden: 0 };
    const own = all.filter((e) => e.reviewer === viewer.username);
    return { evaluations: own, hidden: all.length - own.length };
  }

  async #submitted(id: string): Promise<string[]> {
    const rows = await this.db.query<{ reviewer: string }>(
      'SELECT DISTINCT reviewer FROM qa_evaluations WHERE calibration_id = ? ORDER BY reviewer',
      [id],
    );
    return rows.map((r) => r.reviewer);
  }

  async #view(row: Row, viewer: Viewer): Promise<CalibrationView> {
    const reviewers = readList(row.reviewers);
    const evaluations = await this.scorecards.evaluationsInCalibration(row.id);
    const submitted = [...new Set(evaluations.map((e) => e.reviewer))].sort();
    const pending = reviewers.includes(viewer.username) && !submitted.includes(viewer.username);
    const sees = !pending && (submitted.includes(viewer.username) || row.owner === viewer.username || viewer.admin);
    const card = sees ? await this.scorecards.get(row.scorecard_id, row.scorecard_version) : null;
    return {
      id: row.id,
      contactId: row.contact_id,
      scorecardId: row.scorecard_id,
      scorecardVersion: row.scorecard_version,
      owner: row.owner,
      reviewers,
      submitted,
      createdAt: row.created_ms,
      open: reviewers.some((r) => !submitted.includes(r)),
      spread: card ? calibrationSpread(card, evaluations) : null,
      evaluations: card ? evaluations : null,
    };
  }
}
