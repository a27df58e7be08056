/** Acknowledgements for producers, over HTTP (`POST /api/events`) and websocket (`/ws/ingest`). */
import { z } from 'zod';

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export const rejectionSchema = z.object({
  index: z.number(),
  id: z.string().optional(),
  errors: z.array(fieldErrorSchema),
});

export const ingestAckSchema = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.array(rejectionSchema),
});

/** What a producer sends on /ws/ingest: a batch with an optional id echoed in the ack, or bare events. */
export const ingestBatchSchema = z.object({
  batch: z.string().max(256).optional(),
  events: z.array(z.unknown()),
});

export const ingestReplySchema = z.discriminatedUnion('type', [
  ingestAckSchema.extend({ type: z.literal('ack'), batch: z.string().optional() }),
  z.object({
    type: z.literal('error'),
    batch: z.string().optional(),
    status: z.number(),
    /** The `code` the same problem gets over HTTP (`storage_unavailable`, ...). */
    code: z.string().optional(),
    message: z.string(),
  }),
]);

export type IngestAck = z.infer<typeof ingestAckSchema>;
export type IngestReply = z.infer<typeof ingestReplySchema>;
