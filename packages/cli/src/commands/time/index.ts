import type { TimeEntryQuery } from '@pmkit/sdk';
import { Command } from 'commander';
import { collect, positive } from '../../args.js';
import { dayArg, resolveDay } from '../../dates.js';
import { durationArg, hoursMinutes, momentArg, resolveMoment } from '../../durations.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { gitBranch, taskKeyFromBranch } from '../../project-scope.js';
import { entryColumns } from '../timer/index.js';

/** This machine's time zone: days typed here are days here. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

const taskKey = (ref: string) => (/^[a-z][a-z0-9]{1,9}-\d+$/i.test(ref) ? ref.toUpperCase() : ref);

export function newCmdTime(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);
  const cmd = new Command('time')
    .description('Log, list, edit and delete time entries')
    .addHelpText(
      'after',
      `
Examples:
  $ pm time log WEB-42 1h30m --note "Code review" --billable
  $ pm time log 45m --date yesterday        # on the task the git branch names
  $ pm time list --from monday --user me
  $ pm time edit <id> --note "Pairing"`,
    );

  cmd.addCommand(
    new Command('log')
      .description('Log time on a task (or a project, or nothing)')
      .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
      .argument('[duration]', '1h30m, 90m, 1.5h')
      .option('--date <day>', 'the day (default today): 2026-11-20, yesterday, monday', dayArg)
      .option('--start <time>', 'with --end instead of a duration: 09:00', momentArg)
      .option('--end <time>', 'when it ended: 10:30', momentArg)
      .option('--project <key>', 'a project instead of a task')
      .option('--note <text>', 'what you did')
      .option('--tag <tag>', 'a tag; repeat for more', collect)
      .option('--billable', 'billable time')
      .action(
        async (
          first: string | undefined,
          second: string | undefined,
          o: {
            date?: string;
            start?: string;
            end?: string;
            project?: string;
            note?: string;
            tag?: string[];
            billable?: boolean;
          },
        ) => {
          // `pm time log 45m`: the one argument is the duration.
          let [ref, duration] = second !== undefined ? [first, second] : [undefined, first];
          if (ref === undefined && duration !== undefined && !/\d/.test(duration)) {
            [ref, duration] = [duration, undefined];
          }
          const timed = o.start !== undefined || o.end !== undefined;
          if (timed && (!o.start || !o.end))
            throw new UsageError('pass --start and --end together');
          if (!timed && !duration)
            throw new UsageError('give a duration (1h30m), or --start and --end');
          if (timed && duration) throw new UsageError('give a duration or --start/--end, not both');
          let task = ref ? taskKey(ref) : undefined;
          if (!task && !o.project) {
            const branch = gitBranch(f.cwd);
            task = branch ? taskKeyFromBranch(branch) : undefined;
            if (task) f.io.stderr.write(`Using ${task} from the git branch ${branch}\n`);
          }
          const now = f.clock.now();
          let seconds: number | undefined;
          if (duration) {
            try {
              seconds = durationArg(duration);
            } catch (error) {
              throw new UsageError(`duration ${duration}: ${(error as Error).message}`);
            }
          }
          const entry = await f.client().timeEntries.create(currentOrg(f), {
            ...(task ? { task } : {}),
            ...(o.project ? { project: o.project.toUpperCase() } : {}),
            ...(timed
              ? {
                  startedAt: resolveMoment(o.start!, now).toISOString(),
                  endedAt: resolveMoment(o.end!, now).toISOString(),
                }
              : {
                  date: resolveDay(o.date ?? 'today', now),
                  durationSeconds: seconds!,
                  tz: localZone(),
                }),
            ...(o.note !== undefined ? { note: o.note } : {}),
            ...(o.tag ? { tags: o.tag } : {}),
            ...(o.billable ? { billable: true } : {}),
          });
          notice(
            f,
            `Logged ${hoursMinutes(entry.durationSeconds)} on ${entry.task?.key ?? entry.project?.key ?? 'no project'}`,
          );
          if (f.globals.json || !f.io.isStdoutTTY) out().record(entry, entryColumns);
        },
      ),
  );

  cmd.addCommand(
    new Command('list')
      .description('Time entries, newest first (Members see their own)')
      .option('--from <day>', 'first day: 2026-11-01, monday, -1w', dayArg)
      .option('--to <day>', 'last day', dayArg)
      .option('--user <who>', 'me, or a member id')
      .option('--project <key>', 'one project')
      .option('--task <key>', 'one task')
      .option('--billable', 'billable entries only')
      .option('--limit <n>', 'at most this many', positive)
      .action(
        async (o: {
          from?: string;
          to?: string;
          user?: string;
          project?: string;
          task?: string;
          billable?: boolean;
          limit?: number;
        }) => {
          const now = f.clock.now();
          const query: TimeEntryQuery = {
            tz: localZone(),
            ...(o.from ? { from: resolveDay(o.from, now) } : {}),
            ...(o.to ? { to: resolveDay(o.to, now) } : {}),
            ...(o.user ? { user: o.user } : {}),
            ...(o.project ? { project: o.project.toUpperCase() } : {}),
            ...(o.task ? { task: taskKey(o.task) } : {}),
            ...(o.billable ? { billable: true } : {}),
          };
          const entries = [];
          for await (const entry of f.client().timeEntries.list(currentOrg(f), query)) {
            entries.push(entry);
            if (o.limit && entries.length >= o.limit) break;
          }
          out().list(entries, entryColumns);
          if (out().format === 'table') {
            const total = entries.reduce((sum, e) => sum + e.durationSeconds, 0);
            f.io.stderr.write(`${entries.length} entries, ${hoursMinutes(total)} in all\n`);
          }
        },
      ),
  );

  cmd.addCommand(
    new Command('edit')
      .description('Change a time entry')
      .argument('<id>', 'the entry id')
      .option('--note <text>', 'what you did')
      .option('--tag <tag>', 'replace the tags; repeat for more', collect)
      .option('--billable', 'billable')
      .option('--no-billable', 'not billable')
      .option('--task <key>', 'move it to a task')
      .option('--project <key>', 'move it to a project')
      .option('--start <time>', 'a new start: 09:00, 2026-11-20T09:00:00Z', momentArg)
      .option('--end <time>', 'a new end', momentArg)
      .action(
        async (
          id: string,
          o: {
            note?: string;
            tag?: string[];
            billable?: boolean;
            task?: string;
            project?: string;
            start?: string;
            end?: string;
          },
        ) => {
          const now = f.clock.now();
          const change = {
            ...(o.note !== undefined ? { note: o.note } : {}),
            ...(o.tag ? { tags: o.tag } : {}),
            ...(o.billable !== undefined ? { billable: o.billable } : {}),
            ...(o.task ? { task: taskKey(o.task) } : {}),
            ...(o.project ? { project: o.project.toUpperCase() } : {}),
            ...(o.start ? { startedAt: resolveMoment(o.start, now).toISOString() } : {}),
            ...(o.end ? { endedAt: resolveMoment(o.end, now).toISOString() } : {}),
          };
          if (Object.keys(change).length === 0)
            throw new UsageError('nothing to change; see --help');
          const pm = f.client();
          const current = await pm.timeEntries.get(id);
          const entry = await pm.timeEntries.update(id, change, { ifMatch: current.version });
          notice(f, `Updated the entry of ${hoursMinutes(entry.durationSeconds)}`);
          if (f.globals.json || !f.io.isStdoutTTY) out().record(entry, entryColumns);
        },
      ),
  );

  cmd.addCommand(
    new Command('delete')
      .description('Delete a time entry')
      .argument('<id>', 'the entry id')
      .action(async (id: string) => {
        await f.client().timeEntries.delete(id);
        notice(f, 'Deleted');
      }),
  );
  return cmd;
}
