import { Command } from 'commander';
import { positive, TIME_HELP, timeArg } from '../../args.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice, withSpinner } from '../../output/status.js';
import { newCmdLeadBulk } from './bulk.js';
import { leadColumns, leadDetailColumns } from './columns.js';
import { newCmdLeadConvert } from './convert.js';
import { type LeadFieldOptions, leadBody, leadFieldOptions } from './fields.js';
import { findFilter, newCmdLeadFilter } from './filters.js';
import { newCmdLeadImport } from './import.js';
import { type QueryOptions, queryOf, queryOptions } from './query.js';

interface ListOptions extends QueryOptions {
  filter?: string;
  sort?: string;
  limit?: number;
}

function newCmdLeadList(f: Factory): Command {
  return queryOptions(
    new Command('list')
      .alias('ls')
      .description('List the leads of the current organization, newest first')
      .option('--filter <name>', 'run a saved filter (pm lead filter save); flags given win'),
  )
    .option('--sort <fields>', 'such as -score,name (createdAt, updatedAt, name, score)')
    .option('--limit <n>', 'show at most n leads', positive)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm lead list --owner me --due\n  $ pm lead list --status qualified --sort -score --json\n  $ pm lead list --filter hot --source referral',
    )
    .action(async (options: ListOptions) => {
      const org = currentOrg(f);
      const pm = f.client();
      const saved = options.filter ? (await findFilter(pm, org, options.filter)).query : {};
      const query = {
        ...saved,
        ...(await queryOf(f, pm, options)),
        ...(options.sort ? { sort: options.sort } : {}),
      };
      const leads = await withSpinner(f, 'Loading leads…', () =>
        pm.leads.list(org, query, options.limit ? { maxItems: options.limit } : {}).toArray(),
      );
      createOutput(f.io, f.globals).list(leads, leadColumns);
    });
}

function newCmdLeadShow(f: Factory): Command {
  return new Command('show')
    .description('Show a lead, with its score breakdown')
    .argument('<id>', 'the lead id')
    .action(async (id: string) => {
      const lead = await f.client().leads.get(id);
      createOutput(f.io, f.globals).record(lead, leadDetailColumns);
    });
}

function newCmdLeadCreate(f: Factory): Command {
  return leadFieldOptions(
    new Command('create')
      .description('Create a lead in the current organization (a name, and an e-mail or a phone)')
      .argument('<name>', "the lead's name"),
  )
    .addHelpText(
      'after',
      `\nExamples:\n  $ pm lead create "Ada Lovelace" --email ada@example.com --source referral\n  $ pm lead create "Jean Dupont" --phone "+33 6 12 34 56 78" --preferences '{"bedrooms":3}'`,
    )
    .action(async (name: string, options: LeadFieldOptions) => {
      const org = currentOrg(f);
      const { name: _ignored, status, ...rest } = leadBody(options);
      const lead = await f.client().leads.create(org, {
        name,
        ...rest,
        ...(status ? { status } : {}),
      });
      createOutput(f.io, f.globals).record(lead, leadDetailColumns);
      notice(f, `Created lead "${lead.name}" (${lead.id})`);
    });
}

function newCmdLeadUpdate(f: Factory): Command {
  return leadFieldOptions(
    new Command('update')
      .description('Change a lead; an empty value ("") clears an optional field')
      .argument('<id>', 'the lead id')
      .option('--name <name>', "the lead's name"),
  )
    .option('--if-match <version>', 'refuse (exit 5) if it changed since this version')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm lead update 3d2f… --status qualified --follow-up 2026-12-01T09:00:00Z\n  $ pm lead update 3d2f… --phone ""',
    )
    .action(async (id: string, options: LeadFieldOptions & { ifMatch?: string }) => {
      const { ifMatch, ...fields } = options;
      const body = leadBody(fields);
      if (Object.keys(body).length === 0) {
        throw new UsageError('Nothing to change: give at least one field flag, such as --status');
      }
      const lead = await f.client().leads.update(id, body, {
        ...(ifMatch ? { ifMatch: /^\d+$/.test(ifMatch) ? Number(ifMatch) : ifMatch } : {}),
      });
      createOutput(f.io, f.globals).record(lead, leadDetailColumns);
      notice(f, `Updated lead "${lead.name}"`);
    });
}

function newCmdLeadDelete(f: Factory): Command {
  return new Command('delete')
    .alias('rm')
    .description('Delete a lead')
    .argument('<id>', 'the lead id')
    .action(async (id: string) => {
      await f.client().leads.delete(id);
      notice(f, `Deleted lead ${id}`);
    });
}

function newCmdLeadStats(f: Factory): Command {
  return new Command('stats')
    .description('Lead counts by status, source and owner, and the conversion rate')
    .option('--since <time>', `only leads created since then: ${TIME_HELP}`, timeArg(f.clock, true))
    .option('--until <time>', 'only leads created before then', timeArg(f.clock, true))
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm lead stats --since 30d\n  $ pm lead stats --json | jq .conversion',
    )
    .action(async (options: { since?: string; until?: string }) => {
      const stats = await f.client().leads.stats(currentOrg(f), options);
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') {
        f.io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
        return;
      }
      const rows = [
        ...stats.byStatus.map((s) => ({ group: 'status', name: s.status, count: s.count })),
        ...stats.bySource.map((s) => ({
          group: 'source',
          name: s.source ?? '(none)',
          count: s.count,
        })),
        ...stats.byOwner.map((s) => ({
          group: 'owner',
          name: s.ownerId ?? '(none)',
          count: s.count,
        })),
        { group: 'total', name: '', count: stats.total },
        {
          group: 'conversion',
          name: `won ${stats.conversion.won} (converted ${stats.conversion.converted}), lost ${stats.conversion.lost}`,
          count:
            stats.conversion.rate === null ? '' : `${(stats.conversion.rate * 100).toFixed(1)}%`,
        },
      ];
      out.list(rows, [
        { header: 'Group', value: (r) => r.group },
        { header: 'Name', value: (r) => r.name },
        { header: 'Count', value: (r) => String(r.count) },
      ]);
    });
}

export function newCmdLead(f: Factory): Command {
  return new Command('lead')
    .description('Leads: list, show, create, update, delete, convert, bulk, filter, import, stats')
    .addCommand(newCmdLeadList(f))
    .addCommand(newCmdLeadShow(f))
    .addCommand(newCmdLeadCreate(f))
    .addCommand(newCmdLeadUpdate(f))
    .addCommand(newCmdLeadDelete(f))
    .addCommand(newCmdLeadConvert(f))
    .addCommand(newCmdLeadBulk(f))
    .addCommand(newCmdLeadFilter(f))
    .addCommand(newCmdLeadImport(f))
    .addCommand(newCmdLeadStats(f));
}
