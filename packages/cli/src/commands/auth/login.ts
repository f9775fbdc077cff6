import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { askEmail, askPassword, type CredentialFlags } from './credentials.js';

export function newCmdAuthLogin(f: Factory): Command {
  return new Command('login')
    .description('Sign in with e-mail and password; the session is saved in the profile')
    .option('--email <email>', 'e-mail address')
    .option('--password-stdin', 'read the password from stdin')
    .addHelpText(
      'after',
      `
Examples:
  $ pm auth login
  $ pm auth login --email ada@example.com --password-stdin < ~/.pm-password
  $ pm --profile work --server https://pm.example.com auth login`,
    )
    .action(async (flags: CredentialFlags) => {
      const email = await askEmail(f, flags);
      const password = await askPassword(f, flags);
      const session = await f.client().auth.login({ email, password });
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') out.record(session.user, []);
      notice(f, `Signed in to ${f.settings().server} as ${session.user.email}`);
    });
}
