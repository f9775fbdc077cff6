import type { LeadFilter, PmClient } from '@pmkit/sdk';
import { Command } from 'commander';
import { CliError, ExitCode, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { describeQuery, type QueryOptions, queryOf, queryOptions } from './query.js';

const filterColumns: Column<LeadFilter>[] = [
  { header: 'Name', value: (l) => l.name },
  { header: 'Query', value: (l) => describeQuery(l.query) },
  { header: 'Id', value: (l) => l.id },
];

/** One of the caller's saved filters, by name (any case) or id; 4 when there is none. */
export async function findFilter(pm: PmClient, org: string, ref: string): Promise<LeadFilter> {
  const all = await pm.leads.filters.list(org);
  const found =
    all.find((x) => x.id === ref) ?? all.find((x) => x.name.toLowerCase() === ref.toLowerCase());
  if (!found) {
    throw new CliError(
      `no saved lead filter "${ref}"${all.length ? `; you have: ${all.map((x) => x.name).join(', ')}` : ''}`,
      ExitCode.notFound,
    );
  }
  return found;
}

export function newCmdLeadFilter(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);

  const save = queryOptions(
    new Command('save')
      .description('Save the filter flags under a name (private to you), for pm lead list --filter')
      .argument('<name>', "the filter's name"),
  )
    .option('--replace', 'replace a filter of yours with that name')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm lead filter save hot --owner me --tag hot --due\n  $ pm lead list --filter hot',
    )
    .action(async (name: string, options: QueryOptions & { replace?: boolean }) => {
      const pm = f.client();
      const org = currentOrg(f);
      const query = await queryOf(f, pm, options);
      if (Object.keys(query).length === 0) {
        throw new UsageError('Nothing to save: give at least one filter flag, such as --status');
      }
      if (options.replace) {
        const existing = (await pm.leads.filters.list(org)).find(
          (x) => x.name.toLowerCase() === name.trim().toLowerCase(),
        );
        if (existing) await pm.leads.filters.delete(org, existing.id);
      }
      const saved = await pm.leads.filters.create(org, { name, query });
      out().record(saved, filterColumns);
      notice(f, `Saved lead filter "${saved.name}"`);
    });

  const list = new Command('list')
    .alias('ls')
    .description('List your saved lead filters')
    .action(async () => {
      out().list(await f.client().leads.filters.list(currentOrg(f)), filterColumns);
    });

  const remove = new Command('delete')
    .alias('rm')
    .description('Delete one of your saved lead filters')
    .argument('<filter>', 'its name or id')
    .action(async (ref: string) => {
      const pm = f.client();
      const org = currentOrg(f);
      const filter = await findFilter(pm, org, ref);
      await pm.leads.filters.delete(org, filter.id);
      notice(f, `Deleted lead filter "${filter.name}"`);
    });

  return new Command('filter')
    .description('Saved lead filters: save, list, delete')
    .addCommand(save)
    .addCommand(list)
    .addCommand(remove);
}
