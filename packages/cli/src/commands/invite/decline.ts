import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { notice } from '../../output/status.js';

export function newCmdInviteDecline(f: Factory): Command {
  return new Command('decline')
    .description('Decline an invitation; its token stops working (no sign-in needed)')
    .argument('<token>', 'the token from the invitation mail (pmi_…)')
    .addHelpText('after', '\nExamples:\n  $ pm invite decline pmi_2x9…')
    .action(async (token: string) => {
      await f.client().invitations.decline(token);
      notice(f, 'Declined the invitation');
    });
}
