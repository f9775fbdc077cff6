import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { notice } from '../../output/status.js';

export function newCmdOrgSwitch(f: Factory): Command {
  return new Command('switch')
    .description('Make an organization the current one for this profile (sent as PM-Org)')
    .argument('<slug>', 'the organization to switch to')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm org switch acme\n  $ PM_ORG=other pm org list   # one-off override',
    )
    .action(async (slug: string) => {
      const org = await f.client().orgs.get(slug);
      f.config().update(f.settings().profile, { org: org.slug });
      notice(f, `Switched to ${org.slug} (${org.name})`);
    });
}
