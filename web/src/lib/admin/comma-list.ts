/**
 * Scope lists are typed as "sales, billing": split on commas, trim, drop empties and repeats. A
 * Chinese keyboard types the full-width comma (，) or the enumeration comma (、), which count too.
 */
export function parseList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export function formatList(list: readonly string[]): string {
  return list.join(', ');
}
