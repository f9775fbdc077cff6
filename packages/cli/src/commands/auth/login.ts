import { isPmError, type User } from '@pmkit/sdk';
import { Command } from 'commander';
import { AuthError, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { canPrompt } from '../../prompter.js';
import { askEmail, askPassword, type CredentialFlags, readStdin } from './credentials.js';

interface LoginFlags extends CredentialFlags {
  withToken?: boolean;
}

export function newCmdAuthLogin(f: Factory): Command {
  return new Command('login')
    .description('Sign in with e-mail and password, or with a token; it is saved in the profile')
    .option('--email <email>', 'e-mail address')
    .option('--password-stdin', 'read the password from stdin')
    .option('--with-token', 'read an access token or API key (pmk_…) from stdin and save it')
    .addHelpText(
      'after',
      `
With --with-token the token is checked against the server before it is saved. An API key is
bound to one organization, which becomes the profile's current one. A token saved this way is
not refreshed: when it expires or is revoked, sign in again.

Examples:
  $ pm auth login
  $ pm auth login --email ada@example.com --password-stdin < ~/.pm-password
  $ pm --profile work --server https://pm.example.com auth login
  $ echo "$PM_API_KEY" | pm --profile ci auth login --with-token`,
    )
    .action(async (flags: LoginFlags) => {
      if (flags.withToken) return loginWithToken(f, flags);
      const email = await askEmail(f, flags);
      const password = await askPassword(f, flags);
      const session = await f.client().auth.login({ email, password });
      const out = createOutput(f.io, f.globals);
      if (out.format === 'json') out.record(session.user, []);
      notice(f, `Signed in to ${f.settings().server} as ${session.user.email}`);
    });
}

async function loginWithToken(f: Factory, flags: LoginFlags): Promise<void> {
  if (flags.email || flags.passwordStdin) {
    throw new UsageError('--with-token cannot be combined with --email or --password-stdin');
  }
  const token = (
    f.io.isStdinTTY && canPrompt(f.io, f.env)
      ? await f.prompter.password('Token')
      : await readStdin(f)
  ).trim();
  if (!token) throw new UsageError('--with-token: stdin was empty');

  const s = f.settings();
  const pm = f.client({ token, session: undefined, onSession: undefined });
  let user: User;
  try {
    user = await pm.me.get();
  } catch (error) {
    if (isPmError(error) && error.status === 401) {
      throw new AuthError(`${s.server} refused the token (${error.detail})`);
    }
    throw error;
  }
  // An API key works in exactly one organization: make it the current one.
  const isApiKey = token.startsWith('pmk_');
  const orgs = isApiKey ? (await pm.orgs.list({ limit: 2 })).items : [];
  const org = orgs.length === 1 ? orgs[0]?.slug : undefined;
  f.config().update(s.profile, {
    server: s.server,
    accessToken: token,
    refreshToken: undefined,
    user: { id: user.id, email: user.email, name: user.name },
    ...(org ? { org } : {}),
  });
  const out = createOutput(f.io, f.globals);
  if (out.format === 'json') out.record(user, []);
  const what = isApiKey ? `an API key${org ? ` for ${org}` : ''}` : 'a token';
  notice(f, `Signed in to ${s.server} as ${user.email} with ${what}`);
}
