import { Command, Option } from 'commander';
import { roles } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { invitationColumns } from '../invite/columns.js';

export function newCmdOrgInvite(f: Factory): Command {
  return new Command('invite')
    .description('Invite someone to the current organization by e-mail (Admin)')
    .argument('<email>', 'the address to invite; the token is mailed there')
    .addOption(
      new Option('--role <role>', 'the role they get on accepting')
        .choices(roles)
        .default('member'),
    )
    .addHelpText(
      'after',
      `
The invitation expires after 7 days; \`pm invite list\` shows the pending ones.
Only an Owner may invite an Owner.

Examples:
  $ pm org invite grace@example.com
  $ pm org invite grace@example.com --role admin --org acme`,
    )
    .action(async (email: string, options: { role: (typeof roles)[number] }) => {
      const org = currentOrg(f);
      const invitation = await f.client().invitations.create(org, { email, role: options.role });
      createOutput(f.io, f.globals).record(invitation, invitationColumns);
      notice(f, `Invited ${invitation.email} to ${org} as ${invitation.role}`);
    });
}
