import { UsageError } from '../errors.js';
import type { IOStreams } from '../io.js';
import type { Format, GlobalOptions } from '../settings.js';
import { type Cell, csvCell, shortTime, text, tsvCell } from './cells.js';
import { type Colors, colors } from './color.js';
import { renderTable } from './table.js';

export interface Column<T> {
  header: string;
  value(row: T): Cell;
  /** An ISO instant: shortened on a table, kept whole for scripts. */
  time?: boolean;
}

export interface Output {
  format: Format;
  colors: Colors;
  /** Rows as a table, TSV, CSV, or (with --json) the objects themselves as a JSON array. */
  list<T>(rows: readonly T[], columns: Column<T>[]): void;
  /** One object: `Label: value` lines on a table, one header + row in TSV/CSV, or JSON. */
  record<T>(row: T, columns: Column<T>[], json?: unknown): void;
}

/** --json wins, then --format, then a table on a terminal and TSV down a pipe. */
export function resolveFormat(globals: GlobalOptions, io: IOStreams): Format {
  if (globals.json) return 'json';
  if (globals.format === 'pdf') throw new UsageError('--format pdf is only for pm report time');
  if (globals.format) return globals.format;
  return io.isStdoutTTY ? 'table' : 'tsv';
}

export function createOutput(io: IOStreams, globals: GlobalOptions): Output {
  const format = resolveFormat(globals, io);
  const c = colors(io.colorEnabled);
  const write = (s: string) => io.stdout.write(s);
  const delimited = <T>(
    rows: readonly T[],
    columns: Column<T>[],
    sep: string,
    cell: typeof text,
  ) => {
    const lines = [columns.map((col) => cell(col.header)).join(sep)];
    for (const row of rows) lines.push(columns.map((col) => cell(col.value(row))).join(sep));
    write(`${lines.join('\n')}\n`);
  };

  return {
    format,
    colors: c,
    list(rows, columns) {
      if (format === 'json') return void write(`${JSON.stringify(rows, null, 2)}\n`);
      if (format === 'csv') return delimited(rows, columns, ',', csvCell);
      if (format === 'tsv') return delimited(rows, columns, '\t', tsvCell);
      const body = rows.map((row) => columns.map((col) => tableCell(col, row)));
      write(
        renderTable(
          columns.map((col) => col.header),
          body,
          c,
          io.columns,
        ),
      );
    },
    record(row, columns, json = row) {
      if (format === 'json') return void write(`${JSON.stringify(json, null, 2)}\n`);
      if (format === 'csv') return delimited([row], columns, ',', csvCell);
      if (format === 'tsv') return delimited([row], columns, '\t', tsvCell);
      const width = Math.max(...columns.map((col) => col.header.length)) + 1;
      const lines = columns.map(
        (col) => `${c.bold(`${col.header}:`.padEnd(width))} ${tableCell(col, row)}`,
      );
      write(`${lines.join('\n')}\n`);
    },
  };
}

function tableCell<T>(column: Column<T>, row: T): string {
  const value = column.value(row);
  return column.time ? shortTime(value) : text(value);
}
