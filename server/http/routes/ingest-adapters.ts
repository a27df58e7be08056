/**
 * Platform feeds: `POST /api/ingest/<platform>` takes the vendor's own records (JSON, JSON lines,
 * concatenated objects, documentation samples with comments; log lines or AMI messages for Asterisk)
 * with an ingest key, maps them to events and stores them through the same ingest path as
 * `POST /api/events`.
 */
import { Hono } from 'hono';
import { adapterFor, PLATFORMS, readRecords } from '../../adapters/registry.ts';
import { ingestVendorRecords } from '../../adapters/ingest-vendor.ts';
import { keyPermit } from '../../auth/key-scope.ts';
import type { KeyPrincipal } from '../../auth/principal.ts';
import { LIMITS } from '../../contract/events.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { BadRequest, NotFound, PayloadTooLarge } from '../errors.ts';
import { allow } from '../middleware/allow.ts';

export function ingestAdapterRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/api/ingest/:platform', allow('events:write'), async (c) => {
    const adapter = adapterFor(c.req.param('platform'));
    if (!adapter) throw new NotFound(`no adapter for this platform; known: ${PLATFORMS.join(', ')}`);
    const text = await c.req.text();
    if (text.trim() === '') throw new BadRequest(`body is empty: send ${adapter.description}`);
    const parsed = readRecords(adapter, text);
    if (parsed.length > LIMITS.batchEvents) {
      throw new PayloadTooLarge(`batch has ${parsed.length} records; at most ${LIMITS.batchEvents} per request`);
    }
    const ack = await ingestVendorRecords(t.ingest, adapter, parsed, {
      permit: keyPermit(c.get('principal') as KeyPrincipal),
    });
    if (ack.unknown + ack.malformed > 0) {
      // Counts only: a reason may quote the record, and records may hold what customers said.
      t.log.warn(
        { platform: ack.platform, records: ack.records, unknown: ack.unknown, malformed: ack.malformed },
        'vendor records not mapped',
      );
    }
    return c.json(ack, 202);
  });
  return app;
}
