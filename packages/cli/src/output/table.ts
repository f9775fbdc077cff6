import Table from 'cli-table3';
import type { Colors } from './color.js';

const blank = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

const GAP = 2; // the width of `middle`
const MIN_COLUMN = 6;

/**
 * A borderless, aligned table like `gh`'s, with a bold header when colour is on. Given the
 * terminal's width, the widest columns give way first and long cells end in `…`, so a row never
 * wraps onto a second line.
 */
export function renderTable(
  headers: string[],
  rows: string[][],
  colors: Colors,
  width?: number,
): string {
  const head = headers.map((h) => h.toUpperCase());
  const colWidths = width ? fitColumns(head, rows, width) : undefined;
  const table = new Table({
    head: head.map((h) => colors.bold(h)),
    chars: blank,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    ...(colWidths ? { colWidths, wordWrap: false, truncate: '…' } : {}),
  });
  table.push(...rows);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}

/** Column widths that fit `width`, or undefined when the table fits as it is. */
export function fitColumns(
  headers: string[],
  rows: string[][],
  width: number,
): number[] | undefined {
  const natural = headers.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((row) => displayWidth(row[i] ?? ''))),
  );
  const available = width - GAP * (headers.length - 1);
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0);
  if (total() <= available) return undefined;
  const floor = natural.map((w) => Math.min(w, MIN_COLUMN));
  while (total() > available) {
    // Narrow the widest column that can still give way.
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (
        (widths[i] as number) > (floor[i] as number) &&
        (widest < 0 || (widths[i] as number) > (widths[widest] as number))
      ) {
        widest = i;
      }
    }
    if (widest < 0) break;
    widths[widest] = (widths[widest] as number) - 1;
  }
  return widths;
}

function displayWidth(text: string): number {
  return [...text].length;
}
