import { type CreatedApiKey, isScope, type Scope } from '@pmkit/sdk';
import { Command, InvalidArgumentError } from 'commander';
import { collect, TIME_HELP, timeArg } from '../../args.js';
import type { Clock, Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice, warn } from '../../output/status.js';
import { apiKeyColumns } from './columns.js';

function scope(value: string, previous: Scope[] | undefined): Scope[] {
  if (!isScope(value)) {
    throw new InvalidArgumentError('expected resource:read or resource:write, such as tasks:write');
  }
  return collect(value, previous) as Scope[];
}

/** An expiry: a point in time that is still ahead (the server refuses a past one with a 422). */
const future = (clock: Clock) => (value: string) => {
  const time = timeArg(clock, false)(value);
  if (Date.parse(time) <= clock.now().getTime())
    throw new InvalidArgumentError('must be in the future');
  return time;
};

interface CreateOptions {
  name: string;
  scope: Scope[];
  expires?: string;
}

export function newCmdApiKeyCreate(f: Factory): Command {
  return new Command('create')
    .description('Create an API key in the current organization and print its secret, once')
    .requiredOption('--name <name>', 'what the key is for, such as "GitHub Actions"')
    .requiredOption(
      '--scope <scope>',
      'resource:read or resource:write; repeat for more (resources: orgs, members, invitations, audit, projects, tasks, time, reports, leads)',
      scope,
    )
    .option('--expires <when>', `when the key stops working: ${TIME_HELP}`, future(f.clock))
    .addHelpText(
      'after',
      `
The secret (pmk_…) is shown only now. On a terminal it is printed with the key's details; piped,
stdout carries the secret alone, so it can be captured. --json prints the whole key with it.
The key never acts with more than your own role in the organization.

Examples:
  $ pm apikey create --name ci --scope tasks:write --scope time:write --expires 90d
  $ KEY=$(pm apikey create --name nightly --scope leads:write)
  $ pm apikey create --name report --scope reports:read --json > key.json`,
    )
    .action(async (options: CreateOptions) => {
      const org = currentOrg(f);
      const key = await f.client().apiKeys.create(org, {
        name: options.name,
        scopes: options.scope,
        ...(options.expires ? { expiresAt: options.expires } : {}),
      });
      const out = createOutput(f.io, f.globals);
      // Piped without an explicit format: the bare secret, for KEY=$(pm apikey create …).
      if (out.format === 'tsv' && !f.globals.format) {
        f.io.stdout.write(`${key.secret}\n`);
      } else {
        const columns: Column<CreatedApiKey>[] = [
          ...apiKeyColumns.filter((c) => c.header !== 'Last Used'),
          { header: 'Secret', value: (k) => k.secret },
        ];
        out.record(key, columns);
      }
      notice(f, `Created API key "${key.name}" in ${org}`);
      if (out.format === 'table') warn(f, 'Copy the secret now: it will not be shown again.');
    });
}
