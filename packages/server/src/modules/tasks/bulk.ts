import type { components } from '@pmkit/sdk/schema';
import { generateNKeysBetween } from 'fractional-indexing';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, HttpError } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import type { MemberService } from '../members/service.js';
import { type Change, type ProjectService, projectArchived } from '../projects/service.js';
import * as bulk from './bulk-store.js';
import { PRIORITIES, parseTaskKey } from './service.js';
import { lastPosition } from './store.js';

type BulkRequest = components['schemas']['BulkTaskRequest'];
type BulkResult = components['schemas']['BulkTaskResult'];
type Outcome = BulkResult['results'][number];

function taskRef(ref: string): bulk.TaskRef {
  if (isUuid(ref)) return { ref, id: ref, projectKey: null, number: null };
  const key = parseTaskKey(ref);
  return { ref, id: null, projectKey: key?.projectKey ?? null, number: key?.number ?? null };
}

/** One change applied to many tasks in one transaction, set-wise, reported per task. */
export class BulkTaskService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly members: MemberService,
    private readonly projects: ProjectService,
  ) {}

  /** The live, writable project a move names (id or key), its row locked for the numbering. */
  private async destination(tx: Queryable, org: OrgContext, ref: string) {
    const id = isUuid(ref) ? ref.toLowerCase() : await this.projects.idByKeyIn(tx, org, ref);
    const project =
      id &&
      (await this.projects.live(tx, org, id, { lock: true }).catch((e: unknown) => {
        if (e instanceof HttpError && e.status === 404) return undefined;
        throw e;
      }));
    if (!project) {
      throw badRequest('project is not a project of this organization', [
        { path: '/body/change/project', message: 'is not a project of this organization' },
      ]);
    }
    if (project.archived_at) throw projectArchived(project.key);
    return project;
  }

  /**
   * Moves the tasks with their subtrees to the project, last in its order; subtasks named without
   * their parent stay (`alone`).
   */
  private async moveTrees(
    tx: Queryable,
    orgId: string,
    projectId: string,
    ids: string[],
    now: Date,
  ): Promise<{ moved: bulk.MovedTask[]; alone: string[] }> {
    const moving = await bulk.movingTrees(tx, orgId, ids);
    const moves = new Set(moving);
    const alone = ids.filter((id) => !moves.has(id));
    if (moving.length === 0) return { moved: [], alone };
    const last = await lastPosition(tx, orgId, projectId);
    const positions = generateNKeysBetween(last, null, moving.length);
    return { moved: await bulk.moveTo(tx, orgId, projectId, moving, positions, now), alone };
  }

  async apply(org: OrgContext, input: BulkRequest, change: Change): Promise<BulkResult> {
    const now = this.clock.now();
    // One of the contract's alternatives; read as the union of their fields.
    const c = input.change as Partial<{
      status: string;
      priority: (typeof PRIORITIES)[number];
      labels: { add?: string[]; remove?: string[] };
      assignees: { add?: string[]; remove?: string[] };
      milestoneId: string | null;
      delete: true;
      project: string;
    }>;
    return this.db.transaction(async (tx) => {
      // Locked before the tasks, as a task create does.
      const destination = c.project ? await this.destination(tx, org, c.project) : undefined;
      if (c.assignees?.add?.length) {
        const strangers = await this.members.nonMembers(tx, org.id, c.assignees.add);
        if (strangers.length > 0) {
          throw badRequest('Assignees must be members of the organization', [
            { path: '/body/change/assignees/add', message: `not members: ${strangers.join(', ')}` },
          ]);
        }
      }
      const targets = await bulk.lockTargets(tx, org.id, input.tasks.map(taskRef));
      // By task id (a task named twice, by id and by key, is one task), or by a ref naming none.
      const slot = (t: bulk.BulkTarget) => t.id ?? `none:${t.ref}`;
      const outcomes = new Map<string, Omit<Outcome, 'task'>>();
      const fail = (t: bulk.BulkTarget, status: number, detail: string) =>
        outcomes.set(slot(t), { ok: false, id: t.id, key: t.key, error: { status, detail } });
      const live = new Map<string, bulk.BulkTarget>();
      for (const t of targets) {
        if (outcomes.has(slot(t)) || live.has(slot(t))) continue;
        if (!t.id || t.deleted) fail(t, 404, `No task ${t.ref}`);
        else if (t.archived) fail(t, 409, `The project of ${t.key} is archived`);
        else live.set(t.id, t);
      }
      let ids = [...live.keys()];
      const events: { taskId: string; changes: Record<string, unknown> }[] = [];
      const newKeys = new Map<string, string>();
      const done = (changes: Record<string, unknown>) => {
        for (const id of ids) events.push({ taskId: id, changes });
      };
      if (c.status !== undefined) {
        const found = await bulk.statusesFor(tx, org.id, ids, c.status);
        for (const id of ids) {
          if (!found.has(id))
            fail(
              live.get(id)!,
              400,
              `The workflow of ${live.get(id)!.key} has no status ${c.status}`,
            );
        }
        ids = ids.filter((id) => found.has(id));
        await bulk.setStatuses(
          tx,
          org.id,
          ids,
          ids.map((id) => found.get(id)!.id),
          now,
        );
        for (const id of ids) events.push({ taskId: id, changes: { status: found.get(id)!.name } });
      } else if (c.priority !== undefined) {
        await bulk.setAll(tx, org.id, ids, 'priority', PRIORITIES.indexOf(c.priority), now);
        done({ priority: c.priority });
      } else if (c.labels !== undefined) {
        await bulk.changeLabels(tx, org.id, ids, c.labels.add ?? [], c.labels.remove ?? [], now);
        done({ labels: c.labels });
      } else if (c.assignees !== undefined) {
        const add = c.assignees.add ?? [];
        await bulk.changeAssignees(tx, org.id, ids, add, c.assignees.remove ?? [], now);
        done({ assignees: c.assignees });
      } else if (c.milestoneId !== undefined) {
        const changed = await bulk.setMilestone(tx, org.id, ids, c.milestoneId, now);
        for (const id of ids) {
          if (!changed.has(id))
            fail(live.get(id)!, 400, `No such milestone in the project of ${live.get(id)!.key}`);
        }
        ids = ids.filter((id) => changed.has(id));
        done({ milestoneId: c.milestoneId });
      } else if (c.delete) {
        await bulk.setAll(tx, org.id, ids, 'deleted_at', now, now);
        for (const id of ids) {
          events.push({ taskId: id, changes: { key: live.get(id)!.key, bulk: true } });
        }
      } else if (destination) {
        // Tasks already there stay as they are; the others move, each with its subtree.
        const leaving = ids.filter((id) => live.get(id)!.project_id !== destination.id);
        const { moved, alone } = await this.moveTrees(tx, org.id, destination.id, leaving, now);
        for (const id of alone) {
          const t = live.get(id)!;
          fail(t, 409, `${t.key} is a subtask: it moves with its parent, not alone`);
        }
        ids = ids.filter((id) => !alone.includes(id));
        for (const m of moved) {
          newKeys.set(m.id, m.key);
          events.push({
            taskId: m.id,
            changes: {
              key: { old: m.old_key, new: m.key },
              projectId: { old: m.old_project_id, new: destination.id },
              status: { old: m.old_status, new: m.status },
              ...(m.old_milestone_id
                ? { milestoneId: { old: m.old_milestone_id, new: null } }
                : {}),
            },
          });
        }
      }
      for (const id of ids) {
        outcomes.set(id, { ok: true, id, key: newKeys.get(id) ?? live.get(id)!.key });
      }
      const action = c.delete ? 'deleted' : destination ? 'moved' : 'updated';
      await bulk.recordEvents(tx, org.id, events, action, change.actor, change.meta);
      const results = targets.map((t) => ({ task: t.ref, ...outcomes.get(slot(t))! }));
      const applied = results.filter((r) => r.ok).length;
      return { applied, failed: results.length - applied, results };
    });
  }
}
