import { Command } from 'commander';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';

export function newCmdAuthVerify(f: Factory): Command {
  return new Command('verify')
    .description('Confirm your e-mail address with the mailed token, or ask for a new mail')
    .argument('[token]', 'the token from the verification mail')
    .option('--resend', 'mail a new verification token to the signed-in account')
    .addHelpText('after', '\nExamples:\n  $ pm auth verify pmv_…\n  $ pm auth verify --resend')
    .action(async (token: string | undefined, flags: { resend?: boolean }) => {
      if (Boolean(token) === Boolean(flags.resend)) {
        throw new UsageError('pass the token from the mail, or --resend for a new one');
      }
      if (flags.resend) {
        await f.client().auth.resendVerificationEmail();
        notice(f, 'A new verification mail is on its way');
        return;
      }
      const user = await f.client().auth.verifyEmail(token as string);
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') out.record(user, []);
      notice(f, `Verified ${user.email}`);
    });
}
