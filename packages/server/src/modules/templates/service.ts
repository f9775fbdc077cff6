import { randomUUID } from 'node:crypto';
import type { components } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database } from '../../db/types.js';
import { badRequest, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import { byCreation, type PageQuery } from '../../lib/keyset.js';
import type { Change, ProjectService } from '../projects/service.js';
import * as store from './store.js';

type ProjectTemplate = components['schemas']['ProjectTemplate'];
type CreateTemplate = components['schemas']['CreateProjectTemplateRequest'];
type CreateProject = components['schemas']['CreateProjectRequest'];

const DAY = 86_400_000;

export const toTemplate = (row: store.TemplateRow): ProjectTemplate => ({
  id: row.id,
  name: row.name,
  description: row.description,
  sourceProjectId: row.source_project_id,
  counts: {
    statuses: row.statuses,
    fields: row.fields,
    milestones: row.milestones,
    tasks: row.tasks,
    dependencies: row.dependencies,
  },
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});

/** `date` (YYYY-MM-DD) moved by `days`. */
const shift = (date: string, days: number | null) =>
  days === null
    ? null
    : new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

export class TemplateService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly projects: ProjectService,
  ) {}

  async list(org: OrgContext, query: PageQuery) {
    const keyset = byCreation(query, 'newest');
    return keyset.page(await store.listTemplates(this.db, org.id, keyset), toTemplate);
  }

  async get(org: OrgContext, id: string) {
    const row = await store.findTemplate(this.db, org.id, id);
    if (!row) throw notFound('No such project template');
    return toTemplate(row);
  }

  /** Saves a snapshot of the project (by id or key in this organization). */
  async create(org: OrgContext, principal: Principal, input: CreateTemplate, change: Change) {
    return this.db.transaction(async (tx) => {
      const projectId = isUuid(input.projectId)
        ? input.projectId.toLowerCase()
        : await this.projects.idByKeyIn(tx, org, input.projectId);
      const project = projectId
        ? await this.projects.live(tx, org, projectId).catch(() => undefined)
        : undefined;
      if (!project) {
        throw badRequest('projectId is not a project of this organization', [
          { path: '/body/projectId', message: 'is not a project of this organization' },
        ]);
      }
      const start = project.start_date ?? project.created_at.toISOString().slice(0, 10);
      const contents = await store.readSnapshot(tx, org.id, project.id, start);
      const dueOffset = project.due_date
        ? Math.round((Date.parse(project.due_date) - Date.parse(start)) / DAY)
        : null;
      const row = await store.insertTemplate(tx, {
        orgId: org.id,
        name: input.name,
        description: input.description ?? '',
        sourceProjectId: project.id,
        snapshot: { dueOffset, ...contents },
        createdBy: principal.userId,
        now: this.clock.now(),
      });
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_template',
        entityId: row.id,
        action: 'created',
        changes: { name: row.name, projectId: project.id, tasks: row.tasks },
        meta: change.meta,
      });
      return toTemplate(row);
    });
  }

  async delete(org: OrgContext, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      if (!(await store.deleteTemplate(tx, org.id, id, this.clock.now()))) {
        throw notFound('No such project template');
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_template',
        entityId: id,
        action: 'deleted',
        meta: change.meta,
      });
    });
  }

  /**
   * Creates a project from a template in one transaction: its workflow, fields, milestones and
   * task tree, set-wise, dates shifted so the template's start falls on `startDate` (today when
   * absent), tasks numbered 1..n.
   */
  async createProject(
    org: OrgContext,
    principal: Principal,
    input: CreateProject & { templateId: string },
    change: Change,
  ) {
    const template = await store.findTemplate(this.db, org.id, input.templateId);
    if (!template) {
      throw badRequest('templateId is not a template of this organization', [
        { path: '/body/templateId', message: 'is not a project template of this organization' },
      ]);
    }
    const snapshot = template.snapshot;
    const start = input.startDate ?? this.clock.now().toISOString().slice(0, 10);
    const { templateId, ...rest } = input;
    const body: CreateProject = {
      ...rest,
      startDate: start,
      dueDate: input.dueDate === undefined ? shift(start, snapshot.dueOffset) : input.dueDate,
    };
    return this.projects.create(org, principal, body, change, async (tx, project, now) => {
      const seed = plant(snapshot, start);
      await store.seedProject(tx, org.id, project.id, seed, principal.userId, now);
      return { templateId, tasks: seed.tasks.length };
    });
  }
}

/** The template's rows with new ids, references remapped and dates shifted to `start`. */
function plant(snapshot: store.Snapshot, start: string): store.Seed {
  const statuses = snapshot.statuses.map((s, position) => ({ id: randomUUID(), ...s, position }));
  const statusByName = new Map(statuses.map((s) => [s.name.toLowerCase(), s]));
  const fieldIds = new Map(snapshot.fields.map((f) => [f.ref, randomUUID()]));
  const milestoneIds = new Map(snapshot.milestones.map((m) => [m.ref, randomUUID()]));
  const taskIds = new Map(snapshot.tasks.map((t) => [t.ref, randomUUID()]));
  const byRef = new Map(snapshot.tasks.map((t) => [t.ref, t]));
  const depthOf = (ref: string): number => {
    let depth = 0;
    for (let up = byRef.get(ref)?.parentRef; up && byRef.has(up) && depth < 7; depth++) {
      up = byRef.get(up)?.parentRef;
    }
    return depth;
  };
  return {
    statuses,
    fields: snapshot.fields.map((f, position) => ({
      id: fieldIds.get(f.ref)!,
      name: f.name,
      type: f.type,
      options: f.options,
      required: f.required,
      default_value: f.default ?? null,
      position,
    })),
    milestones: snapshot.milestones.map((m, ord) => ({
      ord,
      id: milestoneIds.get(m.ref)!,
      name: m.name,
      description: m.description,
      due_date: shift(start, m.dueOffset),
    })),
    tasks: snapshot.tasks.map((t, i) => {
      const status = statusByName.get(t.status.toLowerCase()) ?? statuses[0]!;
      const parent = t.parentRef && taskIds.has(t.parentRef) ? taskIds.get(t.parentRef)! : null;
      return {
        id: taskIds.get(t.ref)!,
        number: i + 1,
        title: t.title,
        description: t.description,
        status_id: status.id,
        priority: t.priority,
        labels: t.labels,
        estimate_minutes: t.estimateMinutes,
        start_date: shift(start, t.startOffset),
        due_date: shift(start, t.dueOffset),
        milestone_id: t.milestoneRef ? (milestoneIds.get(t.milestoneRef) ?? null) : null,
        parent_id: parent,
        depth: parent ? depthOf(t.ref) : 0,
        position: t.position,
        fields: Object.fromEntries(
          Object.entries(t.fields ?? {})
            .filter(([ref]) => fieldIds.has(ref))
            .map(([ref, value]) => [fieldIds.get(ref)!, value]),
        ),
        completed: status.category === 'completed',
      };
    }),
    dependencies: snapshot.dependencies
      .filter((d) => taskIds.has(d.blocker) && taskIds.has(d.blocked))
      .map((d) => ({ blocker_id: taskIds.get(d.blocker)!, blocked_id: taskIds.get(d.blocked)! })),
  };
}
