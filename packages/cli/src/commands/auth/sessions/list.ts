import type { SessionInfo } from '@pmkit/sdk';
import { Command } from 'commander';
import { positive } from '../../../args.js';
import type { Factory } from '../../../factory.js';
import { type Column, createOutput } from '../../../output/index.js';
import { withSpinner } from '../../../output/status.js';

const columns: Column<SessionInfo>[] = [
  { header: 'Id', value: (s) => s.id },
  { header: 'Created', value: (s) => s.createdAt, time: true },
  { header: 'Last Used', value: (s) => s.lastUsedAt, time: true },
  { header: 'IP', value: (s) => s.ip },
  { header: 'User Agent', value: (s) => s.userAgent },
];

export function newCmdAuthSessionsList(f: Factory): Command {
  return new Command('list')
    .alias('ls')
    .description('List your active sessions, newest first (this one is marked *)')
    .option('--limit <n>', 'show at most n sessions', positive)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm auth sessions\n  $ pm auth sessions --json | jq -r ".[] | select(.current | not) | .id"',
    )
    .action(async (options: { limit?: number }) => {
      const pm = f.client();
      const sessions = await withSpinner(f, 'Loading sessions…', () =>
        pm.me.sessions.list({}, options.limit ? { maxItems: options.limit } : {}).toArray(),
      );
      const out = createOutput(f.io, f.globals);
      const current: Column<SessionInfo> =
        out.format === 'table'
          ? { header: '', value: (s) => (s.current ? '*' : '') }
          : { header: 'Current', value: (s) => s.current };
      out.list(sessions, out.format === 'table' ? [current, ...columns] : [...columns, current]);
    });
}
