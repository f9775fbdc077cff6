import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { invitationColumns } from './columns.js';

export function newCmdInviteResend(f: Factory): Command {
  return new Command('resend')
    .description('Mail a pending invitation again, with a new token and a new expiry')
    .argument('<id>', 'the invitation id (from `pm invite list`)')
    .addHelpText(
      'after',
      '\nThe token of the earlier mail stops working.\n\nExamples:\n  $ pm invite resend 0b7c3a52-5f1e-4d0a-9a57-3f0d2a4b5c6d',
    )
    .action(async (id: string) => {
      const org = currentOrg(f);
      const invitation = await f.client().invitations.resend(org, id);
      createOutput(f.io, f.globals).record(invitation, invitationColumns);
      notice(f, `Mailed the invitation to ${invitation.email} again`);
    });
}
