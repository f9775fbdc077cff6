import type { Org } from '@pmkit/sdk';
import { Command } from 'commander';
import { positive } from '../../args.js';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { withSpinner } from '../../output/status.js';
import { orgColumns } from './columns.js';

export function newCmdOrgList(f: Factory): Command {
  return new Command('list')
    .alias('ls')
    .description('List the organizations you belong to (the current one is marked *)')
    .option('--limit <n>', 'show at most n organizations', positive)
    .addHelpText('after', '\nExamples:\n  $ pm org list\n  $ pm org list --json | jq -r ".[].slug"')
    .action(async (options: { limit?: number }) => {
      const pm = f.client();
      const orgs = await withSpinner(f, 'Loading organizations…', () =>
        pm.orgs.list({}, options.limit ? { maxItems: options.limit } : {}).toArray(),
      );
      const out = createOutput(f.io, f.globals);
      const current = f.settings().org;
      const columns =
        out.format === 'table'
          ? [
              {
                header: '',
                value: (o: Org) => (o.slug === current || o.id === current ? '*' : ''),
              },
              ...orgColumns,
            ]
          : orgColumns;
      out.list(orgs, columns);
    });
}
