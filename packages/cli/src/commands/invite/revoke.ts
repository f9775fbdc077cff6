import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { notice } from '../../output/status.js';

export function newCmdInviteRevoke(f: Factory): Command {
  return new Command('revoke')
    .description('Revoke a pending invitation of the current organization; its token stops working')
    .argument('<id>', 'the invitation id (from `pm invite list`)')
    .addHelpText('after', '\nExamples:\n  $ pm invite revoke 0b7c3a52-5f1e-4d0a-9a57-3f0d2a4b5c6d')
    .action(async (id: string) => {
      const org = currentOrg(f);
      await f.client().invitations.revoke(org, id);
      notice(f, `Revoked invitation ${id}`);
    });
}
