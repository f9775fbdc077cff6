import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { orgColumns } from './columns.js';

export function newCmdOrgCurrent(f: Factory): Command {
  return new Command('current')
    .description(
      'Show the organization commands act in: an API key’s own, else the current one (PM-Org)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm org current\n  $ PM_TOKEN=pmk_… pm org current --json   # which org is this key for?',
    )
    .action(async () => {
      const org = await f.client().orgs.current();
      createOutput(f.io, f.globals).record(org, orgColumns);
    });
}
