import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

// A spreadsheet runs a cell that starts like a formula (CWE-1236); a leading quote makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

export const neutralise = (value: string): string =>
  FORMULA_START.test(value) ? `'${value}` : value;

type Cell = string | number | boolean | Date | null | undefined | Record<string, unknown>;

function cell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return neutralise(JSON.stringify(value));
  if (typeof value === 'string') return neutralise(value);
  return String(value);
}

/**
 * RFC 4180 CSV (UTF-8, CRLF-free `\n` rows, quoted where needed) streamed from pages of rows as
 * they are read, with backpressure: the next page is fetched only when the reader wants more.
 * `bom` starts it with a byte order mark, which spreadsheets need to read UTF-8.
 */
export function csvStream<Row>(
  columns: readonly string[],
  pages: AsyncIterable<Row[]>,
  toCells: (row: Row) => Cell[],
  options: { bom?: boolean } = {},
): Readable {
  const rows = Readable.from(
    (async function* () {
      for await (const page of pages) for (const row of page) yield toCells(row).map(cell);
    })(),
  );
  const csv = stringify({ header: true, columns: [...columns], bom: options.bom ?? false });
  rows.on('error', (error) => csv.destroy(error));
  return rows.pipe(csv);
}
