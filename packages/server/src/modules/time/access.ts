import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Queryable } from '../../db/types.js';
import { badRequest, HttpError } from '../../http/problem.js';
import { roleRank } from '../access/permissions.js';
import { projectArchived } from '../projects/service.js';
import { parseTaskKey } from '../tasks/service.js';
import { toLock } from './mapping.js';
import * as settingsStore from './settings-store.js';
import * as store from './store.js';

/** Managers and above see and change everyone's time; others their own. */
export const seesAllTime = (org: OrgContext) => roleRank(org.role) >= roleRank('manager');

const isAdmin = (org: OrgContext) => roleRank(org.role) >= roleRank('admin');

/** 403 naming the lock when an instant lies in a locked period and the caller is not an Admin. */
export async function checkUnlocked(q: Queryable, org: OrgContext, at: readonly Date[]) {
  if (isAdmin(org)) return;
  const lock = await settingsStore.lockCovering(q, org.id, at);
  if (!lock) return;
  throw new HttpError(
    403,
    `${lock.from_date} to ${lock.to_date} is locked${lock.note ? ` (${lock.note})` : ''}: only an Admin can change time in it`,
    { type: 'period-locked', extensions: { lock: toLock(lock) } },
  );
}

/**
 * What an entry or timer points at: a task (and so its project), a project, or nothing. A task
 * and a project that disagree are refused; a reference to nothing live is a 400 naming the field.
 */
export async function resolveTarget(
  q: Queryable,
  orgId: string,
  refs: { task?: string | null | undefined; project?: string | null | undefined },
  path = '/body',
): Promise<store.Target | null> {
  if (refs.task) {
    const key = isUuid(refs.task) ? undefined : parseTaskKey(refs.task);
    const target =
      isUuid(refs.task) || key
        ? await store.findTaskTarget(q, orgId, key ? key : { id: refs.task.toLowerCase() })
        : undefined;
    if (!target)
      throw badRequest(`No task ${refs.task}`, [
        { path: `${path}/task`, message: 'names no task here' },
      ]);
    if (refs.project) {
      const project = await resolveProject(q, orgId, refs.project, path);
      if (project.projectId !== target.projectId) {
        throw badRequest(`Task ${refs.task} is not in project ${refs.project}`, [
          { path: `${path}/project`, message: 'must be the task’s project, or left out' },
        ]);
      }
    }
    return writable(target);
  }
  if (refs.project) return writable(await resolveProject(q, orgId, refs.project, path));
  return null;
}

async function resolveProject(q: Queryable, orgId: string, ref: string, path: string) {
  const target = await store.findProjectTarget(
    q,
    orgId,
    isUuid(ref) ? { id: ref.toLowerCase() } : { key: ref },
  );
  if (!target)
    throw badRequest(`No project ${ref}`, [
      { path: `${path}/project`, message: 'names no project here' },
    ]);
  return target;
}

function writable(target: store.Target): store.Target {
  if (target.archived) throw projectArchived(target.projectKey);
  return target;
}

const DAY_MS = 86_400_000;

/** An entry's span: it ends after it starts, and lasts at most a day. */
export function checkSpan(start: Date, end: Date, path = '/body/endedAt') {
  if (end.getTime() <= start.getTime()) {
    throw badRequest('An entry must end after it starts', [
      { path, message: 'must be after startedAt' },
    ]);
  }
  if (end.getTime() - start.getTime() > DAY_MS) {
    throw badRequest('An entry lasts at most 24 hours; split longer work into several', [
      { path, message: 'must be within 24 hours of startedAt' },
    ]);
  }
}

export const secondsBetween = (start: Date, end: Date) =>
  Math.floor((end.getTime() - start.getTime()) / 1000);

// An hourly rate this high is a typo; under it, a day's amount fits the contract's Money.
const MAX_RATE = 1_000_000_000;

/** 400 naming `path` for a rate no one charges (and whose amounts would not fit). */
export function checkRate(rate: { amount: string } | null | undefined, path: string) {
  if (rate && Number(rate.amount) > MAX_RATE) {
    throw badRequest('That hourly rate is too high', [
      { path: `${path}/amount`, message: `must be at most ${MAX_RATE}` },
    ]);
  }
}
