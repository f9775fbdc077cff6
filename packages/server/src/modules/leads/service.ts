import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { badRequest, conflict, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { Keyset } from '../../lib/keyset.js';
import { roleRank } from '../access/permissions.js';
import type { MemberService } from '../members/service.js';
import { checkIfMatch } from '../projects/service.js';
import { normalizeEmail, normalizePhone } from './normalize.js';
import * as store from './store.js';

type Lead = components['schemas']['Lead'];
type LeadStatus = components['schemas']['LeadStatus'];
type CreateLead = components['schemas']['CreateLeadRequest'];
type UpdateLead = components['schemas']['UpdateLeadRequest'];
type CreateStatus = components['schemas']['CreateLeadStatusRequest'];
type UpdateStatus = components['schemas']['UpdateLeadStatusRequest'];
type ScoringRule = components['schemas']['LeadScoringRule'];
type CreateRule = components['schemas']['CreateLeadScoringRuleRequest'];
type UpdateRule = components['schemas']['UpdateLeadScoringRuleRequest'];

const toRule = (row: store.ScoringRuleRow): ScoringRule => ({
  id: row.id,
  description: row.description,
  field: row.field as ScoringRule['field'],
  operator: row.operator,
  value: row.value,
  points: row.points,
  position: row.position,
});

/** A rule's condition is complete (400 naming `value` otherwise); its description defaults to it. */
function checkRule(rule: {
  description?: string | undefined;
  field: string;
  operator: ScoringRule['operator'];
  value: string | null;
  points: number;
}) {
  const needsValue = rule.operator === 'equals' || rule.operator === 'contains';
  if (needsValue && !rule.value) {
    throw badRequest(`The ${rule.operator} operator compares with a value`, [
      { path: '/body/value', message: 'is required for equals and contains' },
    ]);
  }
  const value = needsValue ? rule.value : null;
  const condition = needsValue
    ? `${rule.field} ${rule.operator} "${value}"`
    : `${rule.field} ${rule.operator === 'present' ? 'is set' : 'is empty'}`;
  return {
    description: rule.description ?? condition,
    field: rule.field,
    operator: rule.operator,
    value,
    points: rule.points,
  };
}

export interface LeadListQuery {
  status?: string;
  owner?: string;
  source?: string;
  tag?: string;
  scoreMin?: number;
  scoreMax?: number;
  followUpDue?: boolean;
  q?: string;
  sort?: string;
  limit?: number;
  cursor?: string;
}

const toStatus = (row: store.LeadStatusRow): LeadStatus => ({
  id: row.id,
  name: row.name,
  category: row.category,
  position: row.position,
});

export const toLead = (row: store.LeadRow): Lead => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  company: row.company,
  title: row.title,
  source: row.source,
  status: row.status,
  ownerId: row.owner_id,
  score: row.score,
  scoreBreakdown: row.score_breakdown,
  tags: row.tags,
  notes: row.notes,
  nextFollowUpAt: row.next_follow_up_at?.toISOString() ?? null,
  lostReason: row.lost_reason,
  preferences: row.preferences,
  customFields: row.custom_fields,
  createdBy: row.created_by,
  convertedAt: row.converted_at?.toISOString() ?? null,
  projectId: row.project_id,
  version: row.version,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Managers and above work every lead of the organization; Members the leads they own. */
export const worksAllLeads = (org: OrgContext) => roleRank(org.role) >= roleRank('manager');

const LEAD_FIELDS = [
  'name',
  'email',
  'phone',
  'company',
  'title',
  'source',
  'status',
  'ownerId',
  'tags',
  'notes',
  'nextFollowUpAt',
  'lostReason',
  'preferences',
  'customFields',
] as const;

const emptyToNull = (value: string | null | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

export class LeadService {
  /** Organizations whose default pipeline this process knows exists. */
  private readonly seeded = new Set<string>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly deps: { members: MemberService },
  ) {}

  /** The default pipeline, created on first use. */
  async ensurePipeline(q: Queryable, orgId: string): Promise<void> {
    if (this.seeded.has(orgId)) return;
    await store.seedPipeline(q, orgId);
    this.seeded.add(orgId);
  }

  /** For the authorize stage: the organization of a lead id. */
  async locate(id: string): Promise<{ orgId: string; id: string } | undefined> {
    const orgId = await store.locateLead(this.db, id);
    return orgId ? { orgId, id } : undefined;
  }

  async stats(org: OrgContext, period: { since?: string; until?: string }) {
    await this.ensurePipeline(this.db, org.id);
    const rows = await store.leadStats(this.db, org.id, period);
    const pick = (d: store.StatsRow['dimension']) => rows.filter((r) => r.dimension === d);
    const byCount = (a: { count: number }, b: { count: number }) => b.count - a.count;
    const byStatus = pick('status')
      .sort((a, b) => a.position! - b.position!)
      .map((r) => ({ status: r.status!, category: r.category!, count: r.count }));
    const outcome = (d: 'won' | 'lost' | 'converted') =>
      rows.find((r) => r.dimension === d)?.count ?? 0;
    const won = outcome('won');
    const lost = outcome('lost');
    return {
      total: byStatus.reduce((n, s) => n + s.count, 0),
      byStatus,
      bySource: pick('source')
        .map((r) => ({ source: r.source, count: r.count }))
        .sort(byCount),
      byOwner: pick('owner')
        .map((r) => ({ ownerId: r.owner_id, count: r.count }))
        .sort(byCount),
      conversion: {
        won,
        lost,
        converted: outcome('converted'),
        rate: won + lost === 0 ? null : won / (won + lost),
      },
    };
  }

  /** Scores the leads an import batch wrote at `at` (inside the batch's transaction). */
  rescoreImported(q: Queryable, orgId: string, importId: string, at: Date): Promise<void> {
    return store.rescore(q, orgId, { importId, at });
  }

  // --- scoring rules ----------------------------------------------------------------------------

  async listRules(org: OrgContext) {
    return { items: (await store.listRules(this.db, org.id)).map(toRule) };
  }

  async createRule(org: OrgContext, input: CreateRule, actor: Actor, meta: RequestMeta) {
    const rule = checkRule({ ...input, value: input.value ?? null });
    return this.db.transaction(async (tx) => {
      const created = await store.insertRule(tx, org.id, rule);
      await store.rescore(tx, org.id, {});
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead_scoring_rule',
        entityId: created.id,
        action: 'created',
        changes: { ...rule },
        meta,
      });
      return toRule(created);
    });
  }

  async updateRule(
    org: OrgContext,
    id: string,
    input: UpdateRule,
    actor: Actor,
    meta: RequestMeta,
  ) {
    return this.db.transaction(async (tx) => {
      const current = await store.findRule(tx, org.id, id);
      if (!current) throw notFound('No such scoring rule');
      const merged = { ...current, ...input };
      const rule = checkRule({
        ...merged,
        description:
          input.description ??
          (input.field || input.operator || input.value !== undefined || input.points !== undefined
            ? undefined
            : current.description),
      });
      const updated = await store.updateRule(tx, org.id, { ...current, ...rule });
      await store.rescore(tx, org.id, {});
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead_scoring_rule',
        entityId: id,
        action: 'updated',
        changes: { ...input },
        meta,
      });
      return toRule(updated);
    });
  }

  async deleteRule(org: OrgContext, id: string, actor: Actor, meta: RequestMeta) {
    await this.db.transaction(async (tx) => {
      if (!(await store.findRule(tx, org.id, id))) throw notFound('No such scoring rule');
      await store.deleteRule(tx, org.id, id);
      await store.rescore(tx, org.id, {});
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead_scoring_rule',
        entityId: id,
        action: 'deleted',
        meta,
      });
    });
  }

  // --- statuses -------------------------------------------------------------------------------

  async listStatuses(org: OrgContext) {
    await this.ensurePipeline(this.db, org.id);
    return { items: (await store.listStatuses(this.db, org.id)).map(toStatus) };
  }

  /** Finds a status by name (case-insensitive), 422 naming the field otherwise. */
  async statusByName(q: Queryable, orgId: string, name: string, path = '/body/status') {
    const status = await store.findStatus(q, orgId, { name });
    if (!status) {
      throw new HttpError(422, `No lead status "${name}" in this organization's pipeline`, {
        type: 'unknown-status',
        errors: [{ path, message: 'is not a status of the pipeline' }],
      });
    }
    return status;
  }

  async createStatus(org: OrgContext, input: CreateStatus, actor: Actor, meta: RequestMeta) {
    return this.db.transaction(async (tx) => {
      await this.ensurePipeline(tx, org.id);
      await store.lockStatuses(tx, org.id);
      const statuses = await store.listStatuses(tx, org.id);
      const created = await store.insertStatus(tx, org.id, {
        name: input.name.trim(),
        category: input.category ?? 'open',
        position: statuses.length,
      });
      if (!created) throw this.nameConflict(input.name);
      const position = Math.min(input.position ?? statuses.length, statuses.length);
      const ids = statuses.map((s) => s.id);
      ids.splice(position, 0, created.id);
      await store.setPositions(tx, org.id, ids);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead_status',
        entityId: created.id,
        action: 'created',
        changes: { name: created.name, category: created.category, position },
        meta,
      });
      return { ...toStatus(created), position };
    });
  }

  async updateStatus(
    org: OrgContext,
    id: string,
    input: UpdateStatus,
    actor: Actor,
    meta: RequestMeta,
  ) {
    return this.db.transaction(async (tx) => {
      await store.lockStatuses(tx, org.id);
      const statuses = await store.listStatuses(tx, org.id);
      const current = statuses.find((s) => s.id === id);
      if (!current) throw notFound('No such lead status');
      const name = input.name?.trim();
      if (name !== undefined && (await store.nameTaken(tx, org.id, name, id))) {
        throw this.nameConflict(name);
      }
      await store.updateStatus(tx, org.id, id, { name, category: input.category });
      if (input.position !== undefined) {
        const ids = statuses.map((s) => s.id).filter((s) => s !== id);
        ids.splice(Math.min(input.position, ids.length), 0, id);
        await store.setPositions(tx, org.id, ids);
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead_status',
        entityId: id,
        action: 'updated',
        changes: { ...input },
        meta,
      });
      return toStatus((await store.findStatus(tx, org.id, { id }))!);
    });
  }

  async deleteStatus(org: OrgContext, id: string, actor: Actor, meta: RequestMeta) {
    await this.db.transaction(async (tx) => {
      await store.lockStatuses(tx, org.id);
      const statuses = await store.listStatuses(tx, org.id);
      if (!statuses.some((s) => s.id === id)) throw notFound('No such lead status');
      if (statuses.length === 1) throw conflict('The pipeline needs at least one status');
      if (await store.statusInUse(tx, org.id, id)) {
        throw conflict('Leads are in this status: move them to another status first');
      }
      await store.deleteStatus(tx, org.id, id);
      await store.setPositions(
        tx,
        org.id,
        statuses.map((s) => s.id).filter((s) => s !== id),
      );
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead_status',
        entityId: id,
        action: 'deleted',
        meta,
      });
    });
  }

  private nameConflict(name: string) {
    return new HttpError(409, `The pipeline already has a status named "${name}"`, {
      type: 'conflict',
      errors: [{ path: '/body/name', message: 'is taken' }],
    });
  }

  // --- leads ----------------------------------------------------------------------------------

  async list(org: OrgContext, principal: Principal, query: LeadListQuery) {
    const keyset = new Keyset({
      sortable: {
        createdAt: { sql: 'l.created_at', kind: 'timestamp' },
        updatedAt: { sql: 'l.updated_at', kind: 'timestamp' },
        name: { sql: 'l.name', kind: 'text' },
        score: { sql: 'l.score', kind: 'number' },
      },
      defaultSort: '-createdAt',
      unique: { sql: 'l.id', kind: 'uuid' },
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit ?? 50,
    });
    let statusId: string | undefined;
    if (query.status) {
      await this.ensurePipeline(this.db, org.id);
      const status = await store.findStatus(this.db, org.id, { name: query.status });
      if (!status) return { items: [], nextCursor: null };
      statusId = status.id;
    }
    const rows = await store.listLeads(
      this.db,
      org.id,
      {
        statusId,
        ownerId: query.owner === 'me' ? principal.userId : query.owner,
        source: query.source,
        tag: query.tag,
        scoreMin: query.scoreMin,
        scoreMax: query.scoreMax,
        dueBefore: query.followUpDue ? this.clock.now() : undefined,
        text: query.q,
      },
      keyset,
    );
    return keyset.page(rows, toLead);
  }

  async get(org: OrgContext, id: string): Promise<Lead> {
    const row = await store.findLead(this.db, org.id, id);
    if (!row) throw notFound('No such lead');
    return toLead(row);
  }

  async create(
    org: OrgContext,
    principal: Principal,
    input: CreateLead,
    actor: Actor,
    meta: RequestMeta,
  ): Promise<Lead> {
    return this.db.transaction(async (tx) => {
      await this.ensurePipeline(tx, org.id);
      const ownerId = input.ownerId === undefined ? principal.userId : input.ownerId;
      if (!worksAllLeads(org) && ownerId !== principal.userId) {
        throw this.notYours('Members create leads they own: leave ownerId out, or set it to yours');
      }
      const values = await this.values(tx, org, {
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        company: input.company ?? null,
        title: input.title ?? null,
        source: input.source ?? null,
        status: input.status,
        ownerId,
        tags: input.tags ?? [],
        notes: input.notes ?? '',
        nextFollowUpAt: input.nextFollowUpAt ?? null,
        lostReason: input.lostReason ?? null,
        preferences: input.preferences ?? {},
        customFields: input.customFields ?? {},
      });
      const id = await store.insertLead(tx, org.id, values, principal.userId, this.clock.now());
      await store.rescore(tx, org.id, { ids: [id] });
      const row = (await store.findLead(tx, org.id, id))!;
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead',
        entityId: id,
        action: 'created',
        changes: { name: row.name, status: row.status, ownerId: row.owner_id },
        meta,
      });
      return toLead(row);
    });
  }

  async update(
    org: OrgContext,
    principal: Principal,
    id: string,
    input: UpdateLead,
    ifMatch: string,
    actor: Actor,
    meta: RequestMeta,
  ): Promise<Lead> {
    return this.db.transaction(async (tx) => {
      const current = await store.findLead(tx, org.id, id, { lock: true });
      if (!current) throw notFound('No such lead');
      checkIfMatch(ifMatch, current.version);
      if (
        !worksAllLeads(org) &&
        input.ownerId !== undefined &&
        input.ownerId !== principal.userId
      ) {
        throw this.notYours('Only Managers hand a lead to someone else');
      }
      const before = toLead(current);
      const merged = { ...before, ...input };
      const values = await this.values(tx, org, merged);
      this.mayWork(org, principal, current);
      await store.updateLead(tx, org.id, id, values, this.clock.now());
      await store.rescore(tx, org.id, { ids: [id] });
      const row = (await store.findLead(tx, org.id, id))!;
      const after = toLead(row);
      const changes: Record<string, unknown> = {};
      for (const field of LEAD_FIELDS) {
        if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) {
          changes[field] = after[field];
        }
      }
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead',
        entityId: id,
        action: 'updated',
        changes,
        meta,
      });
      return after;
    });
  }

  async remove(org: OrgContext, principal: Principal, id: string, actor: Actor, meta: RequestMeta) {
    await this.db.transaction(async (tx) => {
      const current = await store.findLead(tx, org.id, id, { lock: true });
      if (!current) throw notFound('No such lead');
      this.mayWork(org, principal, current);
      await store.softDeleteLead(tx, org.id, id, this.clock.now());
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'lead',
        entityId: id,
        action: 'deleted',
        meta,
      });
    });
  }

  private mayWork(org: OrgContext, principal: Principal, lead: store.LeadRow) {
    if (!worksAllLeads(org) && lead.owner_id !== principal.userId) {
      throw this.notYours("Members change only the leads they own; this one is someone else's");
    }
  }

  private notYours(detail: string) {
    return new HttpError(403, detail, { type: 'missing-permission' });
  }

  /** Checks and normalises a lead's fields (400/422 naming the field). */
  private async values(
    q: Queryable,
    org: OrgContext,
    lead: Omit<CreateLead, 'status'> & { status?: string | undefined; ownerId: string | null },
  ): Promise<store.LeadValues> {
    const name = lead.name.trim();
    const email = emptyToNull(lead.email);
    const phone = emptyToNull(lead.phone);
    if (!name) {
      throw badRequest('A lead needs a name', [{ path: '/body/name', message: 'is required' }]);
    }
    if (!email && !phone) {
      throw badRequest('A lead needs an e-mail or a phone', [
        { path: '/body/email', message: 'is required when there is no phone' },
      ]);
    }
    const status = lead.status
      ? await this.statusByName(q, org.id, lead.status)
      : (await store.listStatuses(q, org.id))[0];
    if (!status) throw conflict('The pipeline has no status: add one first');
    if (lead.ownerId && !(await this.deps.members.hasMember(q, org.id, lead.ownerId))) {
      throw new HttpError(422, 'The owner must be a member of the organization', {
        type: 'unknown-owner',
        errors: [{ path: '/body/ownerId', message: 'is not a member' }],
      });
    }
    return {
      name,
      email,
      emailNorm: normalizeEmail(email),
      phone,
      phoneNorm: normalizePhone(phone),
      company: emptyToNull(lead.company),
      title: emptyToNull(lead.title),
      source: emptyToNull(lead.source),
      statusId: status.id,
      ownerId: lead.ownerId,
      tags: lead.tags ?? [],
      notes: lead.notes ?? '',
      nextFollowUpAt: lead.nextFollowUpAt ?? null,
      lostReason: emptyToNull(lead.lostReason),
      preferences: lead.preferences ?? {},
      customFields: lead.customFields ?? {},
    };
  }
}
