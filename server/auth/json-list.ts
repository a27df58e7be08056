/** Roles and scopes are stored as JSON arrays of strings in VARCHAR columns. */
export function readList<T extends string = string>(value: unknown): T[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed.filter((v) => typeof v === 'string') as T[]) : [];
  } catch {
    return [];
  }
}

export function writeList(list: readonly string[]): string {
  return JSON.stringify([...list]);
}
