/**
 * The acknowledgement of a platform feed (`POST /api/ingest/<platform>`, `tandem connect`): what the
 * vendor records became, and the ingest acknowledgement of the events they were mapped to.
 */
import { z } from 'zod';
import { rejectionSchema } from './ingest.ts';

export const ADAPTER_ISSUE_KINDS = ['unknown', 'malformed'] as const;
export type AdapterIssueKind = (typeof ADAPTER_ISSUE_KINDS)[number];

/** A vendor record that produced nothing: `record` is its position in the batch (from 0). */
export const adapterIssueSchema = z.object({
  record: z.number(),
  kind: z.enum(ADAPTER_ISSUE_KINDS),
  reason: z.string(),
});

export const adapterAckSchema = z.object({
  platform: z.string(),
  /** Vendor records read from the body. */
  records: z.number(),
  /** Records that are understood and deliberately produce nothing (heartbeats, partial utterances). */
  ignored: z.number(),
  /** Records the adapter does not know, and records it knows but cannot read; each listed in `issues`. */
  unknown: z.number(),
  malformed: z.number(),
  issues: z.array(adapterIssueSchema),
  /** Tandem events the records were mapped to; each one is accepted, a duplicate or rejected. */
  events: z.number(),
  accepted: z.number(),
  duplicates: z.number(),
  /** As in the event acknowledgement (`index` counts mapped events), plus the vendor record it came from. */
  rejected: z.array(rejectionSchema.extend({ record: z.number() })),
});

export type AdapterIssue = z.infer<typeof adapterIssueSchema>;
export type AdapterAck = z.infer<typeof adapterAckSchema>;
