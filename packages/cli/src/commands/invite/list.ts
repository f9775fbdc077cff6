import { Command } from 'commander';
import { positive } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { withSpinner } from '../../output/status.js';
import { invitationColumns } from './columns.js';

export function newCmdInviteList(f: Factory): Command {
  return new Command('list')
    .alias('ls')
    .description('List the pending invitations of the current organization, newest first (Admin)')
    .option('--limit <n>', 'show at most n invitations', positive)
    .addHelpText('after', '\nExamples:\n  $ pm invite list\n  $ pm invite list --org acme --json')
    .action(async (options: { limit?: number }) => {
      const org = currentOrg(f);
      const pm = f.client();
      const invitations = await withSpinner(f, 'Loading invitations…', () =>
        pm.invitations.list(org, {}, options.limit ? { maxItems: options.limit } : {}).toArray(),
      );
      createOutput(f.io, f.globals).list(invitations, invitationColumns);
    });
}
