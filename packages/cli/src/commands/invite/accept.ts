import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { orgColumns } from '../org/columns.js';

export function newCmdInviteAccept(f: Factory): Command {
  return new Command('accept')
    .description('Accept an invitation and join its organization')
    .argument('<token>', 'the token from the invitation mail (pmi_…)')
    .option('--switch', 'make the organization the current one')
    .addHelpText(
      'after',
      `
Sign in first with the invited address. New to this server? \`pm auth register --invitation <token>\`.

Examples:
  $ pm invite accept pmi_2x9… --switch`,
    )
    .action(async (token: string, options: { switch?: boolean }) => {
      const org = await f.client().invitations.accept(token);
      if (options.switch) f.config().update(f.settings().profile, { org: org.slug });
      createOutput(f.io, f.globals).record(org, orgColumns);
      notice(f, `Joined ${org.slug} as ${org.role}${options.switch ? ' and switched to it' : ''}`);
    });
}
