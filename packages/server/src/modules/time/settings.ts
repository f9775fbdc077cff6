import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database } from '../../db/types.js';
import { badRequest, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import { byCreation, type PageQuery } from '../../lib/keyset.js';
import { checkTimeZone } from '../../lib/time-zone.js';
import type { Change } from '../projects/service.js';
import { checkRate } from './access.js';
import { toLock, toSettings } from './mapping.js';
import * as settingsStore from './settings-store.js';
import * as store from './store.js';

type UpdateSettings = components['schemas']['UpdateTimeSettingsRequest'];
type CreateLock = components['schemas']['CreateTimeLockRequest'];
type SetRate = components['schemas']['SetProjectRateRequest'];

/** An organization's time settings, its locked periods, and projects' hourly rates. */
export class TimeSettingsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async get(org: OrgContext) {
    return toSettings(await settingsStore.getSettings(this.db, org.id));
  }

  async update(org: OrgContext, input: UpdateSettings, change: Change) {
    checkRate(input.defaultHourlyRate, '/body/defaultHourlyRate');
    return this.db.transaction(async (tx) => {
      const current = await settingsStore.getSettings(tx, org.id);
      const next: settingsStore.SettingsRow = {
        ...current,
        ...(input.defaultHourlyRate !== undefined
          ? {
              default_rate: input.defaultHourlyRate?.amount ?? null,
              default_currency: input.defaultHourlyRate?.currency ?? null,
            }
          : {}),
        ...(input.allowOverlap !== undefined ? { allow_overlap: input.allowOverlap } : {}),
        ...(input.viewersSeeReports !== undefined
          ? { viewers_see_reports: input.viewersSeeReports }
          : {}),
        ...(input.longTimerMinutes !== undefined
          ? { long_timer_minutes: input.longTimerMinutes }
          : {}),
      };
      await settingsStore.saveSettings(tx, org.id, next, this.clock.now());
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'time_settings',
        entityId: org.id,
        action: 'updated',
        changes: { ...input },
        meta: change.meta,
      });
      return toSettings(next);
    });
  }

  async listLocks(org: OrgContext, query: PageQuery) {
    const keyset = byCreation(query, 'newest');
    return keyset.page(await settingsStore.listLocks(this.db, org.id, keyset), toLock);
  }

  async createLock(org: OrgContext, principal: Principal, input: CreateLock, change: Change) {
    if (input.to < input.from) {
      throw badRequest('A locked period ends on or after the day it starts', [
        { path: '/body/to', message: 'must not be before from' },
      ]);
    }
    return this.db.transaction(async (tx) => {
      const timezone = checkTimeZone(
        input.timezone ?? (await store.userTimezone(tx, principal.userId)),
        '/body/timezone',
      );
      const lock = await settingsStore.insertLock(tx, {
        orgId: org.id,
        from: input.from,
        to: input.to,
        timezone,
        note: input.note ?? '',
        createdBy: principal.userId,
        now: this.clock.now(),
      });
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'time_lock',
        entityId: lock.id,
        action: 'created',
        changes: { from: input.from, to: input.to, timezone },
        meta: change.meta,
      });
      return toLock(lock);
    });
  }

  async deleteLock(org: OrgContext, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      if (!(await settingsStore.deleteLock(tx, org.id, id))) throw notFound('No such lock');
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'time_lock',
        entityId: id,
        action: 'deleted',
        meta: change.meta,
      });
    });
  }

  private async project(org: OrgContext, projectId: string) {
    const project = await store.findProjectTarget(this.db, org.id, { id: projectId });
    if (!project) throw notFound('No such project');
  }

  async listRates(org: OrgContext, projectId: string) {
    await this.project(org, projectId);
    return { items: (await settingsStore.listRates(this.db, org.id, projectId)).map(toRate) };
  }

  async setRate(org: OrgContext, projectId: string, input: SetRate, change: Change) {
    checkRate(input.hourlyRate, '/body/hourlyRate');
    await this.project(org, projectId);
    const userId = input.userId?.toLowerCase() ?? null;
    return this.db.transaction(async (tx) => {
      if (userId && !(await store.isMember(tx, org.id, userId))) {
        throw badRequest('That person is not a member of this organization', [
          { path: '/body/userId', message: 'must be a member' },
        ]);
      }
      await settingsStore.setRate(tx, {
        orgId: org.id,
        projectId,
        userId,
        rate: input.hourlyRate,
        now: this.clock.now(),
      });
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'project_rate',
        entityId: projectId,
        action: input.hourlyRate ? 'set' : 'cleared',
        changes: { userId, hourlyRate: input.hourlyRate },
        meta: change.meta,
      });
      return { items: (await settingsStore.listRates(tx, org.id, projectId)).map(toRate) };
    });
  }
}

const toRate = (row: settingsStore.RateRow) => ({
  userId: row.user_id,
  hourlyRate: { amount: row.rate, currency: row.currency },
});
