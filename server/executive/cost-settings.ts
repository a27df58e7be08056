/**
 * What contacts cost: one row in DuckDB (summary_settings), kept in memory for the summary, each change
 * audited. The defaults stand until an admin saves some.
 */
import type { Origin } from '../auth/admin.ts';
import type { AuditLog } from '../auth/audit.ts';
import { costSettings, DEFAULT_COSTS, type CostSettings, type CostSettingsView } from '../contract/executive.ts';
import type { Database } from '../db/duckdb.ts';

type Row = { settings: string; updated_ms: number; updated_by: string };

export class CostSettingsStore {
  #view: CostSettingsView = { ...DEFAULT_COSTS, updatedAt: null, updatedBy: null };

  constructor(
    private readonly db: Database,
    private readonly audit: AuditLog,
    private readonly clock: () => number = Date.now,
  ) {}

  async load(): Promise<this> {
    const [row] = await this.db.query<Row>(
      'SELECT settings, updated_ms, updated_by FROM summary_settings WHERE id = 1',
    );
    if (row) {
      // A value this version cannot read keeps the defaults rather than stopping the server.
      const parsed = costSettings.safeParse(JSON.parse(row.settings));
      if (parsed.success) this.#view = { ...parsed.data, updatedAt: row.updated_ms, updatedBy: row.updated_by };
    }
    return this;
  }

  get view(): CostSettingsView {
    return this.#view;
  }

  get settings(): CostSettings {
    const { currency, botSessionCost, agentHourCost } = this.#view;
    return { currency, botSessionCost, agentHourCost };
  }

  async save(o: Origin, next: CostSettings): Promise<CostSettingsView> {
    const before = this.settings;
    const at = this.clock();
    const by = o.actor.name ?? o.actor.kind;
    await this.db.write((tx) =>
      tx.query('INSERT OR REPLACE INTO summary_settings (id, settings, updated_ms, updated_by) VALUES (1, ?, ?, ?)', [
        JSON.stringify(next),
        at,
        by,
      ]),
    );
    this.#view = { ...next, updatedAt: at, updatedBy: by };
    await this.audit.append({
      actor: o.actor,
      action: 'settings.costs',
      target: 'costs',
      detail: { before, after: next },
      ip: o.ip ?? null,
    });
    return this.#view;
  }
}
