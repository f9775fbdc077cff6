import type { components } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { HttpError } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import type { MemberService } from '../members/service.js';
import type { Change } from '../projects/service.js';
import * as bulk from './bulk-store.js';
import { type LeadService, worksAllLeads } from './service.js';
import * as store from './store.js';

type BulkRequest = components['schemas']['BulkLeadRequest'];
type BulkResult = components['schemas']['BulkLeadResult'];
type Outcome = Omit<BulkResult['results'][number], 'lead'>;

/** What a lead may carry (the contract's LeadTags). */
const MAX_TAGS = 50;

/** One change applied to many leads in one transaction, set-wise, reported per lead. */
export class BulkLeadService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly leads: LeadService,
    private readonly members: MemberService,
  ) {}

  /** A change the caller may not make at all, or that names nothing real, refuses the request. */
  private async checkOwner(
    tx: Queryable,
    org: OrgContext,
    principal: Principal,
    ownerId: string | null,
  ) {
    if (!worksAllLeads(org) && ownerId !== principal.userId) {
      throw new HttpError(403, 'Only Managers hand leads to someone else', {
        type: 'missing-permission',
      });
    }
    if (ownerId && !(await this.members.hasMember(tx, org.id, ownerId))) {
      throw new HttpError(422, 'The owner must be a member of the organization', {
        type: 'unknown-owner',
        errors: [{ path: '/body/change/ownerId', message: 'is not a member' }],
      });
    }
  }

  async apply(
    org: OrgContext,
    principal: Principal,
    input: BulkRequest,
    change: Change,
  ): Promise<BulkResult> {
    const now = this.clock.now();
    // One of the contract's alternatives; read as the union of their fields.
    const c = input.change as Partial<{
      ownerId: string | null;
      status: string;
      tags: { add?: string[]; remove?: string[] };
      delete: true;
    }>;
    // The contract lets only ids through; a ref that is not one names no lead.
    const idOf = (ref: string) => (isUuid(ref) ? ref.toLowerCase() : null);
    return this.db.transaction(async (tx) => {
      if (c.ownerId !== undefined) await this.checkOwner(tx, org, principal, c.ownerId);
      let statusId: string | undefined;
      if (c.status !== undefined) {
        await this.leads.ensurePipeline(tx, org.id);
        statusId = (await this.leads.statusByName(tx, org.id, c.status, '/body/change/status')).id;
      }
      const wanted = [...new Set(input.leads.map(idOf).filter((id) => id !== null))];
      const targets = new Map((await bulk.lockTargets(tx, org.id, wanted)).map((t) => [t.id, t]));
      const outcomes = new Map<string, Outcome>();
      const fail = (id: string, status: number, detail: string) =>
        outcomes.set(id, { ok: false, id, error: { status, detail } });
      let ids: string[] = [];
      for (const id of wanted) {
        const target = targets.get(id);
        if (!target || target.deleted) fail(id, 404, `No lead ${id}`);
        else if (!worksAllLeads(org) && target.owner_id !== principal.userId) {
          fail(id, 403, `Members change only the leads they own; lead ${id} is someone else's`);
        } else ids.push(id);
      }
      let changes: Record<string, unknown>;
      if (c.ownerId !== undefined) {
        await bulk.setAll(tx, org.id, ids, 'owner_id', c.ownerId, now);
        changes = { ownerId: c.ownerId };
      } else if (statusId !== undefined) {
        await bulk.setAll(tx, org.id, ids, 'status_id', statusId, now);
        changes = { status: c.status };
      } else if (c.tags !== undefined) {
        const add = c.tags.add ?? [];
        const remove = c.tags.remove ?? [];
        const changed = await bulk.changeTags(tx, org.id, ids, add, remove, MAX_TAGS, now);
        for (const id of ids.filter((id) => !changed.has(id))) {
          fail(id, 422, `Lead ${id} would carry more than ${MAX_TAGS} tags`);
        }
        ids = ids.filter((id) => changed.has(id));
        changes = { tags: c.tags };
      } else {
        await bulk.setAll(tx, org.id, ids, 'deleted_at', now, now);
        changes = { bulk: true };
      }
      if (!c.delete && ids.length > 0) await store.rescore(tx, org.id, { ids });
      const action = c.delete ? 'deleted' : 'updated';
      await bulk.recordEvents(tx, org.id, ids, changes, action, change.actor, change.meta);
      for (const id of ids) outcomes.set(id, { ok: true, id });
      const results = input.leads.map((lead) => {
        const id = idOf(lead);
        const outcome = id && outcomes.get(id);
        return {
          lead,
          ...(outcome || {
            ok: false,
            id: null,
            error: { status: 404, detail: `No lead ${lead}` },
          }),
        };
      });
      const applied = results.filter((r) => r.ok).length;
      return { applied, failed: results.length - applied, results };
    });
  }
}
