import { fontRuns, type Run, runWidth, type Weight } from './fonts.js';

export const PAPER = {
  a4: { size: 'A4', width: 595.28, height: 841.89 },
  letter: { size: 'LETTER', width: 612, height: 792 },
} as const;
export type Paper = keyof typeof PAPER;

export interface Column {
  header: string;
  /** Points; 0 takes what the fixed columns leave. */
  width: number;
  align?: 'right';
}

/** Entries and subgroups are striped; groups and the total bold; a note spans the table. */
export type RowStyle = 'entry' | 'group' | 'subgroup' | 'total' | 'note';

export interface Line {
  text: string;
  size: number;
  weight?: Weight;
  color?: string;
}

const MARGIN = 40;
const ROW = 14;
const TABLE_HEAD = 16;
const TITLE = 24;
const TABLE_GAP = 10;
const BODY_SIZE = 8;
const INK = '#1a1a1a';
const MUTED = '#6b6b6b';
const ZEBRA = '#f3f4f7';
const HEAD_FILL = '#e4e6ee';

/**
 * Places a report on pages: blocks of lines, then tables whose rows all have one height, so that
 * where every page breaks depends only on how many rows there are. Without a document it only
 * counts pages (the first pass, for "Page n of m"); with one it draws. pdfkit's own flow is not
 * used: every string is drawn on one line at a known place, in runs of fonts (see fonts.ts).
 */
export class ReportLayout {
  page = 0;
  private y = 0;
  private columns: Column[] = [];
  private widths: number[] = [];
  private zebra = false;
  private readonly width: number;
  private readonly bottom: number;

  constructor(
    private readonly doc: PDFKit.PDFDocument | null,
    private readonly paper: Paper,
    private readonly footer: { left: string; pages: number } = { left: '', pages: 0 },
  ) {
    this.width = PAPER[paper].width - 2 * MARGIN;
    this.bottom = PAPER[paper].height - MARGIN - 12;
  }

  /** Lines of text, each on its own line, on a new page when they do not fit. */
  block(lines: Line[], gapAfter = 10): void {
    const height = lines.reduce((sum, line) => sum + lineHeight(line), 0) + gapAfter;
    if (this.page === 0 || this.y + height > this.bottom) this.newPage();
    for (const line of lines) {
      this.y += lineHeight(line);
      this.text(line.text, MARGIN, this.width, this.y - line.size * 0.35, {
        size: line.size,
        weight: line.weight ?? 'regular',
        color: line.color ?? INK,
      });
    }
    this.y += gapAfter;
  }

  /** A table's title and column headings, kept on one page with its first row. */
  table(title: string, columns: Column[]): void {
    this.columns = columns;
    const fixed = columns.reduce((sum, c) => sum + c.width, 0);
    this.widths = columns.map((c) => c.width || this.width - fixed);
    this.zebra = false;
    const gap = this.y > MARGIN ? TABLE_GAP : 0;
    if (this.page === 0 || this.y + gap + TITLE + TABLE_HEAD + ROW > this.bottom) this.newPage();
    this.y += (this.y > MARGIN ? gap : 0) + TITLE;
    this.text(title, MARGIN, this.width, this.y - 8, { size: 12, weight: 'bold', color: INK });
    this.heading();
  }

  /** One row of the current table; true when it began a new page. */
  row(cells: readonly string[], style: RowStyle = 'entry'): boolean {
    let broke = false;
    if (this.y + ROW > this.bottom) {
      this.newPage();
      this.heading();
      broke = true;
    }
    const top = this.y;
    this.y += ROW;
    if (!this.doc) return broke;
    if (style === 'total') {
      this.doc
        .moveTo(MARGIN, top)
        .lineTo(MARGIN + this.width, top)
        .lineWidth(0.8)
        .stroke(INK);
    } else if (style === 'entry' || style === 'subgroup') {
      if (this.zebra) this.doc.rect(MARGIN, top, this.width, ROW).fill(ZEBRA);
      this.zebra = !this.zebra;
    } else {
      this.zebra = false;
    }
    const weight: Weight = style === 'group' || style === 'total' ? 'bold' : 'regular';
    if (style === 'note') {
      const style = { size: BODY_SIZE, weight, color: MUTED };
      this.text(cells.join(' '), MARGIN + 3, this.width - 6, top + ROW - 4, style);
      return broke;
    }
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const width = this.widths[i] ?? 0;
      const indent = i === 0 && style === 'subgroup' ? 12 : 0;
      const column = this.columns[i];
      this.text(cell, x + 3 + indent, width - 6 - indent, top + ROW - 4, {
        size: BODY_SIZE,
        weight,
        color: INK,
        ...(column?.align ? { align: column.align } : {}),
      });
      x += width;
    });
    return broke;
  }

  private heading() {
    const top = this.y;
    this.y += TABLE_HEAD;
    if (!this.doc) return;
    this.doc.rect(MARGIN, top, this.width, TABLE_HEAD).fill(HEAD_FILL);
    let x = MARGIN;
    this.columns.forEach((column, i) => {
      const width = this.widths[i] ?? 0;
      this.text(column.header, x + 3, width - 6, top + TABLE_HEAD - 5, {
        size: BODY_SIZE,
        weight: 'bold',
        color: INK,
        ...(column.align ? { align: column.align } : {}),
      });
      x += width;
    });
    this.zebra = false;
  }

  private newPage() {
    this.page += 1;
    this.y = MARGIN;
    const doc = this.doc;
    if (!doc) return;
    doc.addPage({ size: PAPER[this.paper].size, margin: 0 });
    const baseline = PAPER[this.paper].height - MARGIN + 8;
    const style = { size: 7.5, weight: 'regular' as const, color: MUTED };
    // The first pass counted the pages; entries added meanwhile could make more.
    const label = `Page ${this.page} of ${Math.max(this.footer.pages, this.page)}`;
    this.text(this.footer.left, MARGIN, this.width * 0.7, baseline, style);
    this.text(label, MARGIN + this.width * 0.7, this.width * 0.3, baseline, {
      ...style,
      align: 'right',
    });
  }

  /** `text` on one line with its baseline at `y`, cut with an ellipsis to fit `width`. */
  private text(
    text: string,
    x: number,
    width: number,
    y: number,
    style: { size: number; weight: Weight; color: string; align?: 'right' },
  ) {
    const doc = this.doc;
    if (!doc || !text) return;
    const runs = fitted(fontRuns(oneLine(text), style.weight), style.size, width);
    let cx = style.align === 'right' ? x + width - runs.width : x;
    doc.fillColor(style.color);
    for (const run of runs.runs) {
      doc.font(run.font).fontSize(style.size);
      doc.text(run.text, cx, y, { lineBreak: false, baseline: 'alphabetic' });
      cx += run.width;
    }
  }
}

const lineHeight = (line: Line) => Math.ceil(line.size * 1.45);
const oneLine = (text: string) => (/[\r\n\t]/.test(text) ? text.replace(/\s+/g, ' ') : text);

interface MeasuredRun extends Run {
  width: number;
}

/** The runs, measured, cut at the end with `…` where they are wider than `width`. */
function fitted(runs: Run[], size: number, width: number): { runs: MeasuredRun[]; width: number } {
  const measure = (list: Run[]) => {
    let total = 0;
    const measured = list.map((run) => {
      const runWide = runWidth(run, size);
      total += runWide;
      return { font: run.font, text: run.text, width: runWide };
    });
    return { runs: measured, width: total };
  };
  let result = measure(runs);
  if (result.width <= width) return result;
  const chars = runs.flatMap((run) => [...run.text].map((char) => ({ font: run.font, char })));
  let keep = Math.floor((chars.length * width) / result.width);
  for (; keep > 0; keep -= Math.max(1, Math.ceil(keep * 0.05))) {
    const cut: Run[] = [];
    for (const { font, char } of chars.slice(0, keep)) {
      const last = cut.at(-1);
      if (last?.font === font) last.text += char;
      else cut.push({ font, text: char });
    }
    const tail = cut.at(-1);
    if (tail && (tail.font === 'regular' || tail.font === 'bold')) tail.text += '…';
    else cut.push({ font: runs[0]?.font === 'bold' ? 'bold' : 'regular', text: '…' });
    result = measure(cut);
    if (result.width <= width) return result;
  }
  return { runs: [], width: 0 };
}
