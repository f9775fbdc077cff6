import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  CreateTimeEntryRequest,
  CreateTimeLockRequest,
  ListQuery,
  ProjectRate,
  SetProjectRateRequest,
  StartedTimer,
  StartTimerRequest,
  StopTimerRequest,
  TimeEntry,
  TimeLock,
  Timer,
  TimeSettings,
  UpdateTimeEntryRequest,
  UpdateTimeSettingsRequest,
  WriteOptions,
} from '../types.js';
import { ifMatchHeader, type UpdateOptions } from './projects.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface TimerResource {
  /** The caller's running or paused timer, or null. */
  get(): Promise<Timer | null>;
  /** 409 `timer-running` while one runs, unless `switch: true` stops it first. */
  start(body?: StartTimerRequest, options?: WriteOptions): Promise<StartedTimer>;
  /** Ends the timer (at `at`, if it was forgotten): the time entry it became. */
  stop(body?: StopTimerRequest, options?: WriteOptions): Promise<TimeEntry>;
  pause(options?: WriteOptions): Promise<Timer>;
  resume(options?: WriteOptions): Promise<Timer>;
  /** Discards the timer; no entry is made. */
  cancel(options?: WriteOptions): Promise<void>;
}

export interface TimeEntryQuery extends ListQuery {
  from?: string;
  to?: string;
  tz?: string;
  /** `me` or a member id. */
  user?: string;
  project?: string;
  task?: string;
  billable?: boolean;
}

export interface TimeEntriesResource {
  /** Newest first; Members see their own. */
  list(org: string, query?: TimeEntryQuery, options?: PaginateOptions): Paginated<TimeEntry>;
  create(org: string, body: CreateTimeEntryRequest, options?: WriteOptions): Promise<TimeEntry>;
  get(entry: string): Promise<TimeEntry>;
  update(entry: string, body: UpdateTimeEntryRequest, options?: UpdateOptions): Promise<TimeEntry>;
  delete(entry: string): Promise<void>;
}

export interface TimeLocksResource {
  list(org: string, query?: ListQuery, options?: PaginateOptions): Paginated<TimeLock>;
  /** Admin: entries that started in the period change only by an Admin. */
  create(org: string, body: CreateTimeLockRequest, options?: WriteOptions): Promise<TimeLock>;
  delete(org: string, lock: string): Promise<void>;
}

export interface TimeSettingsResource {
  get(org: string): Promise<TimeSettings>;
  update(org: string, body: UpdateTimeSettingsRequest): Promise<TimeSettings>;
}

export interface RatesResource {
  /** A project's own rate (`userId` null) and its members' rates. */
  list(project: string): Promise<ProjectRate[]>;
  /** Sets or (with `hourlyRate: null`) clears one. */
  set(project: string, body: SetProjectRateRequest): Promise<ProjectRate[]>;
}

export function timerResource({ raw }: ResourceContext): TimerResource {
  return {
    get: async () => data(await raw.GET('/v1/timer')).timer,
    start: async (body = {}, options) =>
      data(await raw.POST('/v1/timer/start', { body, headers: idempotency(options) })),
    stop: async (body = {}, options) =>
      data(await raw.POST('/v1/timer/stop', { body, headers: idempotency(options) })),
    pause: async (options) =>
      data(await raw.POST('/v1/timer/pause', { headers: idempotency(options) })),
    resume: async (options) =>
      data(await raw.POST('/v1/timer/resume', { headers: idempotency(options) })),
    async cancel(options) {
      await raw.DELETE('/v1/timer', { headers: idempotency(options) });
    },
  };
}

export function timeEntriesResource({ raw }: ResourceContext): TimeEntriesResource {
  const entryRef = (entry: string) => ({ path: { entry: segment('entry', entry) } });
  return {
    list(org, query = {}, options) {
      return paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/time-entries', {
              params: { path: { org: segment('org', org) }, query: pageQuery(query, cursor) },
            }),
          ),
        options,
      );
    },
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/time-entries', {
          params: { path: { org: segment('org', org) } },
          body,
          headers: idempotency(options),
        }),
      ),
    get: async (entry) =>
      data(await raw.GET('/v1/time-entries/{entry}', { params: entryRef(entry) })),
    update: async (entry, body, options) =>
      data(
        await raw.PATCH('/v1/time-entries/{entry}', {
          params: entryRef(entry),
          body,
          headers: { ...idempotency(options), ...ifMatchHeader(options) },
        }),
      ),
    async delete(entry) {
      await raw.DELETE('/v1/time-entries/{entry}', { params: entryRef(entry) });
    },
  };
}

export function timeLocksResource({ raw }: ResourceContext): TimeLocksResource {
  return {
    list(org, query = {}, options) {
      return paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/time-locks', {
              params: { path: { org: segment('org', org) }, query: pageQuery(query, cursor) },
            }),
          ),
        options,
      );
    },
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/time-locks', {
          params: { path: { org: segment('org', org) } },
          body,
          headers: idempotency(options),
        }),
      ),
    async delete(org, lock) {
      await raw.DELETE('/v1/orgs/{org}/time-locks/{lock}', {
        params: { path: { org: segment('org', org), lock: segment('lock', lock) } },
      });
    },
  };
}

export function timeSettingsResource({ raw }: ResourceContext): TimeSettingsResource {
  const orgRef = (org: string) => ({ params: { path: { org: segment('org', org) } } });
  return {
    get: async (org) => data(await raw.GET('/v1/orgs/{org}/time-settings', orgRef(org))),
    update: async (org, body) =>
      data(await raw.PATCH('/v1/orgs/{org}/time-settings', { ...orgRef(org), body })),
  };
}

export function ratesResource({ raw }: ResourceContext): RatesResource {
  const projectRef = (project: string) => ({
    params: { path: { project: segment('project', project) } },
  });
  return {
    list: async (project) =>
      data(await raw.GET('/v1/projects/{project}/rates', projectRef(project))).items,
    set: async (project, body) =>
      data(await raw.PUT('/v1/projects/{project}/rates', { ...projectRef(project), body })).items,
  };
}
