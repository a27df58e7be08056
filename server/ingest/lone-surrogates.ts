/**
 * Finds text that is not valid Unicode anywhere in an event. The contract checks ids, but extra fields
 * and transcript text are free: a lone surrogate there is written by JSON.stringify as a `\udXXX` escape
 * that DuckDB's JSON reader refuses, so one stored event would stop every KPI refresh that reads it.
 */

/** Whether serialised JSON may hold a lone surrogate (JSON.stringify escapes only those as `\udXXX`). */
export function mayHoldLoneSurrogate(json: string): boolean {
  return /\\u[dD][89a-fA-F]/.test(json);
}

type Path = { key: string; parent: Path } | null;

const dotted = (path: Path): string => {
  const keys: string[] = [];
  for (let p = path; p; p = p.parent) keys.push(p.key);
  return keys.length === 0 ? '(event)' : keys.reverse().join('.');
};

/** The dotted path of the first string or key that is not well-formed Unicode, or null when there is none. */
export function loneSurrogatePath(value: unknown): string | null {
  // A stack, not recursion: extra fields may nest thousands of levels deep.
  const stack: { value: unknown; path: Path }[] = [{ value, path: null }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return dotted(path);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (!k.isWellFormed()) return dotted({ key: k.toWellFormed(), parent: path });
        stack.push({ value: x, path: { key: k, parent: path } });
      }
    }
  }
  return null;
}
