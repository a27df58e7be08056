/**
 * CSV for spreadsheets (RFC 4180): every field quoted when it needs to be, CRLF line ends, a UTF-8 byte
 * order mark so Excel reads Chinese correctly, and text that a spreadsheet would run as a formula
 * (=, +, -, @ first) defused with a leading apostrophe (OWASP's CSV injection advice).
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(field).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = Array.isArray(value) ? value.join('; ') : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
