import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LeadImport, LeadImportOptions } from '@pmkit/sdk';
import { Command, Option } from 'commander';
import { SilentError, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { warn } from '../../output/status.js';

interface ImportFlags {
  map?: string;
  dedupe?: 'email' | 'phone';
  onDuplicate?: 'skip' | 'update' | 'create';
  encoding?: 'auto' | 'utf-8' | 'windows-1252' | 'latin1';
  region?: string;
  dryRun?: boolean;
  errors?: string;
  key?: string;
}

const summaryColumns: Column<LeadImport>[] = [
  { header: 'Import', value: (r) => r.id ?? '(dry run)' },
  { header: 'Rows', value: (r) => String(r.rowsSeen) },
  { header: 'Created', value: (r) => String(r.created) },
  { header: 'Updated', value: (r) => String(r.updated) },
  { header: 'Skipped', value: (r) => String(r.skipped) },
  { header: 'Failed', value: (r) => String(r.failed) },
];

/** The file as it is read, with the share sent so far on an interactive stderr. */
function withProgress(f: Factory, path: string, size: number) {
  return () => {
    const stream = createReadStream(path);
    if (!f.io.isStderrTTY || size === 0) return stream;
    let sent = 0;
    let shown = -1;
    return Readable.from(
      (async function* () {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          sent += chunk.length;
          const percent = Math.floor((sent / size) * 100);
          if (percent !== shown) {
            shown = percent;
            const bar = '█'.repeat(Math.floor(percent / 5)).padEnd(20, '░');
            f.io.stderr.write(`\r${bar} ${percent}% uploaded and imported`);
          }
          yield new Uint8Array(chunk);
        }
        f.io.stderr.write('\r\u001b[2K');
      })(),
    );
  };
}

export function newCmdLeadImport(f: Factory): Command {
  return new Command('import')
    .description('Import leads from a CSV file, streamed (never read whole into memory)')
    .argument('<file>', 'the CSV file (comma, semicolon or tab; UTF-8 or Windows-1252)')
    .option(
      '--map <pairs>',
      'header-to-field mapping, such as "E-mail=email,Nom=name,Budget=custom.budget"',
    )
    .addOption(
      new Option('--dedupe <by>', 'what makes two leads the same').choices(['email', 'phone']),
    )
    .addOption(
      new Option('--on-duplicate <what>', 'what a duplicate of an existing lead does').choices([
        'skip',
        'update',
        'create',
      ]),
    )
    .addOption(
      new Option('--encoding <name>', 'the file encoding (default: detected)').choices([
        'auto',
        'utf-8',
        'windows-1252',
        'latin1',
      ]),
    )
    .option('--region <CC>', 'country for phone numbers without a country code, such as FR')
    .option('--dry-run', 'check everything, write nothing')
    .option('--errors <file>', 'write the refused rows (plus an error column) to this CSV file')
    .option('--key <key>', 'Idempotency-Key: re-run with the same key to resume a failed import')
    .addHelpText(
      'after',
      `
Exit status: 0 when every row was imported or skipped as a duplicate, 1 when any row failed.

Examples:
  $ pm lead import export.csv --dry-run
  $ pm lead import contacts.csv --map "E-mail=email" --on-duplicate update --errors rejected.csv
  $ pm lead import nightly.csv --key "nightly-$(date +%F)"`,
    )
    .action(async (path: string, flags: ImportFlags) => {
      const org = currentOrg(f);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        throw new UsageError(`Cannot read ${path}`);
      }
      const options: LeadImportOptions = {
        ...(flags.map ? { map: flags.map } : {}),
        ...(flags.dedupe ? { dedupe: flags.dedupe } : {}),
        ...(flags.onDuplicate ? { onDuplicate: flags.onDuplicate } : {}),
        ...(flags.encoding ? { encoding: flags.encoding } : {}),
        ...(flags.region ? { region: flags.region.toUpperCase() } : {}),
        ...(flags.dryRun ? { dryRun: true } : {}),
        ...(flags.key ? { idempotencyKey: flags.key } : {}),
      };
      const pm = f.client();
      const result = await pm.leads.import(org, withProgress(f, path, size), options);
      const out = createOutput(f.io, f.globals);
      if (out.format === 'table' || f.globals.json || f.globals.format) {
        out.record(result, summaryColumns);
      } else {
        f.io.stdout.write(
          `${result.dryRun ? 'Dry run: would create' : 'Created'} ${result.created}, updated ${result.updated}, skipped ${result.skipped}, failed ${result.failed} of ${result.rowsSeen} rows${result.id ? ` (import ${result.id})` : ''}\n`,
        );
      }
      if (result.failed > 0) {
        for (const e of result.errors.slice(0, 10)) {
          warn(f, `row ${e.row}${e.column ? `, ${e.column}` : ''}: ${e.message}`);
        }
        if (flags.errors && result.id) {
          const csv = await pm.leads.imports.errorsCsv(org, result.id);
          await pipeline(Readable.fromWeb(csv as never), createWriteStream(flags.errors));
          warn(
            f,
            `The ${result.failed} refused rows are in ${flags.errors}: fix them and import it again`,
          );
        }
        throw new SilentError(1);
      }
    });
}
