/** QA settings: which personal data is redacted from transcripts at ingest. Admins only, both ways. */
import { Hono } from 'hono';
import { actorOf } from '../../auth/principal.ts';
import { redactionSettings } from '../../contract/qa.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { allow } from '../middleware/allow.ts';
import { jsonBody } from '../validate.ts';

export function qaSettingsRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/api/settings/redaction', allow('admin'), (c) => c.json(t.redaction.view));
  app.put('/api/settings/redaction', allow('admin'), async (c) => {
    const { kinds } = await jsonBody(c, redactionSettings);
    return c.json(await t.redaction.save({ actor: actorOf(c.get('principal')), ip: c.get('clientIp') }, kinds));
  });
  return app;
}
