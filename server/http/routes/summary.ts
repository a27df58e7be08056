/**
 * The executive summary: GET /api/summary (the page's data), its data as CSV or Parquet written by
 * DuckDB, and the cost settings it prices contacts with (read by summary readers, saved by admins).
 */
import { Hono, type Context } from 'hono';
import { actorOf, scopeOf } from '../../auth/principal.ts';
import { costSettings, summaryQuery } from '../../contract/executive.ts';
import { toKpiSettings } from '../../contract/kpi-settings.ts';
import { executiveSummary } from '../../executive/executive-summary.ts';
import { EXPORT_COLUMNS, EXPORT_SELECT, exportRows } from '../../executive/summary-export.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody, queryOf } from '../validate.ts';

export function summaryRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const summarise = (c: Context<AppEnv>) => {
    const q = queryOf(c, summaryQuery);
    // A scoped reader sees only their queues, as on /api/kpis.
    const allowed = t.hub.visibleQueues(scopeOf(c.get('principal')));
    return t.metrics.queries.time({ query: 'summary' }, () =>
      executiveSummary(
        {
          db: t.db,
          timeZone: t.timeZone,
          settings: toKpiSettings(t.kpiSettings),
          costs: t.costs.settings,
          queues: allowed ? [...allowed].sort() : null,
          now: t.config.clock?.() ?? Date.now(),
        },
        q,
      ),
    );
  };

  app.get('/api/summary', allow('summary:read'), async (c) => c.json(await summarise(c)));

  for (const format of ['csv', 'parquet'] as const) {
    app.get(`/api/summary.${format}`, allow('summary:read'), allow('export'), async (c) => {
      const s = await summarise(c);
      const bytes = await t.db.exportRows(EXPORT_COLUMNS, exportRows(s), format, EXPORT_SELECT);
      c.header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.apache.parquet');
      c.header(
        'content-disposition',
        `attachment; filename="tandem-summary-${s.query.from}-to-${s.query.to}.${format}"`,
      );
      return c.body(new Uint8Array(bytes));
    });
  }

  app.get('/api/settings/costs', allow(['summary:read', 'admin']), (c) => c.json(t.costs.view));
  app.put('/api/settings/costs', allow('admin'), async (c) => {
    const next = await jsonBody(c, costSettings);
    return c.json(await t.costs.save({ actor: actorOf(c.get('principal')), ip: c.get('clientIp') }, next));
  });
  return app;
}
