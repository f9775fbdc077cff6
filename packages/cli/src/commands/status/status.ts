import { isPmError, PmNetworkError, type ServerMeta, type User } from '@pmkit/sdk';
import { Command } from 'commander';
import { SilentError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { createOutput } from '../../output/index.js';
import { withSpinner } from '../../output/status.js';

export interface StatusReport {
  server: string;
  reachable: boolean;
  version: string | null;
  database: ServerMeta['database'] | null;
  registration: ServerMeta['registration'] | null;
  user: Pick<User, 'id' | 'email' | 'name'> | null;
  org: string | null;
}

export function newCmdStatus(f: Factory): Command {
  return new Command('status')
    .description('Show the server in use, whether it answers, and who is signed in')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm status\n  $ pm status --json --server http://pm.internal:4680',
    )
    .action(async () => {
      const { report, failure } = await withSpinner(f, 'Contacting server…', () => collect(f));
      const out = createOutput(f.io, f.globals);
      if (failure) {
        if (out.format === 'json') out.record(report, []);
        f.io.stderr.write(`error: cannot reach ${report.server} (${failure})\n`);
        throw new SilentError(1);
      }
      out.record(
        report,
        [
          { header: 'Server', value: (r) => r.server },
          { header: 'Reachable', value: (r) => (r.reachable ? 'yes' : 'no') },
          { header: 'Version', value: (r) => r.version },
          { header: 'Database', value: (r) => r.database },
          {
            header: 'User',
            value: (r) => (r.user ? `${r.user.name} <${r.user.email}>` : 'not signed in'),
          },
          { header: 'Org', value: (r) => r.org },
        ],
        report,
      );
    });
}

async function collect(f: Factory): Promise<{ report: StatusReport; failure?: string }> {
  const settings = f.settings();
  const pm = f.client({ retry: false });
  const report: StatusReport = {
    server: settings.server,
    reachable: false,
    version: null,
    database: null,
    registration: null,
    user: null,
    org: settings.org ?? null,
  };
  try {
    const meta = await pm.system.meta();
    Object.assign(report, {
      reachable: true,
      version: meta.version,
      database: meta.database,
      registration: meta.registration,
    });
  } catch (error) {
    if (error instanceof PmNetworkError) return { report, failure: error.reason };
    throw error;
  }
  if (settings.token) {
    try {
      const { id, email, name } = await pm.me.get();
      report.user = { id, email, name };
    } catch (error) {
      // An invalid token is a fact to report here, not a failure of `status`.
      if (!isPmError(error) || error.status !== 401) throw error;
    }
  }
  return { report };
}
