/**
 * The Genesys Cloud adapter: notification events (from a notification channel, EventBridge or a saved
 * log) and analytics conversation detail records (single records or whole query results).
 */
import type { AdapterOutput, PlatformAdapter, VendorRecord } from '../adapter.ts';
import { Collector } from '../adapter.ts';
import { asObject, zodReason } from '../vendor-fields.ts';
import { SOURCE } from './common.ts';
import { mapConversationDetail } from './conversation-details.ts';
import { mapNotification } from './notifications.ts';
import { conversationDetail, notification } from './types.ts';

function mapBatch(records: readonly VendorRecord[]): AdapterOutput {
  const out = new Collector(SOURCE);
  for (const { index, value } of records) {
    let o = asObject(value);
    if (!o) {
      out.issue(index, 'malformed', 'a record must be a JSON object');
      continue;
    }
    // Genesys's EventBridge integration puts the notification in `detail`.
    const detail = asObject(o.detail);
    if (detail && 'topicName' in detail) o = detail;
    if ('topicName' in o) {
      const n = notification.safeParse(o);
      if (n.success) mapNotification(out, index, n.data.topicName, n.data.eventBody);
      else out.issue(index, 'malformed', `notification: ${zodReason(n.error.issues)}`);
      continue;
    }
    // A details query result or job page holds a list of conversations.
    const list = Array.isArray(o.conversations) ? (o.conversations as unknown[]) : 'conversationId' in o ? [o] : null;
    if (!list) {
      out.issue(index, 'unknown', 'not a notification event (topicName, eventBody) or a conversation detail record');
      continue;
    }
    list.forEach((c, i) => {
      const r = conversationDetail.safeParse(c);
      if (r.success) mapConversationDetail(out, index, r.data);
      else
        out.issue(
          index,
          'malformed',
          `conversation detail${list.length > 1 ? ` #${i}` : ''}: ${zodReason(r.error.issues)}`,
        );
    });
  }
  return out.out;
}

export const genesysCloud: PlatformAdapter = {
  platform: 'genesys-cloud',
  description:
    'Genesys Cloud notification events (user activity, routing status, conversations) and analytics conversation detail records',
  map: (records) => mapBatch(records),
};
