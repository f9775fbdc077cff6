import type {
  FieldType,
  FieldValue,
  Milestone,
  PmClient,
  ProjectField,
  ProjectTemplate,
} from '@pmkit/sdk';
import { Command, InvalidArgumentError, Option } from 'commander';
import { collect } from '../../args.js';
import { UsageError } from '../../errors.js';
import type { Factory } from '../../factory.js';
import { currentOrg } from '../../org-scope.js';
import { type Column, createOutput } from '../../output/index.js';
import { notice } from '../../output/status.js';
import { currentProject } from '../../project-scope.js';

const TYPES: FieldType[] = ['text', 'number', 'date', 'select', 'multi_select', 'user'];

const date = (value: string) => {
  if (!/^\d{4}-\d\d-\d\d$/.test(value)) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
};

const templateColumns: Column<ProjectTemplate>[] = [
  { header: 'Name', value: (t) => t.name },
  { header: 'Statuses', value: (t) => String(t.counts.statuses) },
  { header: 'Fields', value: (t) => String(t.counts.fields) },
  { header: 'Milestones', value: (t) => String(t.counts.milestones) },
  { header: 'Tasks', value: (t) => String(t.counts.tasks) },
  { header: 'Created', value: (t) => t.createdAt, time: true },
  { header: 'Id', value: (t) => t.id },
];

const fieldColumns: Column<ProjectField>[] = [
  { header: 'Name', value: (d) => d.name },
  { header: 'Type', value: (d) => d.type },
  { header: 'Options', value: (d) => d.options.join(',') },
  { header: 'Required', value: (d) => (d.required ? 'yes' : 'no') },
  { header: 'Default', value: (d) => (d.default === null ? null : String(d.default)) },
  { header: 'Id', value: (d) => d.id },
];

const milestoneColumns: Column<Milestone>[] = [
  { header: 'Name', value: (m) => m.name },
  { header: 'Due', value: (m) => m.dueDate },
  { header: 'Done', value: (m) => `${m.progress.done}/${m.progress.total}` },
  {
    header: 'Estimate Done (min)',
    value: (m) => `${m.progress.doneEstimateMinutes}/${m.progress.totalEstimateMinutes}`,
  },
  { header: 'Id', value: (m) => m.id },
];

/** A template by id or name (any case) in the current organization. */
export async function findTemplate(
  pm: PmClient,
  org: string,
  ref: string,
): Promise<ProjectTemplate> {
  const all = await pm.projects.templates.list(org).toArray();
  const found =
    all.find((t) => t.id === ref) ?? all.find((t) => t.name.toLowerCase() === ref.toLowerCase());
  if (!found) {
    throw new UsageError(
      `no project template "${ref}"${all.length ? `; there are: ${all.map((t) => t.name).join(', ')}` : ''}`,
    );
  }
  return found;
}

async function findField(pm: PmClient, project: string, ref: string): Promise<ProjectField> {
  const all = await pm.projects.fields.list(project);
  const found =
    all.find((d) => d.id === ref) ?? all.find((d) => d.name.toLowerCase() === ref.toLowerCase());
  if (!found) {
    throw new UsageError(
      `no field "${ref}" in this project${all.length ? `; it has: ${all.map((d) => d.name).join(', ')}` : ''}`,
    );
  }
  return found;
}

async function findMilestone(pm: PmClient, project: string, ref: string): Promise<Milestone> {
  const all = await pm.projects.milestones.list(project).toArray();
  const found =
    all.find((m) => m.id === ref) ?? all.find((m) => m.name.toLowerCase() === ref.toLowerCase());
  if (!found) {
    throw new UsageError(
      `no milestone "${ref}" in this project${all.length ? `; it has: ${all.map((m) => m.name).join(', ')}` : ''}`,
    );
  }
  return found;
}

/** A `--default` typed for the field. */
function typedDefault(type: FieldType, raw: string): FieldValue {
  if (raw === '') return null;
  if (type === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new UsageError(`--default takes a number, got "${raw}"`);
    return n;
  }
  if (type === 'multi_select') return raw.split(',').map((v) => v.trim());
  return raw;
}

export function newCmdProjectTemplate(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);
  const save = new Command('save')
    .description('Save a project (default: the current one) as a template')
    .argument('[project]', 'its key or id')
    .requiredOption('--name <name>', 'the template name')
    .option('--description <text>', 'what it is for')
    .addHelpText('after', '\nExamples:\n  $ pm project template save WEB --name "Website"')
    .action(async (ref: string | undefined, o: { name: string; description?: string }) => {
      const created = await f.client().projects.templates.create(currentOrg(f), {
        projectId: ref ?? currentProject(f, undefined),
        name: o.name,
        ...(o.description !== undefined ? { description: o.description } : {}),
      });
      out().record(created, templateColumns);
      notice(f, `Saved template ${created.name} (${created.counts.tasks} tasks)`);
    });
  const list = new Command('list')
    .alias('ls')
    .description('List the project templates of the current organization')
    .action(async () => {
      out().list(
        await f.client().projects.templates.list(currentOrg(f)).toArray(),
        templateColumns,
      );
    });
  const show = new Command('show')
    .description('Show a project template')
    .argument('<template>', 'its name or id')
    .action(async (ref: string) => {
      out().record(await findTemplate(f.client(), currentOrg(f), ref), templateColumns);
    });
  const remove = new Command('delete')
    .description('Delete a project template (projects made from it stay)')
    .argument('<template>', 'its name or id')
    .action(async (ref: string) => {
      const pm = f.client();
      const org = currentOrg(f);
      const found = await findTemplate(pm, org, ref);
      await pm.projects.templates.delete(org, found.id);
      notice(f, `Deleted template ${found.name}`);
    });
  return new Command('template')
    .description('Project templates: save, list, show, delete (use: pm project create --template)')
    .addCommand(save)
    .addCommand(list)
    .addCommand(show)
    .addCommand(remove);
}

interface FieldFlags {
  project?: string;
  option?: string[];
  required?: boolean;
  default?: string;
}

export function newCmdProjectField(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);
  const projectOf = (o: { project?: string }) => currentProject(f, o.project);
  const list = new Command('list')
    .alias('ls')
    .description("List a project's custom fields")
    .option('--project <key>', 'the project (default: `pm project use`)')
    .action(async (o: { project?: string }) => {
      out().list(await f.client().projects.fields.list(projectOf(o)), fieldColumns);
    });
  const create = new Command('add')
    .description('Define a custom field')
    .argument('<name>', 'its name')
    .argument('<type>', TYPES.join(', '))
    .option('--project <key>', 'the project (default: `pm project use`)')
    .option('--option <value>', 'an option of a select or multi_select; repeat for more', collect)
    .option('--required', 'tasks must have a value')
    .option('--default <value>', 'the value new tasks get (multi_select: a,b)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ pm project field add Severity select --option low --option high --default low',
    )
    .action(async (name: string, type: string, o: FieldFlags) => {
      if (!TYPES.includes(type as FieldType)) {
        throw new UsageError(`<type> must be one of ${TYPES.join(', ')}`);
      }
      const created = await f.client().projects.fields.create(projectOf(o), {
        name,
        type: type as FieldType,
        ...(o.option ? { options: o.option } : {}),
        ...(o.required ? { required: true } : {}),
        ...(o.default !== undefined ? { default: typedDefault(type as FieldType, o.default) } : {}),
      });
      out().record(created, fieldColumns);
      notice(f, `Added field ${created.name}`);
    });
  const update = new Command('update')
    .description('Change a custom field')
    .argument('<field>', 'its name or id')
    .option('--project <key>', 'the project (default: `pm project use`)')
    .option('--name <name>', 'a new name')
    .option('--option <value>', 'the options, replacing them; repeat for more', collect)
    .addOption(new Option('--required', 'tasks must have a value'))
    .addOption(new Option('--optional', 'tasks may go without').conflicts('required'))
    .option('--default <value>', 'the default (empty clears it)')
    .action(async (ref: string, o: FieldFlags & { name?: string; optional?: boolean }) => {
      const pm = f.client();
      const project = projectOf(o);
      const field = await findField(pm, project, ref);
      const body = {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.option ? { options: o.option } : {}),
        ...(o.required ? { required: true } : o.optional ? { required: false } : {}),
        ...(o.default !== undefined ? { default: typedDefault(field.type, o.default) } : {}),
      };
      if (Object.keys(body).length === 0) {
        throw new UsageError('nothing to change: pass --name, --option, --required, --default');
      }
      const updated = await pm.projects.fields.update(project, field.id, body);
      out().record(updated, fieldColumns);
      notice(f, `Updated field ${updated.name}`);
    });
  const remove = new Command('remove')
    .alias('rm')
    .description('Remove a custom field and its values from every task')
    .argument('<field>', 'its name or id')
    .option('--project <key>', 'the project (default: `pm project use`)')
    .action(async (ref: string, o: { project?: string }) => {
      const pm = f.client();
      const project = projectOf(o);
      const field = await findField(pm, project, ref);
      await pm.projects.fields.delete(project, field.id);
      notice(f, `Removed field ${field.name}`);
    });
  return new Command('field')
    .description('Custom fields of a project: list, add, update, remove')
    .addCommand(list)
    .addCommand(create)
    .addCommand(update)
    .addCommand(remove);
}

interface MilestoneFlags {
  project?: string;
  name?: string;
  due?: string;
  description?: string;
}

export function newCmdProjectMilestone(f: Factory): Command {
  const out = () => createOutput(f.io, f.globals);
  const projectOf = (o: { project?: string }) => currentProject(f, o.project);
  const list = new Command('list')
    .alias('ls')
    .description("List a project's milestones with their progress")
    .option('--project <key>', 'the project (default: `pm project use`)')
    .action(async (o: { project?: string }) => {
      out().list(
        await f.client().projects.milestones.list(projectOf(o)).toArray(),
        milestoneColumns,
      );
    });
  const add = new Command('add')
    .description('Add a milestone')
    .argument('<name>', 'its name')
    .option('--project <key>', 'the project (default: `pm project use`)')
    .option('--due <date>', 'due date (YYYY-MM-DD)', date)
    .option('--description <text>', 'what it means')
    .addHelpText('after', '\nExamples:\n  $ pm project milestone add Beta --due 2027-03-01')
    .action(async (name: string, o: MilestoneFlags) => {
      const created = await f.client().projects.milestones.create(projectOf(o), {
        name,
        ...(o.due ? { dueDate: o.due } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
      });
      out().record(created, milestoneColumns);
      notice(f, `Added milestone ${created.name}`);
    });
  const update = new Command('update')
    .description('Change a milestone')
    .argument('<milestone>', 'its name or id')
    .option('--project <key>', 'the project (default: `pm project use`)')
    .option('--name <name>', 'a new name')
    .option('--due <date>', 'due date (YYYY-MM-DD), or none', (v) => (v === 'none' ? v : date(v)))
    .option('--description <text>', 'what it means')
    .action(async (ref: string, o: MilestoneFlags) => {
      const pm = f.client();
      const project = projectOf(o);
      const found = await findMilestone(pm, project, ref);
      const body = {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.due ? { dueDate: o.due === 'none' ? null : o.due } : {}),
        ...(o.description !== undefined ? { description: o.description } : {}),
      };
      if (Object.keys(body).length === 0) {
        throw new UsageError('nothing to change: pass --name, --due, --description');
      }
      const updated = await pm.projects.milestones.update(project, found.id, body);
      out().record(updated, milestoneColumns);
      notice(f, `Updated milestone ${updated.name}`);
    });
  const remove = new Command('remove')
    .alias('rm')
    .description('Remove a milestone (its tasks stay, without it)')
    .argument('<milestone>', 'its name or id')
    .option('--project <key>', 'the project (default: `pm project use`)')
    .action(async (ref: string, o: { project?: string }) => {
      const pm = f.client();
      const project = projectOf(o);
      const found = await findMilestone(pm, project, ref);
      await pm.projects.milestones.delete(project, found.id);
      notice(f, `Removed milestone ${found.name}`);
    });
  return new Command('milestone')
    .description('Milestones of a project: list, add, update, remove')
    .addCommand(list)
    .addCommand(add)
    .addCommand(update)
    .addCommand(remove);
}
