import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database } from '../../db/types.js';
import { badRequest, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { recordEvent } from '../../lib/events.js';
import type { Change } from '../projects/service.js';
import * as store from './filter-store.js';

type LeadFilter = components['schemas']['LeadFilter'];
type CreateLeadFilter = components['schemas']['CreateLeadFilterRequest'];

const toFilter = (row: store.LeadFilterRow): LeadFilter => ({
  id: row.id,
  name: row.name,
  query: row.query,
  createdAt: row.created_at.toISOString(),
});

/** Saved lead filters: each person's own, never seen by anyone else (their ids answer 404). */
export class LeadFilterService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async list(org: OrgContext, principal: Principal) {
    const rows = await store.listFilters(this.db, org.id, principal.userId);
    return { items: rows.map(toFilter) };
  }

  async create(org: OrgContext, principal: Principal, input: CreateLeadFilter, change: Change) {
    const { query } = input;
    if (
      query.scoreMin !== undefined &&
      query.scoreMax !== undefined &&
      query.scoreMin > query.scoreMax
    ) {
      throw badRequest('scoreMin is above scoreMax: no lead would match', [
        { path: '/body/query/scoreMin', message: 'must not be above scoreMax' },
      ]);
    }
    const name = input.name.trim();
    if (!name) {
      throw badRequest('A filter needs a name', [{ path: '/body/name', message: 'is blank' }]);
    }
    return this.db.transaction(async (tx) => {
      const row = await store.insertFilter(tx, {
        orgId: org.id,
        userId: principal.userId,
        name,
        query,
        now: this.clock.now(),
      });
      if (!row) {
        throw new HttpError(409, `You already have a lead filter named "${name}"`, {
          type: 'lead-filter-name-taken',
          errors: [{ path: '/body/name', message: 'is taken' }],
        });
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'lead_filter',
        entityId: row.id,
        action: 'created',
        changes: { name },
        meta: change.meta,
      });
      return toFilter(row);
    });
  }

  async delete(org: OrgContext, principal: Principal, id: string, change: Change) {
    await this.db.transaction(async (tx) => {
      if (!(await store.deleteFilter(tx, org.id, principal.userId, id))) {
        throw notFound('No such lead filter');
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor: change.actor,
        entity: 'lead_filter',
        entityId: id,
        action: 'deleted',
        meta: change.meta,
      });
    });
  }
}
