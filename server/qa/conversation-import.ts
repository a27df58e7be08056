/**
 * Bulk import of whole conversations (POST /api/qa/import): each conversation becomes its contact's
 * transcript.segment events, which then take the one ingest path (redaction included). The whole file is
 * checked first and refused with every problem named by its place in the file, so a bad file stores
 * nothing. Event ids come from the contact and the segment's place, so importing a file again is harmless.
 */
import { checkEvent, eventTimeMs, type FieldError } from '../contract/events.ts';
import type { ConversationImport } from '../contract/qa.ts';

/** Segments without their own time or offset are spaced this far apart, in file order. */
const DEFAULT_GAP_MS = 1_000;

export type BuiltImport = { events: unknown[]; errors: FieldError[] };

export function conversationEvents(file: ConversationImport, now: number): BuiltImport {
  const events: unknown[] = [];
  const errors: FieldError[] = [];
  file.conversations.forEach((c, ci) => {
    const base = eventTimeMs(c.startedAt);
    if (!Number.isFinite(base)) {
      errors.push({
        path: `conversations.${ci}.startedAt`,
        message: 'must be an RFC 3339 time with offset or epoch milliseconds',
      });
      return;
    }
    c.segments.forEach((s, si) => {
      const at = s.at ?? base + (s.offsetMs ?? si * DEFAULT_GAP_MS);
      const { at: _at, offsetMs, ...rest } = s;
      const event = {
        ...rest,
        type: 'transcript.segment',
        id: `import:${c.contactId}:${si}`,
        contactId: c.contactId,
        at,
        ...(offsetMs !== undefined ? { offsetMs } : {}),
      };
      const check = checkEvent(event, now);
      if (!check.ok) {
        for (const e of check.errors)
          errors.push({ path: `conversations.${ci}.segments.${si}.${e.path}`, message: e.message });
      } else events.push(event);
    });
  });
  return { events, errors };
}
