import { Command } from 'commander';
import { positive } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { withSpinner } from '../../output/status.js';
import { apiKeyColumns } from './columns.js';

export function newCmdApiKeyList(f: Factory): Command {
  return new Command('list')
    .alias('ls')
    .description(
      'List the API keys of the current organization, newest first (never their secrets)',
    )
    .option('--limit <n>', 'show at most n keys', positive)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm apikey list\n  $ pm apikey list --json | jq -r ".[].prefix"',
    )
    .action(async (options: { limit?: number }) => {
      const org = currentOrg(f);
      const pm = f.client();
      const keys = await withSpinner(f, 'Loading API keys…', () =>
        pm.apiKeys.list(org, {}, options.limit ? { maxItems: options.limit } : {}).toArray(),
      );
      createOutput(f.io, f.globals).list(keys, apiKeyColumns);
    });
}
