import type { components, operations } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, forbidden, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import { Keyset } from '../../lib/keyset.js';
import { checkTimeZone } from '../../lib/time-zone.js';
import { type Change, checkIfMatch } from '../projects/service.js';
import { parseTaskKey } from '../tasks/service.js';
import {
  checkRate,
  checkSpan,
  checkUnlocked,
  resolveTarget,
  secondsBetween,
  seesAllTime,
} from './access.js';
import { toEntry } from './mapping.js';
import * as settingsStore from './settings-store.js';
import * as store from './store.js';

type CreateEntry = components['schemas']['CreateTimeEntryRequest'];
type UpdateEntry = components['schemas']['UpdateTimeEntryRequest'];
type EntryQuery = NonNullable<operations['listTimeEntries']['parameters']['query']>;

const overlapping = (other: { id: string; started_at: Date; ended_at: Date | null }) =>
  new HttpError(
    409,
    `This overlaps your entry ${other.id} from ${other.started_at.toISOString()}${other.ended_at ? ` to ${other.ended_at.toISOString()}` : ' (running)'}; the organization does not allow overlapping time`,
    { type: 'time-overlap' },
  );

/** Logged time: manual entries and stopped timers, with rates, overlaps and locked periods. */
export class TimeEntryService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private async visible(q: Queryable, org: OrgContext, principal: Principal, id: string) {
    const row = await store.findEntry(q, org.id, id);
    if (!row || (row.user_id !== principal.userId && !seesAllTime(org))) {
      throw notFound('No such time entry');
    }
    return row;
  }

  async get(org: OrgContext, principal: Principal, id: string) {
    return toEntry(await this.visible(this.db, org, principal, id));
  }

  async list(org: OrgContext, principal: Principal, query: EntryQuery) {
    let userId: string | undefined;
    if (query.user === 'me') userId = principal.userId;
    else if (query.user) userId = query.user.toLowerCase();
    if (!seesAllTime(org)) {
      if (userId && userId !== principal.userId) {
        throw forbidden("Members see their own time only; a Manager sees everyone's");
      }
      userId = principal.userId;
    }
    const timezone = checkTimeZone(
      query.tz ?? (await store.userTimezone(this.db, principal.userId)),
      '/query/tz',
    );
    let projectId: string | undefined;
    let taskId: string | undefined;
    if (query.project) {
      const target = await store.findProjectTarget(
        this.db,
        org.id,
        isUuid(query.project) ? { id: query.project.toLowerCase() } : { key: query.project },
      );
      if (!target)
        throw badRequest(`No project ${query.project}`, [
          { path: '/query/project', message: 'names no project here' },
        ]);
      projectId = target.projectId;
    }
    if (query.task) {
      const key = parseTaskKey(query.task);
      const target =
        isUuid(query.task) || key
          ? await store.findTaskTarget(this.db, org.id, key ?? { id: query.task.toLowerCase() })
          : undefined;
      if (!target)
        throw badRequest(`No task ${query.task}`, [
          { path: '/query/task', message: 'names no task here' },
        ]);
      taskId = target.taskId ?? undefined;
    }
    const keyset = new Keyset({
      sortable: { startedAt: { sql: 'e.started_at', kind: 'timestamp' } },
      defaultSort: '-startedAt',
      unique: { sql: 'e.id', kind: 'uuid' },
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
    const rows = await store.listEntries(
      this.db,
      {
        orgId: org.id,
        userId,
        projectId,
        taskId,
        billable: query.billable,
        from: query.from,
        to: query.to,
        timezone,
      },
      keyset,
    );
    return keyset.page(rows, toEntry);
  }

  async create(org: OrgContext, principal: Principal, input: CreateEntry, change: Change) {
    const now = this.clock.now();
    const userId = input.userId?.toLowerCase() ?? principal.userId;
    if (userId !== principal.userId && !seesAllTime(org)) {
      throw forbidden('Only a Manager logs time for someone else');
    }
    checkRate(input.hourlyRate, '/body/hourlyRate');
    const byTimes = input.startedAt !== undefined || input.endedAt !== undefined;
    const byDuration = input.date !== undefined || input.durationSeconds !== undefined;
    if (byTimes === byDuration) {
      throw badRequest('Give either startedAt and endedAt, or date and durationSeconds', [
        {
          path: byTimes ? '/body/date' : '/body/startedAt',
          message: 'give one way of timing the entry',
        },
      ]);
    }
    if (byTimes && (!input.startedAt || !input.endedAt)) {
      const missing = input.startedAt ? 'endedAt' : 'startedAt';
      throw badRequest(
        `${missing} is required with ${missing === 'endedAt' ? 'startedAt' : 'endedAt'}`,
        [{ path: `/body/${missing}`, message: 'is required' }],
      );
    }
    if (byDuration && (!input.date || input.durationSeconds === undefined)) {
      const missing = input.date ? 'durationSeconds' : 'date';
      throw badRequest(`${missing} is required here`, [
        { path: `/body/${missing}`, message: 'is required' },
      ]);
    }
    if (input.startedAt && input.endedAt) {
      checkSpan(new Date(input.startedAt), new Date(input.endedAt));
    }
    const timezone = input.date
      ? checkTimeZone(input.tz ?? (await store.userTimezone(this.db, userId)), '/body/tz')
      : 'UTC';

    const entry = await this.db.transaction(async (tx) => {
      if (userId !== principal.userId && !(await store.isMember(tx, org.id, userId))) {
        throw badRequest('That person is not a member of this organization', [
          { path: '/body/userId', message: 'must be a member' },
        ]);
      }
      const target = await resolveTarget(tx, org.id, input);
      await store.lockPersonsTime(tx, userId);
      const start = input.date
        ? await store.dayPlacement(tx, { orgId: org.id, userId, date: input.date, timezone })
        : new Date(input.startedAt!);
      const end = input.date
        ? new Date(start.getTime() + input.durationSeconds! * 1000)
        : new Date(input.endedAt!);
      await checkUnlocked(tx, org, [start]);
      const settings = await settingsStore.getSettings(tx, org.id);
      if (!settings.allow_overlap) {
        const other = await store.findOverlap(tx, {
          orgId: org.id,
          userId,
          start,
          end,
          exceptId: null,
          now,
        });
        if (other) throw overlapping(other);
      }
      const rate = input.hourlyRate
        ? {
            rate: input.hourlyRate.amount,
            currency: input.hourlyRate.currency,
            source: 'entry' as const,
          }
        : await store.resolveRate(tx, org.id, target?.projectId ?? null, userId);
      const row = (await store.insertEntry(tx, {
        orgId: org.id,
        userId,
        projectId: target?.projectId ?? null,
        taskId: target?.taskId ?? null,
        note: input.note ?? '',
        tags: input.tags ?? [],
        billable: input.billable ?? false,
        startedAt: start,
        endedAt: end,
        segments: [{ start: start.toISOString(), end: end.toISOString() }],
        runningSince: null,
        durationSeconds: secondsBetween(start, end),
        rate: rate ?? null,
        createdBy: principal.userId,
        now,
      }))!;
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'time_entry',
        entityId: row.id,
        action: 'created',
        changes: {
          userId,
          projectId: row.project_id,
          taskId: row.task_id,
          startedAt: start.toISOString(),
          endedAt: end.toISOString(),
        },
        meta: change.meta,
      });
      return row;
    });
    return toEntry(entry);
  }

  async update(
    org: OrgContext,
    principal: Principal,
    id: string,
    input: UpdateEntry,
    ifMatch: string,
    change: Change,
  ) {
    const now = this.clock.now();
    checkRate(input.hourlyRate, '/body/hourlyRate');
    return this.db.transaction(async (tx) => {
      const current = await store.lockEntry(tx, org.id, id);
      if (!current || (current.user_id !== principal.userId && !seesAllTime(org))) {
        throw notFound('No such time entry');
      }
      checkIfMatch(ifMatch, current.version);
      const running = current.ended_at === null;
      const retimed = input.startedAt !== undefined || input.endedAt !== undefined;
      if (running && retimed) {
        throw new HttpError(
          409,
          'This entry is a running timer: stop it before changing its times',
          {
            type: 'timer-running',
          },
        );
      }
      const start = input.startedAt ? new Date(input.startedAt) : current.started_at;
      const end = input.endedAt ? new Date(input.endedAt) : current.ended_at;
      if (retimed && end) checkSpan(start, end);
      await checkUnlocked(tx, org, [current.started_at, start]);

      const patch: store.EntryChange = {};
      if (retimed && end) {
        const settings = await settingsStore.getSettings(tx, org.id);
        if (!settings.allow_overlap) {
          await store.lockPersonsTime(tx, current.user_id);
          const other = await store.findOverlap(tx, {
            orgId: org.id,
            userId: current.user_id,
            start,
            end,
            exceptId: id,
            now,
          });
          if (other) throw overlapping(other);
        }
        patch.startedAt = start;
        patch.endedAt = end;
        patch.segments = [{ start: start.toISOString(), end: end.toISOString() }];
        patch.durationSeconds = secondsBetween(start, end);
      }

      let projectId = current.project_id;
      if (input.task !== undefined || input.project !== undefined) {
        const target = input.task
          ? await resolveTarget(tx, org.id, { task: input.task, project: input.project })
          : input.project
            ? await resolveTarget(tx, org.id, { project: input.project })
            : null;
        if (input.task === null && input.project === undefined) {
          // Off the task, still on its project.
          patch.taskId = null;
        } else {
          projectId = target?.projectId ?? null;
          patch.projectId = projectId;
          patch.taskId = target?.taskId ?? null;
        }
      }
      if (input.hourlyRate) {
        patch.rate = {
          rate: input.hourlyRate.amount,
          currency: input.hourlyRate.currency,
          source: 'entry',
        };
      } else if (
        input.hourlyRate === null ||
        (projectId !== current.project_id && current.rate_source !== 'entry')
      ) {
        patch.rate = (await store.resolveRate(tx, org.id, projectId, current.user_id)) ?? null;
      }
      if (input.note !== undefined) patch.note = input.note;
      if (input.tags !== undefined) patch.tags = input.tags;
      if (input.billable !== undefined) patch.billable = input.billable;

      const row = await store.updateEntry(tx, org.id, id, patch, now);
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'time_entry',
        entityId: id,
        action: 'updated',
        changes: { ...input },
        meta: change.meta,
      });
      return toEntry(row);
    });
  }

  async delete(org: OrgContext, principal: Principal, id: string, change: Change) {
    const now = this.clock.now();
    await this.db.transaction(async (tx) => {
      const current = await store.lockEntry(tx, org.id, id);
      if (!current || (current.user_id !== principal.userId && !seesAllTime(org))) {
        throw notFound('No such time entry');
      }
      await checkUnlocked(tx, org, [current.started_at]);
      await store.softDeleteEntry(tx, org.id, id, now);
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'time_entry',
        entityId: id,
        action: 'deleted',
        meta: change.meta,
      });
    });
  }
}
