/** Reads and writes the admin's KPI settings (table kpi_settings); the environment supplies the first defaults. */
import {
  DEFAULT_TARGETS,
  defaultSettingsSchema,
  queueSettingsSchema,
  targetsSchema,
  type KpiSettingsView,
  type Targets,
} from '../contract/kpi-settings.ts';
import type { QueueKpiSettings } from '../contract/kpis.ts';
import type { Database } from '../db/duckdb.ts';

type Row = { scope: string; settings: string; targets: string };
const DEFAULTS = '*';

function parse<T>(text: string, schema: { safeParse(v: unknown): { success: boolean; data?: T } }, fallback: T): T {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? (r.data as T) : fallback;
  } catch {
    return fallback;
  }
}

export class KpiSettingsStore {
  constructor(
    private readonly db: Database,
    private readonly envDefaults: QueueKpiSettings & { timeZone: string },
  ) {}

  async load(): Promise<KpiSettingsView> {
    const rows = await this.db.query<Row>('SELECT scope, settings, targets FROM kpi_settings ORDER BY scope');
    const view: KpiSettingsView = { defaults: { ...this.envDefaults, targets: DEFAULT_TARGETS }, queues: {} };
    for (const r of rows) {
      const settings = parse(r.settings, r.scope === DEFAULTS ? defaultSettingsSchema : queueSettingsSchema, {});
      const targets = parse<Targets>(r.targets, targetsSchema, {});
      if (r.scope === DEFAULTS)
        // Saved default targets replace the starting ones, so an admin can remove any of them.
        view.defaults = { ...view.defaults, ...settings, targets };
      else view.queues[r.scope] = { settings, targets };
    }
    return view;
  }

  /** Saves the settings of one scope (`null` = the defaults); replaces what was there. */
  async save(
    queue: string | null,
    settings: Partial<QueueKpiSettings> & { fcrHorizonDays?: number; timeZone?: string },
    targets: Targets,
    by: string,
  ): Promise<void> {
    const scope = queue ?? DEFAULTS;
    await this.db.write((tx) =>
      tx.query('INSERT OR REPLACE INTO kpi_settings VALUES (?, ?, ?, ?, ?)', [
        scope,
        JSON.stringify(settings),
        JSON.stringify(targets),
        Date.now(),
        by,
      ]),
    );
  }

  async remove(queue: string): Promise<boolean> {
    const rows = await this.db.write((tx) =>
      tx.query('DELETE FROM kpi_settings WHERE scope = ? RETURNING scope', [queue]),
    );
    return rows.length > 0;
  }
}
