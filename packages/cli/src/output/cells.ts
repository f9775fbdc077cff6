export type Cell = string | number | boolean | null | undefined;

export function text(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return String(cell);
}

/** Tabs and newlines would break a TSV row; fold them into spaces. */
export function tsvCell(cell: Cell): string {
  return text(cell).replace(/[\t\r\n]+/g, ' ');
}

/**
 * RFC 4180 quoting, plus formula neutralisation: a text cell a spreadsheet would evaluate
 * (= + - @, or a leading tab/CR) gets a `'` prefix. Numbers stay numbers.
 */
export function csvCell(cell: Cell): string {
  let value = text(cell);
  if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(value)) value = `'${value}`;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A table shows an ISO instant to the minute, in UTC; scripts get the ISO string itself. */
export function shortTime(cell: Cell): string {
  const value = text(cell);
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[^Z]*Z$/.exec(value);
  return match ? `${match[1]} ${match[2]} UTC` : value;
}
