import { Command } from 'commander';
import { AuthError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { tokenExpiry } from './credentials.js';

// Refresh a little early so the printed token is still good when the caller uses it.
const MARGIN_MS = 30_000;

export function newCmdAuthToken(f: Factory): Command {
  return new Command('token')
    .description('Print the access token, refreshing an expired session first')
    .addHelpText(
      'after',
      '\nExamples:\n  $ curl -H "Authorization: Bearer $(pm auth token)" http://127.0.0.1:4680/v1/me',
    )
    .action(async () => {
      const s = f.settings();
      if (!s.token) throw new AuthError(`not signed in to ${s.server}; run \`pm auth login\``);
      let token = s.token;
      const expiry = tokenExpiry(token);
      if (s.refreshToken && expiry !== undefined && expiry - MARGIN_MS <= f.clock.now().getTime()) {
        token = (await f.client().auth.refresh(s.refreshToken)).accessToken;
      }
      f.io.stdout.write(`${token}\n`);
    });
}
