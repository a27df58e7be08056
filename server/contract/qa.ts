/**
 * The QA contract: what personal data is redacted from transcripts at ingest, and the admin's choice of
 * it. Server and web both import this module.
 */
import { z } from 'zod';

/** Every kind of personal data the redaction knows, in the order its rules run (docs/qa.md). */
export const REDACTION_KINDS = ['CN_ID', 'CARD', 'SSN', 'EMAIL', 'PHONE'] as const;
export type RedactionKind = (typeof REDACTION_KINDS)[number];
export type RedactionCounts = Partial<Record<RedactionKind, number>>;

/** PUT /api/settings/redaction: the kinds to redact; an empty list redacts nothing (and says so in the audit). */
export const redactionSettings = z.strictObject({
  kinds: z
    .array(z.enum(REDACTION_KINDS))
    .max(REDACTION_KINDS.length)
    .transform((kinds) => REDACTION_KINDS.filter((k) => kinds.includes(k))),
});
export type RedactionSettings = z.output<typeof redactionSettings>;
/** What GET answers: the kinds in force, and who chose them when (null while the default holds). */
export type RedactionSettingsView = RedactionSettings & { updatedAt: number | null; updatedBy: string | null };
