/**
 * The Twilio TaskRouter adapter: the Workspace's event callbacks (one form-encoded event per POST),
 * or the same parameters as JSON objects for replays and `tandem connect`.
 */
import type { Config } from '../../config.ts';
import type { PlatformAdapter, VendorRecord, VendorRequest } from '../adapter.ts';
import { Collector } from '../adapter.ts';
import { asObject, zodReason } from '../vendor-fields.ts';
import { SOURCE, TaskRouterMemory } from './common.ts';
import { mapTaskRouterEvent } from './events.ts';
import { checkTwilioSignature, SIGNATURE_HEADER } from './signature.ts';
import { taskRouterEvent } from './types.ts';

function mapBatch(records: readonly VendorRecord[], memory: TaskRouterMemory) {
  const out = new Collector(SOURCE);
  for (const { index, value } of records) {
    const o = asObject(value);
    if (!o) {
      out.issue(index, 'malformed', 'a record must be an object of event callback parameters');
      continue;
    }
    if (!('EventType' in o)) {
      out.issue(index, 'unknown', 'not a TaskRouter event callback (no EventType)');
      continue;
    }
    const e = taskRouterEvent.safeParse(o);
    if (e.success) mapTaskRouterEvent(out, index, e.data, memory);
    else out.issue(index, 'malformed', `event callback: ${zodReason(e.error.issues)}`);
  }
  return out.out;
}

/** Checks X-Twilio-Signature when an auth token is configured; without one, the ingest key is the only check. */
export function verifyTwilioRequest(request: VendorRequest, config: Config): string | null {
  if (!config.twilioAuthToken) return null;
  return checkTwilioSignature(config.twilioAuthToken, {
    urls: request.urls,
    signature: request.header(SIGNATURE_HEADER),
    authorization: request.header('authorization'),
    body: request.body,
    form: request.form,
  });
}

/** An adapter with its own memory of tasks, workers and queue names (one per server; tests make their own). */
export function createTwilioTaskRouter(): PlatformAdapter {
  const memory = new TaskRouterMemory();
  return {
    platform: SOURCE,
    description:
      'Twilio TaskRouter event callbacks (form-encoded, one event per request; or JSON objects of the same parameters)',
    formBodies: true,
    verify: verifyTwilioRequest,
    map: (records) => mapBatch(records, memory),
  };
}

export const twilioTaskRouter = createTwilioTaskRouter();
