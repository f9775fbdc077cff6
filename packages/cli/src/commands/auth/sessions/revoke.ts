import { Command } from 'commander';
import type { Factory } from '../../../factory.js';
import { notice } from '../../../output/status.js';

export function newCmdAuthSessionsRevoke(f: Factory): Command {
  return new Command('revoke')
    .description('Sign one of your sessions out, with its refresh tokens')
    .argument('<id>', 'the session id (from `pm auth sessions`)')
    .addHelpText(
      'after',
      '\nTo sign this session out, use `pm auth logout`.\n\nExamples:\n  $ pm auth sessions revoke 5e0a4c1d-2b3f-4a5b-8c9d-0e1f2a3b4c5d',
    )
    .action(async (id: string) => {
      await f.client().me.sessions.revoke(id);
      notice(f, `Signed session ${id} out`);
    });
}
