import type { components } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import { Keyset } from '../../lib/keyset.js';
import { type Change, type ProjectService, projectArchived } from '../projects/service.js';
import { criticalPath } from './critical-path.js';
import * as links from './dependency-store.js';
import { parseTaskKey } from './service.js';
import * as store from './store.js';

type TaskDependencies = components['schemas']['TaskDependencies'];
type TaskLink = components['schemas']['TaskLink'];
type AddDependency = components['schemas']['AddTaskDependencyRequest'];
type TaskActivity = components['schemas']['TaskActivity'];

const toLink = (row: {
  id: string;
  key: string;
  title: string;
  category: TaskLink['statusCategory'];
  estimate_minutes: number | null;
}): TaskLink => ({
  id: row.id,
  key: row.key,
  title: row.title,
  statusCategory: row.category,
  estimateMinutes: row.estimate_minutes,
});

/** `blocks` / `blocked_by` links between tasks of an organization, and what they imply. */
export class DependencyService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly projects: ProjectService,
  ) {}

  async list(org: OrgContext, taskId: string): Promise<TaskDependencies> {
    return this.linksOf(this.db, org, taskId, { checked: false });
  }

  async add(
    org: OrgContext,
    taskId: string,
    input: AddDependency,
    change: Change,
  ): Promise<TaskDependencies> {
    const field = 'blocks' in input ? 'blocks' : 'blockedBy';
    const ref = 'blocks' in input ? input.blocks : input.blockedBy;
    return this.db.transaction(async (tx) => {
      await links.lockDependencies(tx, org.id);
      const task = await this.writable(tx, org, taskId);
      const otherId = await this.resolve(tx, org, ref);
      const other = otherId && (await store.findTask(tx, org.id, otherId));
      if (!other || other.deleted_at || other.project_deleted_at) {
        throw badRequest(`No task ${ref} in this organization`, [
          { path: `/body/${field}`, message: 'is not a task of this organization' },
        ]);
      }
      if (other.project_archived_at) throw projectArchived(other.project_key);
      if (other.id === task.id) {
        throw badRequest('A task cannot depend on itself', [
          { path: `/body/${field}`, message: 'is this task' },
        ]);
      }
      const [blocker, blocked] = field === 'blocks' ? [task, other] : [other, task];
      // The link closes a cycle when the blocked task already leads, link by link, to the blocker.
      const chain = await links.chainBetween(tx, org.id, blocked.id, blocker.id);
      if (chain) {
        const cycle = [`${blocker.project_key}-${blocker.number}`, ...chain];
        throw new HttpError(409, `Linking would close a cycle: ${cycle.join(' → ')}`, {
          type: 'dependency-cycle',
          extensions: { cycle },
        });
      }
      const added = await links.insertLink(tx, {
        orgId: org.id,
        blocker: blocker.id,
        blocked: blocked.id,
        createdBy: change.actor.kind === 'user' ? change.actor.id : null,
        now: this.clock.now(),
      });
      if (added) {
        const blockerKey = `${blocker.project_key}-${blocker.number}`;
        const blockedKey = `${blocked.project_key}-${blocked.number}`;
        for (const [entityId, changes] of [
          [blocker.id, { blocks: blockedKey }],
          [blocked.id, { blockedBy: blockerKey }],
        ] as const) {
          await recordEvent(tx, {
            orgId: org.id,
            actor: change.actor,
            entity: 'task',
            entityId,
            action: 'linked',
            changes,
            meta: change.meta,
          });
        }
      }
      return this.linksOf(tx, org, task.id, { checked: true });
    });
  }

  async remove(org: OrgContext, taskId: string, ref: string, change: Change): Promise<void> {
    await this.db.transaction(async (tx) => {
      await links.lockDependencies(tx, org.id);
      const task = await this.writable(tx, org, taskId);
      const otherId = await this.resolve(tx, org, ref);
      if (!otherId || !(await links.deleteLink(tx, org.id, task.id, otherId))) {
        throw notFound(`${task.project_key}-${task.number} and ${ref} are not linked`);
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'task',
        entityId: task.id,
        action: 'unlinked',
        changes: { task: ref },
        meta: change.meta,
      });
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'task',
        entityId: otherId,
        action: 'unlinked',
        changes: { task: `${task.project_key}-${task.number}` },
        meta: change.meta,
      });
    });
  }

  async criticalPath(org: OrgContext, projectId: string) {
    await this.projects.live(this.db, org, projectId);
    const rows = await links.unfinishedGraph(this.db, org.id, projectId);
    const path = criticalPath(
      rows.map((row) => ({ id: row.id, weight: row.estimate_minutes ?? 0 })),
      rows.flatMap((row) => row.blocked_by.map((blocker) => ({ blocker, blocked: row.id }))),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return {
      tasks: path.ids.map((id) => toLink(byId.get(id)!)),
      totalMinutes: path.total,
    };
  }

  async activity(org: OrgContext, taskId: string, query: { limit?: number; cursor?: string }) {
    await this.live(this.db, org, taskId);
    const keyset = new Keyset({
      sortable: { id: { sql: 'e.id', kind: 'id' } },
      defaultSort: '-id',
      unique: { sql: 'e.id', kind: 'id' },
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
    const rows = await links.activityOf(this.db, org.id, taskId, keyset);
    return keyset.page(
      rows,
      (row): TaskActivity => ({
        id: Number(row.id),
        action: row.action,
        actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
        changes: row.changes,
        createdAt: row.created_at.toISOString(),
      }),
    );
  }

  private async linksOf(
    q: Queryable,
    org: OrgContext,
    taskId: string,
    { checked }: { checked: boolean },
  ): Promise<TaskDependencies> {
    if (!checked) await this.live(q, org, taskId);
    const rows = await links.linksOf(q, org.id, taskId);
    return {
      blocks: rows.filter((row) => row.direction === 'blocks').map(toLink),
      blockedBy: rows.filter((row) => row.direction === 'blockedBy').map(toLink),
    };
  }

  private async live(q: Queryable, org: OrgContext, taskId: string) {
    const row = await store.findTask(q, org.id, taskId);
    if (!row || row.deleted_at || row.project_deleted_at) throw notFound('No such task');
    return row;
  }

  private async writable(q: Queryable, org: OrgContext, taskId: string) {
    const row = await this.live(q, org, taskId);
    if (row.project_archived_at) throw projectArchived(row.project_key);
    return row;
  }

  /** A task id or key of this organization → its id (undefined when there is none). */
  private async resolve(q: Queryable, org: OrgContext, ref: string) {
    if (isUuid(ref)) return ref.toLowerCase();
    const key = parseTaskKey(ref);
    return key ? store.taskByKey(q, org.id, key.projectKey, key.number) : undefined;
  }
}
