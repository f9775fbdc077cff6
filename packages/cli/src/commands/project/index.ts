import type { Project, ProjectState } from '@pmkit/sdk';
import { Command, InvalidArgumentError, Option } from 'commander';
import { positive } from '../../args.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice, withSpinner } from '../../output/status.js';
import { currentProject } from '../../project-scope.js';
import {
  findTemplate,
  newCmdProjectField,
  newCmdProjectMilestone,
  newCmdProjectTemplate,
} from './parts.js';

const STATES: ProjectState[] = ['active', 'on_hold', 'completed'];

export const projectColumns: Column<Project>[] = [
  { header: 'Key', value: (p) => p.key },
  { header: 'Name', value: (p) => p.name },
  { header: 'Status', value: (p) => p.status },
  { header: 'Start', value: (p) => p.startDate },
  { header: 'Due', value: (p) => p.dueDate },
  { header: 'Client', value: (p) => p.clientName },
  { header: 'Archived', value: (p) => p.archivedAt, time: true },
  { header: 'Id', value: (p) => p.id },
];

export const projectDetailColumns: Column<Project>[] = [
  ...projectColumns.slice(0, 6),
  { header: 'Budget Hours', value: (p) => (p.budgetHours === null ? null : String(p.budgetHours)) },
  { header: 'Budget', value: (p) => (p.budget ? `${p.budget.amount} ${p.budget.currency}` : null) },
  { header: 'Description', value: (p) => p.description },
  ...projectColumns.slice(6),
  { header: 'Version', value: (p) => String(p.version) },
];

const date = (value: string) => {
  if (!/^\d{4}-\d\d-\d\d$/.test(value)) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
};
const nonNegative = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
};
const money = (value: string) => {
  const match = /^(\d{1,12}(?:\.\d{1,2})?)\s*([A-Za-z]{3})$/.exec(value.trim());
  if (!match)
    throw new InvalidArgumentError('expected an amount and a currency, such as "12000 EUR"');
  return { amount: match[1]!, currency: match[2]!.toUpperCase() };
};

export interface ProjectFields {
  name?: string;
  description?: string;
  status?: ProjectState;
  start?: string;
  due?: string;
  budgetHours?: number;
  budget?: { amount: string; currency: string };
  client?: string;
}

/** The flags of a project's fields (create, update, and `pm lead convert`). */
export const projectFieldOptions = (cmd: Command) =>
  cmd
    .option('--description <text>', 'what the project is about')
    .addOption(new Option('--status <status>', 'project status').choices(STATES))
    .option('--start <date>', 'start date (YYYY-MM-DD)', date)
    .option('--due <date>', 'due date (YYYY-MM-DD)', date)
    .option('--budget-hours <hours>', 'budgeted hours', nonNegative)
    .option('--budget <amount>', 'budget with currency, such as "12000 EUR"', money)
    .option('--client <name>', 'client name');

/** The request fields for the flags given. */
export const projectBody = (o: ProjectFields) => ({
  ...(o.name !== undefined ? { name: o.name } : {}),
  ...(o.description !== undefined ? { description: o.description } : {}),
  ...(o.status ? { status: o.status } : {}),
  ...(o.start ? { startDate: o.start } : {}),
  ...(o.due ? { dueDate: o.due } : {}),
  ...(o.budgetHours !== undefined ? { budgetHours: o.budgetHours } : {}),
  ...(o.budget ? { budget: o.budget } : {}),
  ...(o.client !== undefined ? { clientName: o.client } : {}),
});

export function newCmdProject(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);
  const project = (given: string | undefined) => given ?? currentProject(f, undefined);

  const list = new Command('list')
    .alias('ls')
    .description('List the projects of the current organization, newest first')
    .addOption(new Option('--status <status>', 'only projects in this status').choices(STATES))
    .option('--archived', 'only archived projects')
    .option('--all', 'archived projects too')
    .option('--limit <n>', 'show at most n projects', positive)
    .addHelpText('after', '\nExamples:\n  $ pm project list\n  $ pm project list --archived --json')
    .action(
      async (o: { status?: ProjectState; archived?: boolean; all?: boolean; limit?: number }) => {
        const org = currentOrg(f);
        const pm = f.client();
        const projects = await withSpinner(f, 'Loading projects…', () =>
          pm.projects
            .list(
              org,
              {
                ...(o.status ? { status: o.status } : {}),
                archived: o.archived ? 'only' : o.all ? 'include' : 'exclude',
              },
              o.limit ? { maxItems: o.limit } : {},
            )
            .toArray(),
        );
        out().list(projects, projectColumns);
      },
    );

  const create = projectFieldOptions(
    new Command('create')
      .description('Create a project (with the default workflow) in the current organization')
      .argument(
        '<key>',
        'its key: 2–10 capitals or digits, such as WEB (task keys are WEB-1, WEB-2…)',
      )
      .argument('<name>', 'its name'),
  )
    .option('--use', 'make it the default project of task commands')
    .option(
      '--template <template>',
      "copy a template's workflow, fields, milestones and tasks (name or id); dates follow --start",
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm project create WEB "Website" --due 2026-12-01 --budget "12000 EUR" --use\n  $ pm project create SHOP "Shop" --template Website --start 2027-01-04',
    )
    .action(
      async (
        key: string,
        name: string,
        o: ProjectFields & { use?: boolean; template?: string },
      ) => {
        const pm = f.client();
        const org = currentOrg(f);
        const template = o.template ? await findTemplate(pm, org, o.template) : undefined;
        const created = await pm.projects.create(org, {
          ...projectBody(o),
          key: key.toUpperCase(),
          name,
          ...(template ? { templateId: template.id } : {}),
        });
        out().record(created, projectDetailColumns);
        notice(f, `Created project ${created.key}`);
        if (o.use) f.config().update(f.settings().profile, { project: created.key });
      },
    );

  const show = new Command('show')
    .description('Show a project (the default project when none is named)')
    .argument('[project]', 'its key or id')
    .action(async (ref?: string) => {
      out().record(await f.client().projects.get(project(ref)), projectDetailColumns);
    });

  const update = projectFieldOptions(
    new Command('update')
      .description('Change a project (the default project when none is named)')
      .argument('[project]', 'its key or id')
      .option('--name <name>', 'its name'),
  )
    .option('--if-match <version>', 'refuse (exit 5) if it changed since this version')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm project update WEB --status on_hold\n  $ pm project update --due 2027-01-31',
    )
    .action(async (ref: string | undefined, o: ProjectFields & { ifMatch?: string }) => {
      const body = projectBody(o);
      if (Object.keys(body).length === 0) {
        throw new InvalidArgumentError('nothing to change: pass --name, --status, --due, …');
      }
      const updated = await f.client().projects.update(project(ref), body, {
        ...(o.ifMatch ? { ifMatch: /^\d+$/.test(o.ifMatch) ? Number(o.ifMatch) : o.ifMatch } : {}),
      });
      out().record(updated, projectDetailColumns);
      notice(f, `Updated project ${updated.key}`);
    });

  const simple = (
    name: string,
    description: string,
    verb: string,
    act: (ref: string) => Promise<Project | undefined>,
  ) =>
    new Command(name)
      .description(description)
      .argument('<project>', 'its key or id')
      .action(async (ref: string) => {
        const result = await act(ref);
        if (result) out().record(result, projectColumns);
        notice(f, `${verb} project ${result?.key ?? ref}`);
      });

  const use = new Command('use')
    .description('Make a project the default of task commands in this profile')
    .argument('<project>', 'its key or id')
    .addHelpText('after', '\nExamples:\n  $ pm project use WEB\n  $ pm task list   # lists WEB')
    .action(async (ref: string) => {
      const found = await f.client().projects.get(ref);
      f.config().update(f.settings().profile, { project: found.key });
      notice(f, `Using project ${found.key} (${found.name})`);
    });

  const criticalPath = new Command('critical-path')
    .description('The longest chain of unfinished tasks by estimate, through their dependencies')
    .argument('[project]', 'its key or id (default: `pm project use`)')
    .action(async (ref?: string) => {
      const path = await f.client().projects.criticalPath(currentProject(f, ref));
      if (f.globals.json) {
        f.io.stdout.write(`${JSON.stringify(path, null, 2)}\n`);
        return;
      }
      out().list(path.tasks, [
        { header: 'Key', value: (t) => t.key },
        { header: 'Title', value: (t) => t.title },
        { header: 'Category', value: (t) => t.statusCategory },
        {
          header: 'Estimate (min)',
          value: (t) => (t.estimateMinutes === null ? null : String(t.estimateMinutes)),
        },
      ]);
      const h = Math.floor(path.totalMinutes / 60);
      notice(
        f,
        `Total ${h}:${String(path.totalMinutes % 60).padStart(2, '0')} (${path.totalMinutes} min)`,
      );
    });

  return new Command('project')
    .description(
      'Projects: list, create, show, update, archive, restore, delete, use, template, field, milestone, critical-path',
    )
    .addCommand(criticalPath)
    .addCommand(list)
    .addCommand(create)
    .addCommand(show)
    .addCommand(update)
    .addCommand(
      simple('archive', 'Archive a project: read-only and hidden from lists', 'Archived', (ref) =>
        f.client().projects.archive(ref),
      ),
    )
    .addCommand(
      simple(
        'restore',
        'Restore an archived (or, as an Admin, deleted) project',
        'Restored',
        (ref) => f.client().projects.restore(ref),
      ),
    )
    .addCommand(
      simple('delete', 'Delete a project (an Admin can restore it)', 'Deleted', async (ref) => {
        await f.client().projects.delete(ref);
        return undefined;
      }),
    )
    .addCommand(use)
    .addCommand(newCmdProjectTemplate(f))
    .addCommand(newCmdProjectField(f))
    .addCommand(newCmdProjectMilestone(f));
}
