import type { components } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, HttpError } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import type { Change } from '../projects/service.js';
import { parseTaskKey } from '../tasks/service.js';
import { resolveTarget, secondsBetween } from './access.js';
import { toEntry, toTimer } from './mapping.js';
import * as store from './store.js';
import * as timerStore from './timer-store.js';

type StartTimer = components['schemas']['StartTimerRequest'];
type StopTimer = components['schemas']['StopTimerRequest'];

const DAY_MS = 86_400_000;

const noTimer = () => new HttpError(404, 'No timer is running', { type: 'no-timer' });

/**
 * The caller's timer: a time entry without an end. One per person, by a unique partial index;
 * a person's timer is theirs wherever it runs, but an API key sees only its organization's.
 */
export class TimerService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private async visibleTimer(q: Queryable, org: OrgContext, principal: Principal) {
    const running = await store.lockAnyTimer(q, principal.userId);
    if (!running) return undefined;
    if (running.org_id !== org.id) {
      if (principal.kind === 'api_key') return undefined;
      if (!(await store.isMember(q, running.org_id, principal.userId))) return undefined;
    }
    return store.findEntry(q, running.org_id, running.id);
  }

  async get(org: OrgContext, principal: Principal) {
    const now = this.clock.now();
    // Read-only: the common case (a timer in this organization, or none) is one query.
    const row =
      (await store.findTimer(this.db, org.id, principal.userId)) ??
      (await this.visibleTimer(this.db, org, principal));
    return { timer: row ? toTimer(row, now) : null };
  }

  async start(org: OrgContext, principal: Principal, input: StartTimer, change: Change) {
    const now = this.clock.now();
    const startAt = input.at ? new Date(input.at) : now;
    if (startAt.getTime() > now.getTime() || now.getTime() - startAt.getTime() > DAY_MS) {
      throw badRequest('A timer can start at most 24 hours ago, and not in the future', [
        { path: '/body/at', message: 'must be within the last 24 hours' },
      ]);
    }
    const target = input.switch ? undefined : plainTarget(input);
    if (target) {
      const row = await timerStore.startTimer(this.db, {
        orgId: org.id,
        userId: principal.userId,
        target,
        note: input.note ?? '',
        tags: input.tags ?? [],
        billable: input.billable ?? false,
        at: startAt,
        now,
        ...change,
      });
      if (row) return { timer: toTimer(row, now), stopped: null };
    }
    return this.db.transaction(async (tx) => {
      const target = await resolveTarget(tx, org.id, input);
      // Switches by one person queue up, each stopping the timer the one before started.
      if (input.switch) await store.lockPersonsTime(tx, principal.userId);
      let stopped: components['schemas']['TimeEntry'] | null = null;
      // With `switch`, a timer started concurrently elsewhere is switched off too: try again.
      for (let attempt = 0; attempt < 5; attempt++) {
        // Read again once the running timer is ours: a switch that waited for a concurrent one
        // must not stop that timer before it started.
        let at = startAt;
        if (input.switch) {
          const running = await store.lockAnyTimer(tx, principal.userId);
          if (!input.at) at = this.clock.now();
          if (running) stopped = await this.stopLocked(tx, running, at, undefined, change);
        }
        const row = await store.insertEntry(tx, {
          orgId: org.id,
          userId: principal.userId,
          projectId: target?.projectId ?? null,
          taskId: target?.taskId ?? null,
          note: input.note ?? '',
          tags: input.tags ?? [],
          billable: input.billable ?? false,
          startedAt: at,
          endedAt: null,
          segments: [],
          runningSince: at,
          durationSeconds: 0,
          rate: null,
          createdBy: principal.userId,
          now,
        });
        if (row) {
          await recordEvent(tx, {
            orgId: org.id,
            actor: change.actor,
            entity: 'timer',
            entityId: row.id,
            action: 'started',
            changes: { projectId: row.project_id, taskId: row.task_id, at: at.toISOString() },
            meta: change.meta,
          });
          return { timer: toTimer(row, this.clock.now()), stopped };
        }
        if (!input.switch) {
          const running = await store.lockAnyTimer(tx, principal.userId);
          const existing = running && (await store.findEntry(tx, running.org_id, running.id));
          const label = existing?.task_key ?? existing?.project_key;
          throw new HttpError(
            409,
            `A timer is already running${label ? ` on ${label}` : ''} since ${existing?.started_at.toISOString() ?? 'earlier'}: stop it, or start with switch`,
            {
              type: 'timer-running',
              ...(existing ? { extensions: { timer: toTimer(existing, now) } } : {}),
            },
          );
        }
      }
      throw new HttpError(409, 'Timers kept starting concurrently; try again', {
        type: 'timer-running',
      });
    });
  }

  /** Ends a locked timer at `at`, resolving its rate: it becomes a time entry. */
  private async stopLocked(
    tx: Queryable,
    running: { org_id: string; id: string },
    at: Date,
    note: string | undefined,
    change: Change,
  ) {
    const row = (await store.findEntry(tx, running.org_id, running.id))!;
    const segments = [...row.segments];
    let duration = row.duration_seconds;
    let endedAt: Date;
    if (row.running_since) {
      if (at.getTime() < row.running_since.getTime()) {
        throw badRequest(
          `The timer has been running since ${row.running_since.toISOString()}: it cannot stop before that`,
          [{ path: '/body/at', message: 'must be after the timer last started' }],
        );
      }
      segments.push({ start: row.running_since.toISOString(), end: at.toISOString() });
      duration += secondsBetween(row.running_since, at);
      endedAt = at;
    } else {
      // Paused: the work ended when it was paused.
      const last = segments.at(-1);
      endedAt = last ? new Date(last.end) : row.started_at;
    }
    const rate = await store.resolveRate(tx, row.org_id, row.project_id, row.user_id);
    const entry = await store.updateEntry(
      tx,
      row.org_id,
      row.id,
      {
        endedAt,
        segments,
        runningSince: null,
        durationSeconds: duration,
        rate: rate ?? null,
        ...(note !== undefined ? { note } : {}),
      },
      this.clock.now(),
    );
    await recordEvent(tx, {
      orgId: row.org_id,
      actor: change.actor,
      entity: 'time_entry',
      entityId: row.id,
      action: 'created',
      changes: { from: 'timer', durationSeconds: duration, endedAt: endedAt.toISOString() },
      meta: change.meta,
    });
    return toEntry(entry);
  }

  async stop(org: OrgContext, principal: Principal, input: StopTimer | undefined, change: Change) {
    const now = this.clock.now();
    const at = input?.at ? new Date(input.at) : now;
    if (at.getTime() > now.getTime()) {
      throw badRequest('A timer cannot stop in the future', [
        { path: '/body/at', message: 'must not be later than now' },
      ]);
    }
    const stopped = await timerStore.stopTimer(this.db, {
      userId: principal.userId,
      orgId: org.id,
      anyOrg: principal.kind === 'user',
      at,
      note: input?.note,
      now,
      ...change,
    });
    if (stopped) return toEntry(stopped);
    // None runs, or `at` is before it started: the transaction says which.
    return this.db.transaction(async (tx) => {
      const row = await this.visibleTimer(tx, org, principal);
      if (!row) throw noTimer();
      return this.stopLocked(tx, row, at, input?.note, change);
    });
  }

  async pause(org: OrgContext, principal: Principal, change: Change) {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const row = await this.visibleTimer(tx, org, principal);
      if (!row) throw noTimer();
      if (!row.running_since) {
        throw new HttpError(409, 'The timer is already paused', { type: 'timer-paused' });
      }
      const since = row.running_since;
      const updated = await store.updateEntry(
        tx,
        row.org_id,
        row.id,
        {
          segments: [...row.segments, { start: since.toISOString(), end: now.toISOString() }],
          durationSeconds: row.duration_seconds + secondsBetween(since, now),
          runningSince: null,
        },
        now,
      );
      await this.event(tx, row.org_id, row.id, 'paused', change);
      return toTimer(updated, now);
    });
  }

  async resume(org: OrgContext, principal: Principal, change: Change) {
    const now = this.clock.now();
    return this.db.transaction(async (tx) => {
      const row = await this.visibleTimer(tx, org, principal);
      if (!row) throw noTimer();
      if (row.running_since) {
        throw new HttpError(409, 'The timer is not paused', { type: 'timer-not-paused' });
      }
      const updated = await store.updateEntry(tx, row.org_id, row.id, { runningSince: now }, now);
      await this.event(tx, row.org_id, row.id, 'resumed', change);
      return toTimer(updated, now);
    });
  }

  async cancel(org: OrgContext, principal: Principal, change: Change) {
    await this.db.transaction(async (tx) => {
      const row = await this.visibleTimer(tx, org, principal);
      if (!row) throw noTimer();
      await store.deleteTimer(tx, row.org_id, row.id);
      await this.event(tx, row.org_id, row.id, 'cancelled', change);
    });
  }

  private event(tx: Queryable, orgId: string, id: string, action: string, change: Change) {
    return recordEvent(tx, {
      orgId,
      actor: change.actor,
      entity: 'timer',
      entityId: id,
      action,
      meta: change.meta,
    });
  }
}

/** What a start names, when it can be looked up in the one-statement path. */
function plainTarget(input: StartTimer): timerStore.TimerTarget | undefined {
  if (input.task && input.project) return undefined;
  if (input.task) {
    if (isUuid(input.task)) return { kind: 'task', id: input.task.toLowerCase() };
    const key = parseTaskKey(input.task);
    return key ? { kind: 'task', ...key } : undefined;
  }
  if (input.project) {
    return isUuid(input.project)
      ? { kind: 'project', id: input.project.toLowerCase() }
      : { kind: 'project', key: input.project };
  }
  return { kind: 'none' };
}
