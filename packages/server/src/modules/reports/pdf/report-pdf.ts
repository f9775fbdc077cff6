import type { Readable } from 'node:stream';
import type { components } from '@pmkit/sdk/schema';
import PDFDocument from 'pdfkit';
import type { ReportEntry } from '../entry.js';
import { formatCents, hoursMinutes } from '../figures.js';
import type { ReportRequest } from '../request.js';
import { reportFonts } from './fonts.js';
import { type Column, type Line, ReportLayout } from './layout.js';

type TimeReport = components['schemas']['TimeReport'];
type ReportGroup = components['schemas']['ReportGroup'];
type Money = components['schemas']['Money'];

export interface PdfReportInput {
  orgName: string;
  request: ReportRequest;
  /** The filters as people read them. */
  described: { projects: string[]; users: string[] };
  /** The totals, from a first pass over the entries. */
  summary: TimeReport;
  /** The entries again, oldest first, for the detail table. */
  entries: AsyncIterable<ReportEntry[]>;
  generatedAt: Date;
}

const SUMMARY_COLUMNS: Column[] = [
  { header: 'Group', width: 0 },
  { header: 'Entries', width: 50, align: 'right' },
  { header: 'Hours', width: 55, align: 'right' },
  { header: 'h:mm', width: 55, align: 'right' },
  { header: 'Amount', width: 120, align: 'right' },
];

const ENTRY_COLUMNS: Column[] = [
  { header: 'Date', width: 52 },
  { header: 'Time', width: 60 },
  { header: 'User', width: 82 },
  { header: 'Project / task', width: 100 },
  { header: 'Note', width: 0 },
  { header: 'Duration', width: 42, align: 'right' },
  { header: 'Amount', width: 72, align: 'right' },
];

/** How far the document may run ahead of its reader before drawing waits. */
const AHEAD_BYTES = 1 << 20;

/**
 * The PDF report, streamed as it is drawn: title, organization, period and filters, the grouped
 * totals with subtotals and the grand total, then every entry. Memory stays flat: the totals come
 * from a first pass, the entries are read again a chunk at a time, pages are written as they fill,
 * and drawing waits while the reader is behind. "Page n of m" needs m before page 1 is written:
 * every row has one height, so a dry run of the same layout over the counts gives it.
 */
export function reportPdf(input: PdfReportInput): Readable {
  const { summary, request } = input;
  const counting = new ReportLayout(null, request.paper);
  composeHead(counting, input);
  composeSummary(counting, summary);
  composeEntryCount(counting, summary.total.entries);

  const doc = new PDFDocument({
    autoFirstPage: false,
    // pdfkit would keep every distinct word's layout for the document's life; a report's words
    // (notes, times) are mostly distinct, so memory would grow with the entries.
    fontLayoutCache: false,
    margin: 0,
    info: {
      Title: `Time report ${request.from} – ${request.to}`,
      Author: input.orgName,
      Creator: 'pmkit',
      CreationDate: input.generatedAt,
    },
  });
  for (const [name, font] of Object.entries(reportFonts())) {
    doc.registerFont(name, font as unknown as string);
  }
  const layout = new ReportLayout(doc, request.paper, {
    left: `${input.orgName} · Time report ${request.from} – ${request.to}`,
    pages: counting.page,
  });
  const reader = readerPace(doc);
  (async () => {
    composeHead(layout, input);
    composeSummary(layout, summary);
    await composeEntries(layout, summary.total.entries, input.entries, reader);
    if (!doc.destroyed) doc.end();
  })().catch((error: unknown) => doc.destroy(error as Error));
  return doc;
}

function composeHead(layout: ReportLayout, input: PdfReportInput) {
  const { request, described, generatedAt } = input;
  const filters = [
    described.projects.length ? `projects ${described.projects.join(', ')}` : '',
    described.users.length ? `people ${described.users.join(', ')}` : '',
    request.billable === null ? '' : request.billable ? 'billable only' : 'non-billable only',
    request.tags ? `tags ${request.tags.join(', ')}` : '',
  ].filter(Boolean);
  const rounding =
    request.rounding === 'none'
      ? 'none'
      : `${request.rounding === 'nearest' ? 'to the nearest' : request.rounding} ${request.roundTo} minutes, per entry`;
  const lines: Line[] = [
    { text: 'Time report', size: 18, weight: 'bold' },
    { text: input.orgName, size: 12 },
    { text: `Period: ${request.from} – ${request.to} (${request.timezone})`, size: 9 },
    { text: `Filters: ${filters.length ? filters.join(' · ') : 'none'}`, size: 9 },
    { text: `Grouped by ${request.groupBy.join(', then ')} · rounding: ${rounding}`, size: 9 },
    {
      text: `Generated ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      size: 8,
      color: '#6b6b6b',
    },
  ];
  layout.block(lines);
}

const amounts = (list: Money[]) => list.map((m) => `${m.amount} ${m.currency}`).join(', ');
const figures = (g: Pick<ReportGroup, 'entries' | 'hours' | 'hm' | 'amounts'>) => [
  String(g.entries),
  g.hours,
  g.hm,
  amounts(g.amounts),
];

function composeSummary(layout: ReportLayout, summary: TimeReport) {
  const by = summary.groupBy.join(' › ');
  layout.table(`Summary by ${by}`, SUMMARY_COLUMNS);
  for (const group of summary.groups) {
    const nested = group.groups ?? [];
    layout.row([group.label, ...figures(group)], nested.length ? 'group' : 'entry');
    for (const child of nested) layout.row([child.label, ...figures(child)], 'subgroup');
  }
  layout.row(['Grand total', ...figures(summary.total)], 'total');
  if (summary.groupBy.includes('label')) {
    layout.row(['An entry of a task with several labels counts under each.'], 'note');
  }
}

function entryCells(e: ReportEntry): string[] {
  return [
    e.day,
    `${e.start}–${e.end}`,
    e.user.name,
    e.task ? `${e.task.key} ${e.task.title}` : (e.project?.key ?? ''),
    e.note,
    hoursMinutes(e.seconds),
    e.amountCents === null ? '' : `${formatCents(e.amountCents)} ${e.currency}`,
  ];
}

const NO_ENTRIES = ['No entries in this period.'];

function composeEntryCount(layout: ReportLayout, count: number) {
  layout.table('Entries', ENTRY_COLUMNS);
  if (count === 0) layout.row(NO_ENTRIES, 'note');
  for (let i = 0; i < count; i++) layout.row([]);
}

async function composeEntries(
  layout: ReportLayout,
  count: number,
  entries: AsyncIterable<ReportEntry[]>,
  reader: ReaderPace,
) {
  layout.table('Entries', ENTRY_COLUMNS);
  if (count === 0) layout.row(NO_ENTRIES, 'note');
  for await (const chunk of entries) {
    for (const entry of chunk) {
      if (layout.row(entryCells(entry))) await reader.caughtUp();
      if (reader.gone()) return;
    }
  }
}

interface ReaderPace {
  /** Resolves once the reader has taken most of what was written (or has gone). */
  caughtUp(): Promise<void>;
  gone(): boolean;
}

/** pdfkit pushes without heeding backpressure; this lets drawing wait for a slow reader. */
function readerPace(doc: PDFKit.PDFDocument): ReaderPace {
  let wake: (() => void) | undefined;
  const readable = doc as unknown as Readable & { _read(): void };
  readable._read = () => {
    wake?.();
    wake = undefined;
  };
  doc.on('close', () => wake?.());
  return {
    caughtUp: () =>
      readable.readableLength < AHEAD_BYTES || readable.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            wake = resolve;
          }),
    gone: () => readable.destroyed,
  };
}
