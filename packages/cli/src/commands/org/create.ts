import { Command } from 'commander';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { orgColumns } from './columns.js';

export function newCmdOrgCreate(f: Factory): Command {
  return new Command('create')
    .description('Create an organization; you become its owner')
    .argument('<name>', 'display name')
    .option(
      '--slug <slug>',
      'URL name: lower-case letters, digits, inner hyphens (default: from the name)',
    )
    .option('--switch', 'make it the current organization')
    .addHelpText('after', '\nExamples:\n  $ pm org create "Acme Inc." --slug acme --switch')
    .action(async (name: string, options: { slug?: string; switch?: boolean }) => {
      const org = await f
        .client()
        .orgs.create({ name, ...(options.slug ? { slug: options.slug } : {}) });
      if (options.switch) f.config().update(f.settings().profile, { org: org.slug });
      createOutput(f.io, f.globals).record(org, orgColumns);
      notice(f, `Created ${org.slug}${options.switch ? ' and switched to it' : ''}`);
    });
}
