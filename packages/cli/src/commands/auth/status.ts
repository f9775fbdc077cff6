import { isPmError, type User } from '@pmkit/sdk';
import { Command } from 'commander';
import { AuthError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';

export interface AuthStatus {
  server: string;
  profile: string;
  tokenSource: 'env' | 'profile';
  org: string | null;
  user: User;
}

export function newCmdAuthStatus(f: Factory): Command {
  return new Command('status')
    .description('Show who you are signed in as, and where the token comes from')
    .addHelpText(
      'after',
      '\nExit status is 3 when not signed in.\n\nExamples:\n  $ pm auth status\n  $ pm auth status --json',
    )
    .action(async () => {
      const s = f.settings();
      if (s.tokenSource === 'none')
        throw new AuthError(`not signed in to ${s.server}; run \`pm auth login\``);
      let user: User;
      try {
        user = await f.client().me.get();
      } catch (error) {
        if (isPmError(error) && error.status === 401) {
          throw new AuthError(
            `the token for ${s.server} is no longer valid (${error.detail}); run \`pm auth login\``,
          );
        }
        throw error;
      }
      const status: AuthStatus = {
        server: s.server,
        profile: s.profile,
        tokenSource: s.tokenSource,
        org: s.org ?? null,
        user,
      };
      createOutput(f.io, f.globals).record(status, [
        { header: 'Server', value: (r) => r.server },
        { header: 'User', value: (r) => `${r.user.name} <${r.user.email}>` },
        {
          header: 'Token',
          value: (r) => (r.tokenSource === 'env' ? 'PM_TOKEN' : `profile "${r.profile}"`),
        },
        { header: 'Org', value: (r) => r.org },
      ]);
    });
}
