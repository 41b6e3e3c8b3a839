/**
 * CSV as spreadsheet apps read it: the server's ledger export and the client's chart downloads
 * (管理 → 群数据) write it the same way.
 */

/** A cell that a spreadsheet will not read as a formula, quoted when it must be. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows to a file's text, with a BOM so spreadsheet apps read Chinese as UTF-8. */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
