/**
 * Reads vendor records from text as vendors actually deliver and document them: a JSON array, one
 * object, JSON lines, or objects simply concatenated (Kinesis Firehose writes `}{` with no separator;
 * documentation samples are pasted one after another). Documentation copies carry `//` and block
 * comments and trailing commas; those are tolerated. A record that still does not parse (a stray
 * brace in a sample) is reported on its own with the reason, and the others are kept.
 */
export type ParsedRecord = { ok: true; value: unknown } | { ok: false; reason: string };

/** Removes comments and trailing commas outside strings; newlines are kept so line numbers hold. */
export function stripJsonNoise(text: string): string {
  // Copies runs between the bits it drops: feeds are megabytes, so no per-character concatenation.
  const parts: string[] = [];
  const n = text.length;
  let from = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        i += d === 0x5c ? 2 : 1;
        if (d === 0x22) break;
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      parts.push(text.slice(from, i));
      const eol = text.indexOf('\n', i);
      i = from = eol === -1 ? n : eol;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      parts.push(text.slice(from, i));
      const close = text.indexOf('*/', i + 2);
      const stop = close === -1 ? n : close + 2;
      parts.push('\n'.repeat(text.slice(i, stop).split('\n').length - 1));
      i = from = stop;
    } else if (c === 0x2c) {
      let j = i + 1;
      while (j < n && /\s/.test(text[j]!)) j++;
      const next = text.charCodeAt(j);
      // A trailing comma before } or ]: dropped.
      if (next === 0x7d || next === 0x5d) {
        parts.push(text.slice(from, i));
        from = i + 1;
      }
      i++;
    } else {
      i++;
    }
  }
  parts.push(text.slice(from));
  return parts.join('');
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function tryParse(text: string): ParsedRecord {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: `not valid JSON: ${(err as Error).message}` };
  }
}

/** The records in `text`, in order. Never throws. */
export function parseVendorRecords(text: string): ParsedRecord[] {
  // Most bodies are plain JSON: parse them as they are before looking for comments and seams.
  const plain = tryParse(text);
  const clean = plain.ok ? '' : stripJsonNoise(text).trim();
  if (!plain.ok && clean === '') return [];
  const whole = plain.ok ? plain : tryParse(clean);
  if (whole.ok) return Array.isArray(whole.value) ? whole.value.map((value) => ({ ok: true, value })) : [whole];
  return splitValues(clean);
}

/** Cuts text into top-level JSON values by bracket depth (outside strings), parsing each alone. */
function splitValues(text: string): ParsedRecord[] {
  const out: ParsedRecord[] = [];
  let depth = 0;
  let start = -1;
  let junkStart = -1;
  let inString = false;
  const junk = (end: number) => {
    if (junkStart === -1) return;
    const snippet = text.slice(junkStart, end).trim();
    if (snippet) {
      out.push({
        ok: false,
        reason: `line ${lineAt(text, junkStart)}: text outside any record: ${JSON.stringify(snippet.slice(0, 40))}`,
      });
    }
    junkStart = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (depth === 0 && (ch === '{' || ch === '[')) {
      junk(i);
      start = i;
    }
    if (depth === 0 && start === -1) {
      if (!/\s/.test(ch) && junkStart === -1) junkStart = i;
      if (ch === '"') inString = true;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) {
        const parsed = tryParse(text.slice(start, i + 1));
        if (parsed.ok && Array.isArray(parsed.value))
          out.push(...parsed.value.map((value) => ({ ok: true, value }) as const));
        else out.push(parsed.ok ? parsed : { ok: false, reason: `line ${lineAt(text, start)}: ${parsed.reason}` });
        start = -1;
      }
    }
  }
  if (start !== -1) out.push({ ok: false, reason: `line ${lineAt(text, start)}: record is not closed` });
  junk(text.length);
  return out;
}

/** Whether a Content-Type header says the body is an HTML form (`application/x-www-form-urlencoded`). */
export function isFormBody(contentType: string | undefined): boolean {
  return /^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType ?? '');
}

/** The parameters of a form-encoded body, in order (`+` is a space, percent escapes decoded). Never throws. */
export function formParams(text: string): [string, string][] {
  return [...new URLSearchParams(text)];
}

/**
 * A form-encoded body as one record: each parameter a string field. A name sent twice keeps its
 * last value; webhooks that post one event per request do not repeat names.
 */
export function parseFormRecord(text: string): ParsedRecord[] {
  const params = formParams(text);
  if (params.length === 0) return [{ ok: false, reason: 'form body has no parameters' }];
  const value: Record<string, string> = {};
  for (const [k, v] of params) if (k !== '__proto__') value[k] = v;
  return [{ ok: true, value }];
}
