/**
 * Platform feeds: `POST /api/ingest/<platform>` takes the vendor's own records (JSON, JSON lines,
 * concatenated objects, documentation samples with comments; log lines or AMI messages for Asterisk;
 * a form-encoded webhook for platforms that post forms) with an ingest key, maps them to events and
 * stores them through the same ingest path as `POST /api/events`.
 */
import { Hono, type Context } from 'hono';
import type { VendorRequest } from '../../adapters/adapter.ts';
import { adapterFor, PLATFORMS, readRecords } from '../../adapters/registry.ts';
import { ingestVendorRecords } from '../../adapters/ingest-vendor.ts';
import { formParams, isFormBody, parseFormRecord } from '../../adapters/vendor-json.ts';
import { keyPermit } from '../../auth/key-scope.ts';
import type { KeyPrincipal } from '../../auth/principal.ts';
import { LIMITS } from '../../contract/events.ts';
import type { Tandem } from '../../tandem.ts';
import type { AppEnv } from '../env.ts';
import { BadRequest, Forbidden, NotFound, PayloadTooLarge } from '../errors.ts';
import { allow } from '../middleware/allow.ts';

/** The URL the caller used: behind a trusted proxy, the scheme and host it forwarded; also the public URL. */
function calledUrls(c: Context<AppEnv>, trustProxy: boolean, publicUrl: string | null): string[] {
  const url = new URL(c.req.url);
  const first = (name: string) => c.req.header(name)?.split(',')[0]?.trim() || undefined;
  const proto = trustProxy ? first('x-forwarded-proto') : undefined;
  const host = (trustProxy ? first('x-forwarded-host') : undefined) ?? c.req.header('host') ?? url.host;
  const path = url.pathname + url.search;
  const urls = [`${proto ?? url.protocol.replace(':', '')}://${host}${path}`];
  if (publicUrl) urls.push(new URL(publicUrl).origin + path);
  return urls;
}

export function ingestAdapterRoutes(t: Tandem): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/api/ingest/:platform', allow('events:write'), async (c) => {
    const adapter = adapterFor(c.req.param('platform'));
    if (!adapter) throw new NotFound(`no adapter for this platform; known: ${PLATFORMS.join(', ')}`);
    const text = await c.req.text();
    const form = adapter.formBodies && isFormBody(c.req.header('content-type'));
    if (adapter.verify) {
      const request: VendorRequest = {
        urls: calledUrls(c, t.config.trustProxy, t.config.publicUrl),
        header: (name) => c.req.header(name),
        body: text,
        form: form ? formParams(text) : null,
      };
      // Checked before anything is read into storage.
      const refused = adapter.verify(request, t.config);
      if (refused) throw new Forbidden(`${adapter.platform}: ${refused}`);
    }
    if (text.trim() === '') throw new BadRequest(`body is empty: send ${adapter.description}`);
    const parsed = form ? parseFormRecord(text) : readRecords(adapter, text);
    if (parsed.length > LIMITS.batchEvents) {
      throw new PayloadTooLarge(`batch has ${parsed.length} records; at most ${LIMITS.batchEvents} per request`);
    }
    const key = c.get('principal') as KeyPrincipal;
    const ack = await ingestVendorRecords(t.ingest, adapter, parsed, {
      permit: keyPermit(key),
      admit: (events) => t.ingestRate.admit(key, events, adapter.platform),
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
