import type {
  FieldValue,
  PmClient,
  Priority,
  StatusCategory,
  Task,
  TaskActivity,
  TaskLink,
  WorkflowStatus,
} from '@pmkit/sdk';
import { Command, InvalidArgumentError } from 'commander';
import { collect, positive } from '../../args.js';
import { dayArg, resolveDay } from '../../dates.js';
import { CliError, ExitCode, SilentError, UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { readAll } from '../../io.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice, withSpinner } from '../../output/status.js';
import { currentProject, taskRef } from '../../project-scope.js';

const PRIORITIES: Priority[] = ['none', 'low', 'medium', 'high', 'urgent'];
const CATEGORIES: StatusCategory[] = ['backlog', 'unstarted', 'started', 'completed', 'cancelled'];

export const taskColumns: Column<Task>[] = [
  { header: 'Key', value: (t) => t.key },
  { header: 'Title', value: (t) => t.title },
  { header: 'Status', value: (t) => t.status.name },
  { header: 'Priority', value: (t) => t.priority },
  { header: 'Assignees', value: (t) => String(t.assigneeIds.length) },
  { header: 'Labels', value: (t) => t.labels.join(',') },
  { header: 'Due', value: (t) => t.dueDate },
  { header: 'Updated', value: (t) => t.updatedAt, time: true },
];

const detailColumns: Column<Task>[] = [
  ...taskColumns.slice(0, 4),
  { header: 'Category', value: (t) => t.status.category },
  { header: 'Assignees', value: (t) => t.assigneeIds.join(',') },
  { header: 'Labels', value: (t) => t.labels.join(',') },
  {
    header: 'Estimate (min)',
    value: (t) => (t.estimateMinutes === null ? null : String(t.estimateMinutes)),
  },
  { header: 'Start', value: (t) => t.startDate },
  { header: 'Due', value: (t) => t.dueDate },
  { header: 'Parent', value: (t) => t.parentId },
  { header: 'Milestone', value: (t) => t.milestoneId },
  {
    header: 'Fields',
    value: (t) => (Object.keys(t.fields).length ? JSON.stringify(t.fields) : null),
  },
  { header: 'Description', value: (t) => t.description },
  { header: 'Completed', value: (t) => t.completedAt, time: true },
  { header: 'Updated', value: (t) => t.updatedAt, time: true },
  { header: 'Version', value: (t) => String(t.version) },
  { header: 'Id', value: (t) => t.id },
];

const priority = (value: string, previous: string[] | undefined) => {
  if (!PRIORITIES.includes(value as Priority)) {
    throw new InvalidArgumentError(`expected one of ${PRIORITIES.join(', ')}`);
  }
  return collect(value, previous);
};
const minutes = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected whole minutes ≥ 0');
  return n;
};

/** A status by name (any case), else the first of a category (`started`). */
function findStatus(statuses: WorkflowStatus[], name: string): WorkflowStatus {
  const lower = name.toLowerCase();
  const found =
    statuses.find((s) => s.name.toLowerCase() === lower) ??
    statuses.find((s) => s.category === lower);
  if (!found) {
    throw new UsageError(
      `no status "${name}" in this workflow; it has: ${statuses.map((s) => s.name).join(', ')}`,
    );
  }
  return found;
}

/** User ids for e-mail addresses or `me`, looked up among the organization's members. */
async function userIds(f: Factory, pm: PmClient, refs: string[]): Promise<string[]> {
  if (refs.length === 0) return [];
  const ids: string[] = [];
  let members: { userId: string; email: string }[] | undefined;
  for (const ref of refs) {
    if (ref === 'me') {
      ids.push((await pm.me.get()).id);
      continue;
    }
    members ??= await pm.members.list(currentOrg(f)).toArray();
    const found = members.find((m) => m.email.toLowerCase() === ref.toLowerCase());
    if (!found)
      throw new CliError(`${ref} is not a member of this organization`, ExitCode.notFound);
    ids.push(found.userId);
  }
  return ids;
}

/** `--field Name=value` flags as the server takes them, typed by the project's definitions. */
async function fieldValues(
  f: Factory,
  pm: PmClient,
  project: string,
  flags: string[],
): Promise<Record<string, FieldValue>> {
  const defs = await pm.projects.fields.list(project);
  const values: Record<string, FieldValue> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new UsageError(`--field takes name=value, got "${flag}"`);
    const name = flag.slice(0, at).trim();
    const raw = flag.slice(at + 1);
    const def = defs.find((d) => d.name.toLowerCase() === name.toLowerCase() || d.id === name);
    if (raw === '') values[name] = null;
    else if (def?.type === 'number') {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) {
        throw new UsageError(`--field ${def.name} takes a number, got "${raw}"`);
      }
      values[name] = n;
    } else if (def?.type === 'multi_select') {
      values[name] = raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    } else if (def?.type === 'user' && !/^[0-9a-f-]{36}$/i.test(raw)) {
      values[name] = (await userIds(f, pm, [raw]))[0]!;
    } else values[name] = raw;
  }
  return values;
}

/** A milestone id for a name or id (`none`: null). */
async function milestoneId(pm: PmClient, project: string, ref: string): Promise<string | null> {
  if (ref === 'none') return null;
  const all = await pm.projects.milestones.list(project).toArray();
  const found =
    all.find((m) => m.id === ref) ?? all.find((m) => m.name.toLowerCase() === ref.toLowerCase());
  if (!found) {
    throw new UsageError(
      `no milestone "${ref}" in this project${all.length ? `; it has: ${all.map((m) => m.name).join(', ')}` : ''}`,
    );
  }
  return found.id;
}

/** `Name=value` as the list filter takes it: `<field id>=value`. */
async function fieldFilter(pm: PmClient, project: string, flag: string): Promise<string> {
  const at = flag.indexOf('=');
  if (at <= 0) throw new UsageError(`--field takes name=value, got "${flag}"`);
  const name = flag.slice(0, at).trim();
  const defs = await pm.projects.fields.list(project);
  const def = defs.find((d) => d.name.toLowerCase() === name.toLowerCase() || d.id === name);
  if (!def) {
    throw new UsageError(
      `no field "${name}" in this project${defs.length ? `; it has: ${defs.map((d) => d.name).join(', ')}` : ''}`,
    );
  }
  return `${def.id}=${flag.slice(at + 1)}`;
}

interface ListOptions {
  project?: string;
  field?: string;
  milestone?: string;
  status?: string[];
  assignee?: string;
  label?: string;
  priority?: string[];
  dueBefore?: string;
  dueAfter?: string;
  parent?: string;
  search?: string;
  sort?: string;
  limit?: number;
}

interface FieldOptions {
  description?: string;
  status?: string;
  priority?: string[];
  assignee?: string[];
  label?: string[];
  estimate?: number;
  start?: string;
  due?: string;
  parent?: string;
  field?: string[];
  milestone?: string;
}

const fieldOptions = (cmd: Command) =>
  cmd
    .option('--description <markdown>', 'the description (markdown)')
    .option('--status <status>', 'a status name, or a category such as started')
    .option('--priority <priority>', PRIORITIES.join(', '), priority)
    .option('--label <label>', 'a label; repeat for more', collect)
    .option('--estimate <minutes>', 'estimate in minutes', minutes)
    .option('--start <date>', 'start date (YYYY-MM-DD, today, friday, +3d…)', dayArg)
    .option('--due <date>', 'due date (YYYY-MM-DD, today, friday, +3d…)', dayArg)
    .option('--parent <task>', 'the parent task (key or id)')
    .option(
      '--field <name=value>',
      'a custom field value (multi-select: a,b; user: e-mail or me; empty clears); repeat for more',
      collect,
    )
    .option('--milestone <name>', 'the milestone (name or id), or none');

export function newCmdTask(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);

  /** Body fields shared by create and update; statuses are looked up in `project`. */
  async function body(pm: PmClient, project: string, o: FieldOptions) {
    const statuses = o.status ? await pm.projects.statuses.list(project) : [];
    const parent = o.parent ? (await pm.tasks.get(taskRef(f, o.parent))).id : undefined;
    return {
      ...(o.description !== undefined ? { description: o.description } : {}),
      ...(o.status ? { statusId: findStatus(statuses, o.status).id } : {}),
      ...(o.priority ? { priority: o.priority.at(-1) as Priority } : {}),
      ...(o.assignee ? { assigneeIds: await userIds(f, pm, o.assignee) } : {}),
      ...(o.label ? { labels: o.label } : {}),
      ...(o.estimate !== undefined ? { estimateMinutes: o.estimate } : {}),
      ...(o.start ? { startDate: resolveDay(o.start, f.clock.now()) } : {}),
      ...(o.due ? { dueDate: resolveDay(o.due, f.clock.now()) } : {}),
      ...(parent ? { parentId: parent } : {}),
      ...(o.field ? { fields: await fieldValues(f, pm, project, o.field) } : {}),
      ...(o.milestone ? { milestoneId: await milestoneId(pm, project, o.milestone) } : {}),
    };
  }

  const list = new Command('list')
    .alias('ls')
    .description('List the tasks of a project (--project, else the default project)')
    .option('--project <key>', 'the project (default: `pm project use`)')
    .option(
      '--status <status>',
      'a status name or a category (started, completed…); repeat for more',
      collect,
    )
    .option('--assignee <user>', 'a user id, or me')
    .option('--label <label>', 'only tasks with this label')
    .option('--priority <priority>', 'only these priorities; repeat for more', priority)
    .option('--due-before <date>', 'due on or before (YYYY-MM-DD, today, friday, +1w…)', dayArg)
    .option('--due-after <date>', 'due on or after (YYYY-MM-DD, today, friday, -1w…)', dayArg)
    .option('--parent <task>', 'subtasks of this task (key or id), or none for top-level tasks')
    .option('--search <text>', 'full-text search over titles and descriptions, best match first')
    .option('--milestone <name>', 'tasks of this milestone (name or id), or none')
    .option(
      '--field <name=value>',
      'tasks whose custom field has this value (multi-select: includes it)',
    )
    .option('--sort <fields>', 'created, updated, priority, due, position; - for descending')
    .option('--limit <n>', 'show at most n tasks', positive)
    .addHelpText(
      'after',
      `
Examples:
  $ pm task list --assignee me --status started
  $ pm task list --label bug --priority high --due-before 2026-12-01
  $ pm task list --parent WEB-1 --json
  $ pm task list --search "login" --format csv`,
    )
    .action(async (o: ListOptions) => {
      const project = currentProject(f, o.project);
      const pm = f.client();
      const milestone =
        o.milestone === undefined
          ? undefined
          : ((await milestoneId(pm, project, o.milestone)) ?? 'none');
      const field = o.field ? await fieldFilter(pm, project, o.field) : undefined;
      const statuses = o.status ?? [];
      const categories = statuses.filter((s) => CATEGORIES.includes(s as StatusCategory));
      const names = statuses.filter((s) => !CATEGORIES.includes(s as StatusCategory));
      const tasks = await withSpinner(f, 'Loading tasks…', () =>
        pm.tasks
          .list(
            project,
            {
              ...(names.length ? { status: names } : {}),
              ...(categories.length ? { category: categories } : {}),
              ...(o.assignee ? { assignee: o.assignee } : {}),
              ...(milestone ? { milestone } : {}),
              ...(field ? { field } : {}),
              ...(o.label ? { label: o.label } : {}),
              ...(o.priority ? { priority: o.priority } : {}),
              ...(o.dueBefore ? { dueBefore: resolveDay(o.dueBefore, f.clock.now()) } : {}),
              ...(o.dueAfter ? { dueAfter: resolveDay(o.dueAfter, f.clock.now()) } : {}),
              ...(o.parent ? { parent: o.parent === 'none' ? 'none' : taskRef(f, o.parent) } : {}),
              ...(o.search ? { q: o.search } : {}),
              ...(o.sort ? { sort: o.sort } : {}),
              ...(o.limit ? { limit: Math.min(o.limit, 200) } : {}),
            },
            o.limit ? { maxItems: o.limit } : {},
          )
          .toArray(),
      );
      out().list(tasks, taskColumns);
    });

  const show = new Command('show')
    .description('Show a task (default: the one the git branch names, such as WEB-42-fix-login)')
    .argument('[task]', 'its key (WEB-42) or id')
    .action(async (ref?: string) => {
      out().record(await f.client().tasks.get(taskRef(f, ref)), detailColumns);
    });

  const create = fieldOptions(
    new Command('create')
      .description('Create a task in a project (--project, else the default project)')
      .argument('<title>', 'the title')
      .option('--project <key>', 'the project (default: `pm project use`)')
      .option('--assignee <user>', 'an e-mail address, or me; repeat for more', collect),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm task create "Fix the login page" --priority high --label bug --assignee me\n  $ pm task create "Subtask" --parent WEB-1 --json',
    )
    .action(async (title: string, o: FieldOptions & { project?: string }) => {
      const project = currentProject(f, o.project);
      const pm = f.client();
      const task = await pm.tasks.create(project, { title, ...(await body(pm, project, o)) });
      out().record(task, detailColumns);
      notice(f, `Created ${task.key}`);
    });

  const update = fieldOptions(
    new Command('update')
      .description('Change a task (default: the one the git branch names)')
      .argument('[task]', 'its key (WEB-42) or id')
      .option('--title <title>', 'the title')
      .option('--if-match <version>', 'refuse (exit 5) if it changed since this version'),
  )
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm task update WEB-42 --priority urgent --due 2026-12-01',
    )
    .action(
      async (ref: string | undefined, o: FieldOptions & { title?: string; ifMatch?: string }) => {
        const pm = f.client();
        const task = await pm.tasks.get(taskRef(f, ref));
        const changes = {
          ...(o.title ? { title: o.title } : {}),
          ...(await body(pm, task.projectId, o)),
        };
        if (Object.keys(changes).length === 0) {
          throw new UsageError('nothing to change: pass --title, --status, --priority, …');
        }
        const updated = await pm.tasks.update(task.id, changes, {
          ifMatch: o.ifMatch
            ? /^\d+$/.test(o.ifMatch)
              ? Number(o.ifMatch)
              : o.ifMatch
            : task.version,
        });
        out().record(updated, detailColumns);
        notice(f, `Updated ${updated.key}`);
      },
    );

  async function moveTo(ref: string | undefined, status: (s: WorkflowStatus[]) => WorkflowStatus) {
    const pm = f.client();
    const task = await pm.tasks.get(taskRef(f, ref));
    const target = status(await pm.projects.statuses.list(task.projectId));
    const moved =
      task.status.id === target.id
        ? task
        : await pm.tasks.update(task.id, { statusId: target.id }, { ifMatch: task.version });
    out().record(moved, taskColumns);
    notice(f, `${moved.key} is ${target.name}`);
  }

  const move = new Command('move')
    .description(
      'Move a task to a status: `pm task move WEB-42 "In Review"`, or just the status on a task branch',
    )
    .argument('<args...>', '[task] <status>: a status name, or a category such as started')
    .action(async (args: string[]) => {
      if (args.length > 2) throw new UsageError('expected [task] <status>');
      const [ref, status] = args.length === 2 ? args : [undefined, args[0]!];
      await moveTo(ref, (statuses) => findStatus(statuses, status!));
    });

  const done = new Command('done')
    .description("Move a task to its workflow's first completed status")
    .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
    .action(async (ref?: string) => {
      await moveTo(ref, (statuses) => {
        const completed = statuses.find((s) => s.category === 'completed');
        if (!completed) throw new CliError('this workflow has no completed status');
        return completed;
      });
    });

  const assign = new Command('assign')
    .description('Add or remove assignees of a task, by e-mail or me')
    .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
    .option('--add <user>', 'an e-mail address, or me; repeat for more', collect)
    .option('--remove <user>', 'an e-mail address, or me; repeat for more', collect)
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm task assign WEB-42 --add me\n  $ pm task assign --add grace@example.com --remove me',
    )
    .action(async (ref: string | undefined, o: { add?: string[]; remove?: string[] }) => {
      if (!o.add && !o.remove) throw new UsageError('pass --add or --remove');
      const pm = f.client();
      const task = await pm.tasks.get(taskRef(f, ref));
      const add = await userIds(f, pm, o.add ?? []);
      const remove = new Set(await userIds(f, pm, o.remove ?? []));
      const assignees = [...new Set([...task.assigneeIds, ...add])].filter((id) => !remove.has(id));
      const updated = await pm.tasks.update(
        task.id,
        { assigneeIds: assignees },
        { ifMatch: task.version },
      );
      out().record(updated, detailColumns);
      notice(f, `${updated.key} has ${updated.assigneeIds.length} assignee(s)`);
    });

  const del = new Command('delete')
    .description('Delete a task (restore it with the API or SDK: pm.tasks.restore)')
    .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
    .action(async (ref?: string) => {
      const key = taskRef(f, ref);
      await f.client().tasks.delete(key);
      notice(f, `Deleted ${key}`);
    });

  const link = new Command('link')
    .description('Make a task block another, or wait for one (any project of the organization)')
    .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
    .option('--blocks <task>', 'the task that waits for this one')
    .option('--blocked-by <task>', 'the task this one waits for')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm task link WEB-1 --blocks WEB-2\n  $ pm task link --blocked-by API-7      # on branch WEB-3-…: WEB-3 waits for API-7',
    )
    .action(async (ref: string | undefined, o: { blocks?: string; blockedBy?: string }) => {
      if (!o.blocks === !o.blockedBy) throw new UsageError('pass one of --blocks and --blocked-by');
      const key = taskRef(f, ref);
      const links = await f
        .client()
        .tasks.dependencies.add(
          key,
          o.blocks ? { blocks: taskRef(f, o.blocks) } : { blockedBy: taskRef(f, o.blockedBy) },
        );
      out().list(linkRows(links), linkColumns);
      notice(f, o.blocks ? `${key} blocks ${o.blocks}` : `${key} waits for ${o.blockedBy}`);
    });

  const unlink = new Command('unlink')
    .description('Remove the link between two tasks, whichever way it runs')
    .argument('<tasks...>', '[task] <other>: keys or ids (task defaults to the git branch)')
    .action(async (args: string[]) => {
      if (args.length > 2) throw new UsageError('expected [task] <other>');
      const [ref, other] = args.length === 2 ? args : [undefined, args[0]!];
      const key = taskRef(f, ref);
      await f.client().tasks.dependencies.remove(key, taskRef(f, other));
      notice(f, `Unlinked ${key} and ${other}`);
    });

  const deps = new Command('deps')
    .description('What a task blocks and what blocks it')
    .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
    .action(async (ref?: string) => {
      const links = await f.client().tasks.dependencies.list(taskRef(f, ref));
      out().list(linkRows(links), linkColumns);
    });

  const activity = new Command('activity')
    .description('Who changed what on a task, newest first')
    .argument('[task]', 'its key (WEB-42) or id (default: the one the git branch names)')
    .option('--limit <n>', 'show at most n entries', positive)
    .action(async (ref: string | undefined, o: { limit?: number }) => {
      const entries = await f
        .client()
        .tasks.activity(taskRef(f, ref), {}, o.limit ? { maxItems: o.limit } : {})
        .toArray();
      out().list(entries, activityColumns);
    });

  const tree = new Command('tree')
    .description("Draw a task's subtasks as a tree (or the whole project's, without a task)")
    .argument('[task]', 'its key (WEB-42) or id')
    .option('--project <key>', 'the project, when no task is given (default: `pm project use`)')
    .addHelpText('after', '\nExamples:\n  $ pm task tree WEB-1\n  $ pm task tree --json')
    .action(async (ref: string | undefined, o: { project?: string }) => {
      const pm = f.client();
      const root = ref ? await pm.tasks.get(taskRef(f, ref)) : undefined;
      const project = root ? root.projectId : currentProject(f, o.project);
      const tasks = await withSpinner(f, 'Loading tasks…', () =>
        pm.tasks.list(project, { sort: 'position' }).toArray(),
      );
      const children = new Map<string | null, Task[]>();
      for (const task of tasks) {
        const siblings = children.get(task.parentId) ?? [];
        siblings.push(task);
        children.set(task.parentId, siblings);
      }
      const nest = (task: Task): TreeNode => ({
        key: task.key,
        title: task.title,
        status: task.status.name,
        children: (children.get(task.id) ?? []).map(nest),
      });
      const roots = root ? [nest(root)] : (children.get(null) ?? []).map(nest);
      if (f.globals.json) {
        f.io.stdout.write(`${JSON.stringify(root ? roots[0] : roots, null, 2)}\n`);
        return;
      }
      const lines: string[] = [];
      const draw = (node: TreeNode, prefix: string, last: boolean, top: boolean) => {
        const branch = top ? '' : last ? '└── ' : '├── ';
        lines.push(`${prefix}${branch}${node.key} [${node.status}] ${node.title}`);
        const next = top ? '' : `${prefix}${last ? '    ' : '│   '}`;
        node.children.forEach((child, i) => {
          draw(child, next, i === node.children.length - 1, false);
        });
      };
      for (const node of roots) draw(node, '', true, true);
      f.io.stdout.write(lines.length ? `${lines.join('\n')}\n` : '');
    });

  const bulk = new Command('bulk')
    .description('Apply one change to many tasks (up to 500) in one transaction')
    .argument(
      '<tasks...>',
      'keys or ids; - reads them from stdin (any text: WEB-42 keys are picked out)',
    )
    .option('--status <status>', 'move to this status (name, in each task’s own workflow)')
    .option('--priority <priority>', PRIORITIES.join(', '))
    .option('--add-label <label>', 'add a label; repeat for more', collect)
    .option('--remove-label <label>', 'remove a label; repeat for more', collect)
    .option('--assign <user>', 'add an assignee (e-mail or me); repeat for more', collect)
    .option('--unassign <user>', 'remove an assignee (e-mail or me); repeat for more', collect)
    .option('--delete', 'delete them')
    .option(
      '--project <key>',
      'move them to this project (key or id): new keys, statuses matched by category; subtasks go with their parent',
    )
    .addHelpText(
      'after',
      `
Exits 1 when any task could not take the change (one line each on stderr); the others changed.

Examples:
  $ pm task bulk WEB-1 WEB-2 WEB-7 --status Done
  $ git log --format=%B origin/main..HEAD | pm task bulk - --status "In Review"
  $ pm task list --label stale --json | jq -r '.[].key' | pm task bulk - --delete
  $ pm task bulk WEB-12 WEB-13 --project OPS`,
    )
    .action(async (refs: string[], o: BulkOptions) => {
      const pm = f.client();
      const change = await bulkChange(pm, o);
      let keys = refs.filter((r) => r !== '-');
      if (refs.includes('-')) {
        const text = await readAll(f.io.stdin);
        keys.push(...(text.match(/\b[A-Za-z][A-Za-z0-9]{1,9}-[1-9][0-9]*\b/g) ?? []));
      }
      keys = [...new Set(keys.map((k) => taskRef(f, k)))];
      if (keys.length === 0) {
        notice(f, 'No tasks named: nothing to do');
        return;
      }
      const result = await pm.tasks.bulk(keys, change);
      // A move gives new keys: the task as named, and the key it has now.
      const moving = 'project' in change;
      const changed = (r: { task: string; key: string | null }) =>
        moving && r.key !== r.task ? `moved to ${r.key}` : 'changed';
      out().list(result.results, [
        { header: 'Task', value: (r) => (moving ? r.task : (r.key ?? r.task)) },
        { header: 'Result', value: (r) => (r.ok ? changed(r) : `failed (${r.error?.status})`) },
        { header: 'Detail', value: (r) => r.error?.detail ?? null },
      ]);
      for (const failed of result.results.filter((r) => !r.ok)) {
        f.io.stderr.write(`${failed.task}: ${failed.error?.detail}\n`);
      }
      notice(f, `${result.applied} changed, ${result.failed} failed`);
      if (result.failed > 0) throw new SilentError(ExitCode.error);
    });

  async function bulkChange(pm: PmClient, o: BulkOptions) {
    const changes = [
      o.status !== undefined ? { status: o.status } : undefined,
      o.priority ? { priority: o.priority.at(-1) as Priority } : undefined,
      o.addLabel || o.removeLabel
        ? {
            labels: {
              ...(o.addLabel ? { add: o.addLabel } : {}),
              ...(o.removeLabel ? { remove: o.removeLabel } : {}),
            },
          }
        : undefined,
      o.assign || o.unassign
        ? {
            assignees: {
              ...(o.assign ? { add: await userIds(f, pm, o.assign) } : {}),
              ...(o.unassign ? { remove: await userIds(f, pm, o.unassign) } : {}),
            },
          }
        : undefined,
      o.delete ? { delete: true as const } : undefined,
      o.project !== undefined
        ? { project: /^[a-z][a-z0-9]{1,9}$/i.test(o.project) ? o.project.toUpperCase() : o.project }
        : undefined,
    ].filter((c) => c !== undefined);
    if (changes.length !== 1) {
      throw new UsageError(
        'pass exactly one change: --status, --priority, --add-label/--remove-label, --assign/--unassign, --delete or --project',
      );
    }
    return changes[0]!;
  }

  return new Command('task')
    .description(
      'Tasks: list, show, create, update, move, done, assign, delete, link, unlink, deps, tree, activity, bulk',
    )
    .addCommand(list)
    .addCommand(show)
    .addCommand(create)
    .addCommand(update)
    .addCommand(move)
    .addCommand(done)
    .addCommand(assign)
    .addCommand(del)
    .addCommand(link)
    .addCommand(unlink)
    .addCommand(deps)
    .addCommand(tree)
    .addCommand(activity)
    .addCommand(bulk);
}

interface BulkOptions {
  status?: string;
  priority?: string[];
  addLabel?: string[];
  removeLabel?: string[];
  assign?: string[];
  unassign?: string[];
  delete?: boolean;
  project?: string;
}

interface TreeNode {
  key: string;
  title: string;
  status: string;
  children: TreeNode[];
}

type LinkRow = TaskLink & { relation: 'blocks' | 'blocked by' };

const linkRows = (links: { blocks: TaskLink[]; blockedBy: TaskLink[] }): LinkRow[] => [
  ...links.blockedBy.map((t) => ({ ...t, relation: 'blocked by' as const })),
  ...links.blocks.map((t) => ({ ...t, relation: 'blocks' as const })),
];

const linkColumns: Column<LinkRow>[] = [
  { header: 'Relation', value: (t) => t.relation },
  { header: 'Key', value: (t) => t.key },
  { header: 'Title', value: (t) => t.title },
  { header: 'Category', value: (t) => t.statusCategory },
];

const activityColumns: Column<TaskActivity>[] = [
  { header: 'When', value: (a) => a.createdAt, time: true },
  { header: 'Who', value: (a) => a.actor.name ?? a.actor.kind },
  { header: 'Action', value: (a) => a.action },
  { header: 'Changes', value: (a) => JSON.stringify(a.changes) },
];
