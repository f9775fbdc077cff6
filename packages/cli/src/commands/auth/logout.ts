import { isPmError } from '@pmkit/sdk';
import { Command } from 'commander';
import { CliError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { notice } from '../../output/status.js';

export function newCmdAuthLogout(f: Factory): Command {
  return new Command('logout')
    .description('Sign out: revoke the session on the server and forget its tokens')
    .addHelpText('after', '\nExamples:\n  $ pm auth logout\n  $ pm --profile work auth logout')
    .action(async () => {
      const settings = f.settings();
      if (settings.tokenSource === 'env') {
        throw new CliError('the token comes from PM_TOKEN; unset it to sign out');
      }
      if (settings.tokenSource === 'none') {
        notice(f, `Not signed in to ${settings.server}`);
        return;
      }
      try {
        // An API key has no session to end; revoke it with `pm apikey revoke`.
        if (!settings.token?.startsWith('pmk_')) await f.client().auth.logout();
      } catch (error) {
        // Forget the tokens locally even when the server no longer knows the session.
        if (!isPmError(error) || (error.status !== 401 && error.status !== 0)) throw error;
      }
      f.config().update(settings.profile, {
        accessToken: undefined,
        refreshToken: undefined,
        user: undefined,
      });
      notice(f, `Signed out of ${settings.server}`);
    });
}
