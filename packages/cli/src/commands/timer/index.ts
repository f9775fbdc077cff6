import type { TimeEntry, Timer } from '@pmkit/sdk';
import { Command } from 'commander';
import { collect } from '../../args.js';
import { hoursMinutes, momentArg, resolveMoment } from '../../durations.js';
import type { Factory } from '../../factory.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { gitBranch, taskKeyFromBranch } from '../../project-scope.js';
import { rememberTimer, shortStatus } from '../../timer-cache.js';

const label = (t: { task: { key: string } | null; project: { key: string } | null }) =>
  t.task?.key ?? t.project?.key ?? '(no project)';

export const timerColumns: Column<Timer>[] = [
  { header: 'Task', value: (t) => t.task?.key ?? null },
  { header: 'Project', value: (t) => t.project?.key ?? null },
  { header: 'Title', value: (t) => t.task?.title ?? null },
  { header: 'State', value: (t) => t.state },
  { header: 'Elapsed', value: (t) => hoursMinutes(t.elapsedSeconds) },
  { header: 'Started', value: (t) => t.startedAt, time: true },
  { header: 'Note', value: (t) => t.note || null },
  { header: 'Tags', value: (t) => t.tags.join(',') || null },
  { header: 'Billable', value: (t) => String(t.billable) },
  { header: 'Over limit', value: (t) => (t.overLimit ? 'yes' : null) },
  { header: 'Id', value: (t) => t.id },
];

export const entryColumns: Column<TimeEntry>[] = [
  { header: 'Start', value: (e) => e.startedAt, time: true },
  { header: 'End', value: (e) => e.endedAt, time: true },
  { header: 'Duration', value: (e) => hoursMinutes(e.durationSeconds) },
  { header: 'Task', value: (e) => e.task?.key ?? null },
  { header: 'Project', value: (e) => e.project?.key ?? null },
  { header: 'User', value: (e) => e.user.name },
  { header: 'Note', value: (e) => e.note || null },
  { header: 'Tags', value: (e) => e.tags.join(',') || null },
  { header: 'Billable', value: (e) => String(e.billable) },
  { header: 'Amount', value: (e) => (e.amount ? `${e.amount.amount} ${e.amount.currency}` : null) },
  { header: 'Id', value: (e) => e.id },
];

export function newCmdTimer(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);
  const cmd = new Command('timer')
    .description('Start, pause and stop the timer (one runs per person)')
    .addHelpText(
      'after',
      `
Examples:
  $ pm timer start WEB-42 --note "Login form" --billable
  $ pm timer start                 # on the task the git branch names (WEB-42-fix-login)
  $ pm timer start WEB-43 --switch # stop the running one and start this
  $ pm timer stop --at 17:30       # a timer you forgot
  $ pm timer status --short        # "WEB-42 1:05" for a shell prompt, no network call`,
    );

  cmd.addCommand(
    new Command('start')
      .description('Start a timer on a task, a project, or nothing')
      .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names, if any)')
      .option('--project <key>', 'a project instead of a task')
      .option('--note <text>', 'what you are doing')
      .option('--tag <tag>', 'a tag; repeat for more', collect)
      .option('--billable', 'billable time')
      .option('--switch', 'stop a running timer first (it becomes an entry)')
      .option('--at <time>', 'when you started, if earlier: 09:10, -15m', momentArg)
      .action(
        async (
          ref: string | undefined,
          o: {
            project?: string;
            note?: string;
            tag?: string[];
            billable?: boolean;
            switch?: boolean;
            at?: string;
          },
        ) => {
          let task = ref && /^[a-z][a-z0-9]{1,9}-\d+$/i.test(ref) ? ref.toUpperCase() : ref;
          if (!task && !o.project) {
            const branch = gitBranch(f.cwd);
            task = branch ? taskKeyFromBranch(branch) : undefined;
            if (task) f.io.stderr.write(`Using ${task} from the git branch ${branch}\n`);
          }
          const started = await f.client().timer.start({
            ...(task ? { task } : {}),
            ...(o.project ? { project: o.project.toUpperCase() } : {}),
            ...(o.note !== undefined ? { note: o.note } : {}),
            ...(o.tag ? { tags: o.tag } : {}),
            ...(o.billable ? { billable: true } : {}),
            ...(o.switch ? { switch: true } : {}),
            ...(o.at ? { at: resolveMoment(o.at, f.clock.now()).toISOString() } : {}),
          });
          rememberTimer(f, started.timer);
          if (started.stopped) {
            notice(
              f,
              `Stopped ${label(started.stopped)} after ${hoursMinutes(started.stopped.durationSeconds)}`,
            );
          }
          notice(f, `Timer started on ${label(started.timer)}`);
          if (f.globals.json || !f.io.isStdoutTTY)
            out().record(started.timer, timerColumns, started);
        },
      ),
  );

  cmd.addCommand(
    new Command('stop')
      .description('Stop the timer: it becomes a time entry')
      .option('--at <time>', 'when you stopped, if earlier: 17:30, -20m', momentArg)
      .option('--note <text>', 'replace the note')
      .action(async (o: { at?: string; note?: string }) => {
        const entry = await f.client().timer.stop({
          ...(o.at ? { at: resolveMoment(o.at, f.clock.now()).toISOString() } : {}),
          ...(o.note !== undefined ? { note: o.note } : {}),
        });
        rememberTimer(f, null);
        notice(f, `Logged ${hoursMinutes(entry.durationSeconds)} on ${label(entry)}`);
        if (f.globals.json || !f.io.isStdoutTTY) out().record(entry, entryColumns);
      }),
  );

  for (const [name, description] of [
    ['pause', 'Pause the timer (paused time is not counted)'],
    ['resume', 'Resume a paused timer'],
  ] as const) {
    cmd.addCommand(
      new Command(name).description(description).action(async () => {
        const pm = f.client();
        const timer = name === 'pause' ? await pm.timer.pause() : await pm.timer.resume();
        rememberTimer(f, timer);
        notice(
          f,
          `${name === 'pause' ? 'Paused' : 'Resumed'} ${label(timer)} at ${hoursMinutes(timer.elapsedSeconds)}`,
        );
        if (f.globals.json || !f.io.isStdoutTTY) out().record(timer, timerColumns);
      }),
    );
  }

  cmd.addCommand(
    new Command('cancel')
      .description('Discard the running timer (no entry is made)')
      .action(async () => {
        await f.client().timer.cancel();
        rememberTimer(f, null);
        notice(f, 'Timer discarded');
      }),
  );

  cmd.addCommand(
    new Command('status')
      .description('The running timer and its elapsed time')
      .option('--short', 'one line for a shell prompt (WEB-42 1:05), from a local cache')
      .action(async (o: { short?: boolean }) => {
        if (o.short) {
          // bin/pm.cjs answers this without loading the CLI; this is the same answer in-process.
          f.io.stdout.write(shortStatus(f));
          return;
        }
        const timer = await f.client().timer.get();
        rememberTimer(f, timer);
        if (f.globals.json) {
          f.io.stdout.write(`${JSON.stringify({ timer }, null, 2)}\n`);
          return;
        }
        if (!timer) {
          f.io.stderr.write('No timer is running\n');
          return;
        }
        if (f.io.isStdoutTTY) {
          const title = timer.task ? ` ${timer.task.title}` : '';
          f.io.stdout.write(
            `${label(timer)}${title}  ${hoursMinutes(timer.elapsedSeconds)}${timer.state === 'paused' ? ' (paused)' : ''}${timer.overLimit ? '  running longer than the limit: forgot it? pm timer stop --at 17:30' : ''}\n`,
          );
          return;
        }
        out().record(timer, timerColumns);
      }),
  );
  return cmd;
}
