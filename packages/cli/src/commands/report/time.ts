import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PmClient, ReportDimension, TimeReport, TimeReportQuery } from '@pmkit/sdk';
import { Command, InvalidArgumentError, Option } from 'commander';
import { collect } from '../../args.js';
import { dayArg, isoWeek, resolveDay, weekOf } from '../../dates.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import type { IOStreams } from '../../io.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice, withSpinner } from '../../output/status.js';
import { memberId } from '../org/member-ref.js';
import { scriptColumns, summaryRows, tableColumns } from './summary.js';

const DIMENSIONS: readonly ReportDimension[] = [
  'project',
  'task',
  'user',
  'client',
  'label',
  'day',
  'week',
  'month',
];

type ReportFormat = 'table' | 'tsv' | 'json' | 'csv' | 'pdf';

interface TimeOptions {
  from?: string;
  to?: string;
  week?: string;
  groupBy?: ReportDimension[];
  output?: string;
  rounding?: 'none' | 'up' | 'down' | 'nearest';
  roundTo?: string;
  project?: string[];
  user?: string[];
  billable?: boolean;
  nonBillable?: boolean;
  tag?: string[];
  tz?: string;
  bom?: boolean;
  paper?: 'a4' | 'letter';
}

function groupByArg(value: string): ReportDimension[] {
  const levels = value.split(',').map((level) => level.trim().toLowerCase());
  const unknown = levels.filter((level) => !DIMENSIONS.includes(level as ReportDimension));
  if (unknown.length || levels.length > 2 || new Set(levels).size !== levels.length) {
    throw new InvalidArgumentError(
      `expected one or two of ${DIMENSIONS.join(', ')}, comma-separated`,
    );
  }
  return levels as ReportDimension[];
}

function weekArg(value: string): string {
  if (!['this', 'last'].includes(value) && !isoWeek(value)) {
    throw new InvalidArgumentError('expected this, last or an ISO week (2026-W48)');
  }
  return value;
}

const BY_EXTENSION: Record<string, ReportFormat> = {
  '.pdf': 'pdf',
  '.csv': 'csv',
  '.json': 'json',
  '.tsv': 'tsv',
};

/** --json, then --format, then the output file's extension, then table on a terminal. */
function formatOf(f: Factory, output: string | undefined): ReportFormat {
  if (f.globals.json) return 'json';
  if (f.globals.format) return f.globals.format;
  const byName = output ? BY_EXTENSION[extname(output).toLowerCase()] : undefined;
  if (byName) return byName;
  return f.io.isStdoutTTY && !output ? 'table' : 'tsv';
}

function period(f: Factory, o: TimeOptions): { from: string; to: string } {
  const now = f.clock.now();
  if (o.week) {
    if (o.from || o.to)
      throw new UsageError('--week names the whole period: leave out --from and --to');
    if (o.week === 'this' || o.week === 'last') return weekOf(now, o.week === 'last' ? -1 : 0);
    return isoWeek(o.week)!;
  }
  const week = weekOf(now);
  return {
    from: o.from ? resolveDay(o.from, now, 'this-week') : week.from,
    to: o.to ? resolveDay(o.to, now, 'this-week') : week.to,
  };
}

async function query(pm: PmClient, org: string, f: Factory, o: TimeOptions) {
  if (o.roundTo && !o.rounding)
    throw new UsageError('--round-to needs --rounding up, down or nearest');
  if (o.billable && o.nonBillable)
    throw new UsageError('pass --billable or --non-billable, not both');
  const users = o.user
    ? await Promise.all(o.user.map((ref) => (ref === 'me' ? ref : memberId(pm, org, ref))))
    : undefined;
  const q: TimeReportQuery = {
    ...period(f, o),
    ...(o.tz ? { tz: o.tz } : {}),
    ...(o.groupBy ? { groupBy: o.groupBy } : {}),
    ...(o.project ? { projects: o.project } : {}),
    ...(users ? { users } : {}),
    ...(o.billable ? { billable: true } : o.nonBillable ? { billable: false } : {}),
    ...(o.tag ? { tags: o.tag } : {}),
    ...(o.rounding ? { rounding: o.rounding } : {}),
    ...(o.roundTo ? { roundTo: Number(o.roundTo) as TimeReportQuery['roundTo'] } : {}),
    ...(o.bom ? { bom: true } : {}),
    ...(o.paper ? { paper: o.paper } : {}),
  };
  return q;
}

/** Bytes on their way to `to`, counted for the spinner. */
function counted(onBytes: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      onBytes(total);
      done(null, chunk);
    },
  });
}

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1 << 20
      ? `${(bytes / 1024).toFixed(0)} KB`
      : `${(bytes / (1 << 20)).toFixed(1)} MB`;

/** A CSV or PDF as the server streams it, into the file or down stdout; a partial file is removed. */
async function download(
  f: Factory,
  stream: ReadableStream<Uint8Array>,
  output: string | undefined,
  update: (text: string) => void,
): Promise<number> {
  let bytes = 0;
  const meter = counted((total) => {
    bytes = total;
    update(`Streaming the report… ${size(total)}`);
  });
  const source = Readable.fromWeb(stream as never);
  if (!output) {
    await pipeline(source, meter, f.io.stdout as Writable, { end: false });
    return bytes;
  }
  try {
    await pipeline(source, meter, createWriteStream(output));
  } catch (error) {
    await rm(output, { force: true });
    throw error;
  }
  return bytes;
}

/** Table, TSV or JSON of the totals: on stdout, or into the file. */
async function printSummary(f: Factory, report: TimeReport, format: ReportFormat, output?: string) {
  const file = output ? createWriteStream(output) : undefined;
  const io: IOStreams = file
    ? { ...f.io, stdout: file, isStdoutTTY: false, colorEnabled: false }
    : f.io;
  const out = createOutput(io, { format: format as 'table' | 'tsv' | 'json' });
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (format === 'table') {
    const title = `Time report ${report.from} – ${report.to} (${report.timezone}), by ${report.groupBy.join(', ')}`;
    io.stdout.write(`${out.colors.bold(title)}\n`);
    out.list(summaryRows(report), tableColumns);
  } else {
    out.list(summaryRows(report), scriptColumns(report.groupBy.length));
  }
  if (file) {
    await new Promise<void>((resolve, reject) =>
      file.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    notice(f, `Saved the report to ${output}`);
  }
}

export function newCmdReportTime(f: Factory): Command {
  return new Command('time')
    .description(
      'Time tracked in the current organization, grouped, with totals: a table, JSON, CSV or PDF',
    )
    .option(
      '--from <day>',
      'first day (YYYY-MM-DD, today, monday, -1w…; default this Monday)',
      dayArg,
    )
    .option('--to <day>', 'last day, inclusive (same forms; default this Sunday)', dayArg)
    .option('--week <week>', 'a whole week instead: this, last or 2026-W48', weekArg)
    .option(
      '--group-by <fields>',
      `one or two of ${DIMENSIONS.join(', ')} (default project)`,
      groupByArg,
    )
    .option(
      '-o, --output <file>',
      'write to this file (its extension picks the format: .pdf, .csv, .json)',
    )
    .addOption(
      new Option('--rounding <mode>', 'round each entry').choices([
        'none',
        'up',
        'down',
        'nearest',
      ]),
    )
    .addOption(
      new Option('--round-to <minutes>', 'the rounding step (default 15)').choices([
        '1',
        '5',
        '6',
        '10',
        '15',
        '30',
      ]),
    )
    .option('--project <project>', 'only this project, by key or id (repeatable)', collect)
    .option('--user <member>', 'only this member: me, an e-mail or a user id (repeatable)', collect)
    .option('--billable', 'only billable entries')
    .option('--non-billable', 'only non-billable entries')
    .option('--tag <tag>', 'only entries with this tag (repeatable: any of them)', collect)
    .option('--tz <zone>', 'the time zone of days and weeks (default your profile’s)')
    .option('--bom', 'CSV: start with a byte order mark, for spreadsheets')
    .addOption(new Option('--paper <size>', 'PDF paper (default a4)').choices(['a4', 'letter']))
    .addHelpText(
      'after',
      `
Days are those of --tz (or your profile's time zone); weeks run Monday to Sunday. Weekdays in
--from and --to are this week's. Amounts count billable entries, per currency.
--format table (a terminal's default), tsv (a pipe's), json, csv (one row per entry) or pdf;
with -o FILE the file's extension picks it. A PDF is never written to a terminal.

Examples:
  $ pm report time
  $ pm report time --week last --group-by project,user
  $ pm report time --from -4w --to today --group-by week --rounding up --round-to 15
  $ pm report time --week last --project WEB --billable -o week.pdf --paper letter
  $ pm report time --from 2026-11-01 --to 2026-11-30 --format csv --bom > november.csv`,
    )
    .action(async (o: TimeOptions) => {
      const org = currentOrg(f);
      const format = formatOf(f, o.output);
      if (format === 'pdf' && !o.output && f.io.isStdoutTTY) {
        throw new UsageError(
          'will not write a PDF to the terminal: pass -o FILE or redirect stdout',
        );
      }
      const pm = f.client();
      const q = await query(pm, org, f, o);
      if (format === 'csv' || format === 'pdf') {
        // A spinner shares the terminal with the data only when the data goes elsewhere.
        const spin = o.output !== undefined || !f.io.isStdoutTTY;
        const run = async (update: (text: string) => void) => {
          const stream = await pm.reports.time(org, { ...q, format });
          return download(f, stream, o.output, update);
        };
        const bytes = spin
          ? await withSpinner(f, 'Building the report…', run)
          : await run(() => {});
        if (o.output) notice(f, `Saved the report to ${o.output} (${size(bytes)})`);
        return;
      }
      const report = await withSpinner(f, 'Building the report…', () => pm.reports.time(org, q));
      await printSummary(f, report, format, o.output);
    });
}
