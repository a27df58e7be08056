/**
 * KPI settings: anyone who reads KPIs or the wall may see the definitions and targets in force (a
 * scoped caller only their queues'); admins change them, and the live state is recomputed at once.
 */
import { Hono, type Context } from 'hono';
import { actorOf, scopeOf } from '../../auth/principal.ts';
import { kpiDefaultsUpdate, kpiSettingsUpdate, type KpiSettingsView } from '../../contract/kpi-settings.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { NotFound } from '../errors.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody } from '../validate.ts';

export function settingsRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const visible = (c: Context<AppEnv>, view: KpiSettingsView): KpiSettingsView => {
    const allowed = t.hub.visibleQueues(scopeOf(c.get('principal')));
    if (!allowed) return view;
    return { ...view, queues: Object.fromEntries(Object.entries(view.queues).filter(([q]) => allowed.has(q))) };
  };

  const audit = async (c: Context<AppEnv>, target: string, detail: unknown) =>
    t.auth.audit.append({
      actor: actorOf(c.get('principal')),
      action: 'settings.kpis',
      target,
      detail,
      ip: c.get('clientIp'),
    });

  app.get('/api/settings/kpis', allow(['kpi:read', 'live:read']), (c) => c.json(visible(c, t.kpiSettings)));

  app.put('/api/settings/kpis', allow('admin'), async (c) => {
    const body = await jsonBody(c, kpiDefaultsUpdate);
    const before = t.kpiSettings.defaults;
    const update = { settings: body.settings, targets: body.targets ?? before.targets };
    const view = await t.updateKpiSettings(null, update, actorOf(c.get('principal')).name ?? 'admin');
    await audit(c, 'kpis:defaults', { before, after: view.defaults });
    return c.json(view);
  });

  app.put('/api/settings/kpis/queues/:queue', allow('admin'), async (c) => {
    const body = await jsonBody(c, kpiSettingsUpdate);
    const queue = c.req.param('queue');
    const before = t.kpiSettings.queues[queue] ?? null;
    const view = await t.updateKpiSettings(queue, body, actorOf(c.get('principal')).name ?? 'admin');
    await audit(c, `kpis:queue:${queue}`, { before, after: view.queues[queue] });
    return c.json(view);
  });

  app.delete('/api/settings/kpis/queues/:queue', allow('admin'), async (c) => {
    const queue = c.req.param('queue');
    const before = t.kpiSettings.queues[queue];
    if (!before) throw new NotFound(`queue "${queue}" has no settings of its own`);
    const view = await t.updateKpiSettings(queue, null, actorOf(c.get('principal')).name ?? 'admin');
    await audit(c, `kpis:queue:${queue}`, { before, after: null });
    return c.json(view);
  });
  return app;
}
