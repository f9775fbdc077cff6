import { Command } from 'commander';
import { positive } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { withSpinner } from '../../output/status.js';
import { memberColumns } from './columns.js';

export function newCmdOrgMembers(f: Factory): Command {
  return new Command('members')
    .description('List the members of the current organization, in the order they joined')
    .option('--limit <n>', 'show at most n members', positive)
    .addHelpText(
      'after',
      `
Examples:
  $ pm org members
  $ pm org members --org acme --json | jq -r '.[] | select(.role == "owner") | .email'`,
    )
    .action(async (options: { limit?: number }) => {
      const org = currentOrg(f);
      const pm = f.client();
      const members = await withSpinner(f, 'Loading members…', () =>
        pm.members.list(org, {}, options.limit ? { maxItems: options.limit } : {}).toArray(),
      );
      createOutput(f.io, f.globals).list(members, memberColumns);
    });
}
