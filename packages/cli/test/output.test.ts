import { describe, expect, it } from 'vitest';
import { csvCell } from '../src/output/cells.js';
import { createOutput, resolveFormat } from '../src/output/index.js';
import { fakeIO } from './helpers.js';

interface Row {
  slug: string;
  name: string;
  count: number;
}
const rows: Row[] = [
  { slug: 'acme', name: 'Acme Inc.', count: 3 },
  { slug: 'web', name: '=HYPERLINK("x")', count: -2 },
];
const columns = [
  { header: 'Slug', value: (r: Row) => r.slug },
  { header: 'Name', value: (r: Row) => r.name },
  { header: 'Count', value: (r: Row) => r.count },
];
const ansi = String.fromCharCode(27);

describe('output layer', () => {
  it('fits a table to the terminal: long cells end in …, no row wraps', () => {
    const t = fakeIO({ tty: true, env: { NO_COLOR: '1' }, columns: 40 });
    const long = [
      { slug: 'acme', name: 'A very long organization name that goes on and on', count: 3 },
      { slug: 'web', name: 'Short', count: 12345 },
    ];
    createOutput(t.io, {}).list(long, columns);
    const lines = t.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines[1]).toMatch(/^acme {2}A very long .*… {2}3$/);
    expect(lines[2]).toMatch(/^web {3}Short +12345$/);
  });

  it('leaves a table that fits alone', () => {
    const t = fakeIO({ tty: true, env: { NO_COLOR: '1' }, columns: 200 });
    createOutput(t.io, {}).list(rows, columns);
    expect(t.stdout().split('\n')[1]).toBe('acme  Acme Inc.        3');
  });

  it('prints an aligned table on a terminal', () => {
    const t = fakeIO({ tty: true, env: { NO_COLOR: '1' } });
    createOutput(t.io, {}).list(rows, columns);
    expect(t.stdout()).toBe(
      [
        'SLUG  NAME             COUNT',
        'acme  Acme Inc.        3',
        'web   =HYPERLINK("x")  -2',
        '',
      ].join('\n'),
    );
  });

  it('colours the table header on a terminal unless NO_COLOR is set', () => {
    const coloured = fakeIO({ tty: true, env: {} });
    createOutput(coloured.io, {}).list(rows, columns);
    expect(coloured.stdout()).toContain(ansi);
    const plain = fakeIO({ tty: true, env: { NO_COLOR: '1' } });
    createOutput(plain.io, {}).list(rows, columns);
    expect(plain.stdout()).not.toContain(ansi);
  });

  it('prints tab-separated values with a header row when piped, without colour', () => {
    const t = fakeIO({ tty: false });
    createOutput(t.io, {}).list(rows, columns);
    expect(t.stdout()).toBe('Slug\tName\tCount\nacme\tAcme Inc.\t3\nweb\t=HYPERLINK("x")\t-2\n');
  });

  it('prints the objects themselves as a JSON array with --json, also on a terminal', () => {
    const t = fakeIO({ tty: true });
    createOutput(t.io, { json: true }).list(rows, columns);
    expect(JSON.parse(t.stdout())).toEqual(rows);
  });

  it('prints CSV with formula cells neutralised and quoting', () => {
    const t = fakeIO({ tty: true });
    createOutput(t.io, { format: 'csv' }).list(rows, columns);
    expect(t.stdout()).toBe('Slug,Name,Count\nacme,Acme Inc.,3\nweb,"\'=HYPERLINK(""x"")",-2\n');
    expect(['=1', '+1', '-1', '@x', 'ok'].map(csvCell)).toEqual(["'=1", "'+1", "'-1", "'@x", 'ok']);
    expect(csvCell('a,b')).toBe('"a,b"');
  });

  it('prints a record as labelled lines on a terminal and one row when piped', () => {
    const row = rows[0] as Row;
    const tty = fakeIO({ tty: true, env: { NO_COLOR: '1' } });
    createOutput(tty.io, {}).record(row, columns);
    expect(tty.stdout()).toBe('Slug:  acme\nName:  Acme Inc.\nCount: 3\n');
    const piped = fakeIO();
    createOutput(piped.io, { format: 'tsv' }).record(row, columns);
    expect(piped.stdout()).toBe('Slug\tName\tCount\nacme\tAcme Inc.\t3\n');
  });

  it('picks the format: --json, then --format, then TTY', () => {
    expect(resolveFormat({ json: true, format: 'csv' }, fakeIO().io)).toBe('json');
    expect(resolveFormat({ format: 'csv' }, fakeIO({ tty: true }).io)).toBe('csv');
    expect(resolveFormat({}, fakeIO({ tty: true }).io)).toBe('table');
    expect(resolveFormat({}, fakeIO().io)).toBe('tsv');
  });
});
