import { Argument, Command } from 'commander';
import { roles } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { memberColumns } from './columns.js';
import { MEMBER_HELP, memberId } from './member-ref.js';

export function newCmdOrgRole(f: Factory): Command {
  return new Command('role')
    .description("Change a member's role in the current organization (Admin)")
    .argument('<member>', MEMBER_HELP)
    .addArgument(new Argument('<role>', 'the new role').choices(roles))
    .addHelpText(
      'after',
      `
Only an Owner grants or takes away Owner; the last Owner cannot be demoted.

Examples:
  $ pm org role grace@example.com manager
  $ pm org role 6f1c0e9e-8d1b-4c4e-9a57-3f0d2a4b5c6d viewer --org acme`,
    )
    .action(async (ref: string, role: (typeof roles)[number]) => {
      const org = currentOrg(f);
      const pm = f.client();
      const member = await pm.members.update(org, await memberId(pm, org, ref), { role });
      createOutput(f.io, f.globals).record(member, memberColumns);
      notice(f, `${member.email} is now ${member.role} in ${org}`);
    });
}
