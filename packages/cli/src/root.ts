import { Command, Option } from 'commander';
import { newCmdApiKey } from './commands/apikey/index.js';
import { newCmdAudit } from './commands/audit/audit.js';
import { newCmdAuth } from './commands/auth/index.js';
import { newCmdInvite } from './commands/invite/index.js';
import { newCmdLead } from './commands/lead/index.js';
import { newCmdNotifications } from './commands/notifications/index.js';
import { newCmdOrg } from './commands/org/index.js';
import { newCmdProject } from './commands/project/index.js';
import { newCmdReport } from './commands/report/index.js';
import { newCmdServer } from './commands/server/index.js';
import { newCmdStatus } from './commands/status/status.js';
import { newCmdTask } from './commands/task/index.js';
import { newCmdTime } from './commands/time/index.js';
import { newCmdTimer } from './commands/timer/index.js';
import type { Factory } from './factory.js';
import { documentFormats, formats, type GlobalOptions } from './settings.js';

export function newCmdRoot(f: Factory): Command {
  const program = new Command('pm')
    .description('pmkit from the terminal: projects, time and leads')
    .version(f.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--server <url>', 'server URL (env PM_SERVER; default http://127.0.0.1:4680)')
    .option('--profile <name>', 'config profile to use (env PM_PROFILE; default "default")')
    .option('--org <slug>', 'organization to act in (env PM_ORG)')
    .option('--json', 'print JSON (same as --format json)')
    .addOption(
      new Option(
        '--format <format>',
        'output format (default: table on a terminal, tsv otherwise; pdf: pm report time)',
      ).choices([...formats, ...documentFormats]),
    )
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Environment:
  PM_SERVER, PM_TOKEN, PM_ORG, PM_PROFILE   override the profile file
  PM_CONFIG_DIR                             where the profile file lives
  PM_PROJECT                                the project of task commands (else pm project use)
  NO_COLOR                                  disable colour

Exit codes: 0 ok, 1 error, 2 usage, 3 auth, 4 not found, 5 conflict, 130 interrupted.

Examples:
  $ pm server start
  $ pm auth register --email ada@example.com --password-stdin < password.txt
  $ pm org list --json
  $ pm org invite grace@example.com --role admin
  $ KEY=$(pm apikey create --name ci --scope tasks:write)
  $ pm project use WEB && pm task list --assignee me
  $ pm timer start WEB-42 && pm timer stop`,
    );

  program.addCommand(newCmdStatus(f));
  program.addCommand(newCmdAuth(f));
  program.addCommand(newCmdOrg(f));
  program.addCommand(newCmdProject(f));
  program.addCommand(newCmdTask(f));
  program.addCommand(newCmdTimer(f));
  program.addCommand(newCmdTime(f));
  program.addCommand(newCmdInvite(f));
  program.addCommand(newCmdApiKey(f));
  program.addCommand(newCmdAudit(f));
  program.addCommand(newCmdLead(f));
  program.addCommand(newCmdReport(f));
  program.addCommand(newCmdNotifications(f));
  program.addCommand(newCmdServer(f));

  program.hook('preAction', async (_root, action) => {
    await f.prepare(action.optsWithGlobals<GlobalOptions>());
  });
  return program;
}
