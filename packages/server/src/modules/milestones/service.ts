import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Database, Queryable } from '../../db/types.js';
import { notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import { byCreation, type PageQuery } from '../../lib/keyset.js';
import type { Change, ProjectService } from '../projects/service.js';
import * as store from './store.js';

type Milestone = components['schemas']['Milestone'];
type CreateMilestone = components['schemas']['CreateMilestoneRequest'];
type UpdateMilestone = components['schemas']['UpdateMilestoneRequest'];

export const toMilestone = (row: store.MilestoneRow): Milestone => ({
  id: row.id,
  projectId: row.project_id,
  name: row.name,
  description: row.description,
  dueDate: row.due_date,
  progress: {
    done: row.done,
    total: row.total,
    doneEstimateMinutes: Number(row.done_estimate),
    totalEstimateMinutes: Number(row.total_estimate),
  },
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export class MilestoneService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly projects: ProjectService,
  ) {}

  /** Whether `id` is a live milestone of the project, for task writes in their transaction. */
  isLive(q: Queryable, org: OrgContext, projectId: string, id: string): Promise<boolean> {
    return store.isLiveMilestone(q, org.id, projectId, id);
  }

  async list(org: OrgContext, projectId: string, query: PageQuery) {
    await this.projects.live(this.db, org, projectId);
    const keyset = byCreation(query, 'oldest', 'm.created_at', 'm.id');
    const rows = await store.listMilestones(this.db, org.id, projectId, keyset);
    return keyset.page(rows, toMilestone);
  }

  private async live(q: Queryable, org: OrgContext, projectId: string, id: string, lock = false) {
    const row = await store.findMilestone(q, org.id, projectId, id, { lock });
    if (!row) throw notFound('No such milestone in this project');
    return row;
  }

  async get(org: OrgContext, projectId: string, id: string) {
    await this.projects.live(this.db, org, projectId);
    return toMilestone(await this.live(this.db, org, projectId, id));
  }

  async create(org: OrgContext, projectId: string, input: CreateMilestone, change: Change) {
    return this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId);
      const id = await store.insertMilestone(tx, {
        orgId: org.id,
        projectId,
        name: input.name,
        description: input.description ?? '',
        dueDate: input.dueDate ?? null,
        now: this.clock.now(),
      });
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'milestone',
        entityId: id,
        action: 'created',
        changes: { projectId, name: input.name, dueDate: input.dueDate ?? null },
        meta: change.meta,
      });
      return toMilestone(await this.live(tx, org, projectId, id));
    });
  }

  async update(
    org: OrgContext,
    projectId: string,
    id: string,
    input: UpdateMilestone,
    change: Change,
  ) {
    return this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId);
      const before = toMilestone(await this.live(tx, org, projectId, id, true));
      await store.updateMilestone(
        tx,
        org.id,
        id,
        {
          name: input.name ?? before.name,
          description: input.description ?? before.description,
          dueDate: input.dueDate === undefined ? before.dueDate : input.dueDate,
        },
        this.clock.now(),
      );
      const after = toMilestone(await this.live(tx, org, projectId, id));
      const changes: Record<string, unknown> = {};
      for (const name of ['name', 'description', 'dueDate'] as const) {
        if (before[name] !== after[name]) changes[name] = { old: before[name], new: after[name] };
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'milestone',
        entityId: id,
        action: 'updated',
        changes,
        meta: change.meta,
      });
      return after;
    });
  }

  /** Soft delete; its tasks stay, without a milestone (same transaction). */
  async delete(org: OrgContext, projectId: string, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      await this.projects.writable(tx, org, projectId);
      const before = await this.live(tx, org, projectId, id, true);
      const unset = await store.deleteMilestone(tx, org.id, id, this.clock.now());
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'milestone',
        entityId: id,
        action: 'deleted',
        changes: { projectId, name: before.name, tasksUnset: unset },
        meta: change.meta,
      });
    });
  }
}
