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

/** A borderless, aligned table like `gh`'s, with a bold header when colour is on. */
export function renderTable(headers: string[], rows: string[][], colors: Colors): string {
  const table = new Table({
    head: headers.map((h) => colors.bold(h.toUpperCase())),
    chars: blank,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  table.push(...rows);
  return `${table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')}\n`;
}
