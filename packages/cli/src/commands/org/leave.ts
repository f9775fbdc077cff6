import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { notice } from '../../output/status.js';

export function newCmdOrgLeave(f: Factory): Command {
  return new Command('leave')
    .description('Leave the current organization')
    .addHelpText(
      'after',
      `
Your API keys in it are revoked. The last Owner cannot leave: run \`pm org transfer\` first.
When it was the profile's current organization, the profile no longer has one.

Examples:
  $ pm org leave --org acme`,
    )
    .action(async () => {
      const org = currentOrg(f);
      await f.client().members.leave(org);
      const { profile } = f.settings();
      if (f.config().get(profile).org === org) f.config().update(profile, { org: undefined });
      notice(f, `Left ${org}`);
    });
}
