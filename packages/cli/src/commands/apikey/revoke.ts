import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { notice } from '../../output/status.js';

export function newCmdApiKeyRevoke(f: Factory): Command {
  return new Command('revoke')
    .description('Revoke an API key of the current organization; it is refused from now on')
    .argument('<id>', 'the key id (from `pm apikey list`)')
    .addHelpText('after', '\nExamples:\n  $ pm apikey revoke 3d2f9a10-7c4b-4e8e-b1a2-0f9e8d7c6b5a')
    .action(async (id: string) => {
      const org = currentOrg(f);
      await f.client().apiKeys.revoke(org, id);
      notice(f, `Revoked API key ${id}`);
    });
}
