import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { notice } from '../../output/status.js';
import { MEMBER_HELP, memberId } from './member-ref.js';

export function newCmdOrgRemove(f: Factory): Command {
  return new Command('remove')
    .description('Remove a member from the current organization (Admin)')
    .argument('<member>', MEMBER_HELP)
    .addHelpText(
      'after',
      `
The API keys they created in the organization are revoked with them. To leave yourself, use
\`pm org leave\`.

Examples:
  $ pm org remove grace@example.com
  $ pm org remove 6f1c0e9e-8d1b-4c4e-9a57-3f0d2a4b5c6d --org acme`,
    )
    .action(async (ref: string) => {
      const org = currentOrg(f);
      const pm = f.client();
      await pm.members.remove(org, await memberId(pm, org, ref));
      notice(f, `Removed ${ref} from ${org}`);
    });
}
