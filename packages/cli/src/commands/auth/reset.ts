import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { notice } from '../../output/status.js';
import { askNewPassword } from './credentials.js';

interface ResetFlags {
  email?: string;
  token?: string;
  passwordStdin?: boolean;
}

export function newCmdAuthReset(f: Factory): Command {
  return new Command('reset')
    .description('Reset a forgotten password: mail a reset token, then set a new password with it')
    .option('--email <email>', 'mail a reset token to this account’s address')
    .option('--token <token>', 'the token from the reset mail: set a new password')
    .option('--password-stdin', 'with --token: read the new password from stdin')
    .addHelpText(
      'after',
      `
Setting the new password signs every session of the account out.

Examples:
  $ pm auth reset --email ada@example.com
  $ pm auth reset --token pmr_… --password-stdin < new-password.txt`,
    )
    .action(async (flags: ResetFlags) => {
      if (Boolean(flags.email) === Boolean(flags.token)) {
        throw new UsageError(
          'pass --email to mail a reset token, or --token to set a new password',
        );
      }
      if (flags.email) {
        await f.client().auth.requestPasswordReset(flags.email);
        notice(
          f,
          `If ${flags.email} has an account on ${f.settings().server}, a token is on its way`,
        );
        return;
      }
      const password = await askNewPassword(f, flags);
      await f.client().auth.confirmPasswordReset({ token: flags.token as string, password });
      notice(f, 'Password changed and every session signed out; sign in with `pm auth login`');
    });
}
