/**
 * Which kinds of personal data are redacted at ingest: every kind until an admin chooses otherwise.
 * Kept in memory for the ingest path (asked per batch) and in DuckDB for restarts; each change audited.
 */
import type { Origin } from '../auth/admin.ts';
import type { AuditLog } from '../auth/audit.ts';
import { REDACTION_KINDS, redactionSettings, type RedactionKind, type RedactionSettingsView } from '../contract/qa.ts';
import type { Database } from '../db/duckdb.ts';

const KEY = 'redaction';
type Row = { value: string; updated_ms: number; updated_by: string };

export class RedactionSettings {
  #view: RedactionSettingsView = { kinds: [...REDACTION_KINDS], updatedAt: null, updatedBy: null };

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  async load(): Promise<this> {
    const [row] = await this.db.query<Row>('SELECT value, updated_ms, updated_by FROM qa_settings WHERE key = ?', [
      KEY,
    ]);
    if (row) {
      // A value this version cannot read keeps the safe default: redact everything.
      const parsed = redactionSettings.safeParse(JSON.parse(row.value));
      if (parsed.success) this.#view = { ...parsed.data, updatedAt: row.updated_ms, updatedBy: row.updated_by };
    }
    return this;
  }

  get view(): RedactionSettingsView {
    return this.#view;
  }

  /** The kinds in force: what ingest applies to the next batch. */
  get kinds(): readonly RedactionKind[] {
    return this.#view.kinds;
  }

  async save(o: Origin, kinds: RedactionKind[]): Promise<RedactionSettingsView> {
    const before = this.#view.kinds;
    const at = this.clock();
    const by = o.actor.name ?? o.actor.kind;
    await this.db.write((tx) =>
      tx.query('INSERT OR REPLACE INTO qa_settings (key, value, updated_ms, updated_by) VALUES (?, ?, ?, ?)', [
        KEY,
        JSON.stringify({ kinds }),
        at,
        by,
      ]),
    );
    this.#view = { kinds, updatedAt: at, updatedBy: by };
    await this.audit.append({
      actor: o.actor,
      action: 'settings.redaction',
      target: 'redaction',
      detail: {
        kinds,
        added: kinds.filter((k) => !before.includes(k)),
        removed: before.filter((k) => !kinds.includes(k)),
      },
      ip: o.ip ?? null,
    });
    return this.#view;
  }
}
