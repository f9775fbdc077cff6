import type { components } from '@pmkit/sdk/schema';
import { isUuid } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { conflict, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { normalizeEmail } from '../../lib/email.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import type { CredentialCache, Invalidation } from '../access/credential-cache.js';
import { type Role, roleRank } from '../access/permissions.js';
import * as store from './store.js';

type Member = components['schemas']['Member'];

const toMember = (row: store.MemberRow): Member => ({
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: row.role,
  joinedAt: row.joined_at.toISOString(),
});

const onlyOwners = (detail: string) => new HttpError(403, detail, { type: 'missing-permission' });

export class MemberService {
  constructor(
    private readonly db: Database,
    private readonly cache: CredentialCache,
    private readonly clock: Clock,
  ) {}

  /** Adds `userId` with `role`, inside the caller's transaction; false if already a member. */
  add(q: Queryable, orgId: string, userId: string, role: Role): Promise<boolean> {
    return store.insertMember(q, orgId, userId, role);
  }

  /** Whether the user belongs to the organization. */
  hasMember(q: Queryable, orgId: string, userId: string): Promise<boolean> {
    return store.hasMember(q, orgId, userId);
  }

  /** Whether someone with this address already belongs to the organization. */
  hasMemberWithEmail(q: Queryable, orgId: string, email: string): Promise<boolean> {
    return store.hasMemberWithEmail(q, orgId, normalizeEmail(email));
  }

  /** Which of `userIds` are not members of the organization (to refuse them as assignees). */
  nonMembers(q: Queryable, orgId: string, userIds: readonly string[]): Promise<string[]> {
    return store.nonMembers(q, orgId, userIds);
  }

  /** Runs a change of membership; every instance forgets the roles and keys it touched. */
  private async changing<T>(
    work: (tx: Queryable, touched: (userId: string) => Promise<void>) => Promise<T>,
    orgId: string,
  ): Promise<T> {
    const changes: Invalidation[] = [];
    const result = await this.db.transaction((tx) =>
      work(tx, async (userId) => {
        const change = { kind: 'member', orgId, userId } as const;
        changes.push(change);
        await this.cache.announce(tx, change);
      }),
    );
    await Promise.all(changes.map((change) => this.cache.forget(change)));
    return result;
  }

  async list(org: OrgContext, query: { limit?: number; cursor?: string }) {
    const keyset = byCreation(query, 'oldest', 'm.created_at', 'm.user_id');
    return keyset.page(await store.listMembers(this.db, org.id, keyset), toMember);
  }

  async changeRole(org: OrgContext, target: string, role: Role, actor: Actor, meta: RequestMeta) {
    return this.changing(async (tx, touched) => {
      await store.lockOrg(tx, org.id);
      const member = await this.find(tx, org, target, actor);
      // Owners are made and unmade only by owners.
      if ((role === 'owner' || member.role === 'owner') && org.role !== 'owner') {
        throw onlyOwners('Only an Owner may grant or take away the Owner role');
      }
      if (member.role === 'owner' && role !== 'owner') await this.keepAnOwner(tx, org.id);
      await store.setRole(tx, org.id, member.user_id, role);
      await touched(member.user_id);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'member',
        entityId: member.user_id,
        action: 'role_changed',
        changes: { from: member.role, to: role },
        meta,
      });
      return toMember({ ...member, role });
    }, org.id);
  }

  async remove(org: OrgContext, target: string, actor: Actor, meta: RequestMeta): Promise<void> {
    await this.changing(async (tx, touched) => {
      await store.lockOrg(tx, org.id);
      const member = await this.find(tx, org, target, actor);
      if (member.role === 'owner') {
        if (org.role !== 'owner' && member.user_id !== actor.id) {
          throw onlyOwners('Only an Owner may remove an Owner');
        }
        await this.keepAnOwner(tx, org.id);
      }
      await store.deleteMember(tx, org.id, member.user_id, this.clock.now());
      await touched(member.user_id);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'member',
        entityId: member.user_id,
        action: 'removed',
        changes: { role: member.role },
        meta,
      });
    }, org.id);
  }

  async leave(
    org: OrgContext,
    principal: Principal,
    actor: Actor,
    meta: RequestMeta,
  ): Promise<void> {
    await this.remove(org, principal.userId, { ...actor, id: principal.userId }, meta);
  }

  async transferOwnership(
    org: OrgContext,
    principal: Principal,
    toUserId: string,
    actor: Actor,
    meta: RequestMeta,
  ) {
    await this.changing(async (tx, touched) => {
      await store.lockOrg(tx, org.id);
      const target = await store.lockMember(tx, org.id, toUserId);
      if (!target) throw notFound('No such member');
      if (target.user_id === principal.userId) throw conflict('You are already an Owner');
      await store.setRole(tx, org.id, target.user_id, 'owner');
      await store.setRole(tx, org.id, principal.userId, 'admin');
      await touched(target.user_id);
      await touched(principal.userId);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'org',
        entityId: org.id,
        action: 'ownership_transferred',
        changes: { from: principal.userId, to: target.user_id },
        meta,
      });
    }, org.id);
    return { ...org, role: 'admin' as const };
  }

  private async find(tx: Queryable, org: OrgContext, target: string, actor: Actor) {
    const userId = target === 'me' ? actor.id : target;
    // The contract's pattern lets 36 dashes and hex digits through; only a uuid can be a member.
    const member =
      userId && isUuid(userId) ? await store.lockMember(tx, org.id, userId) : undefined;
    if (!member) throw notFound('No such member');
    // Admins act on those below them; nobody outranks an Owner but another Owner.
    if (roleRank(member.role) > roleRank(org.role)) {
      throw onlyOwners(`Only an Owner may change or remove a member whose role is ${member.role}`);
    }
    return member;
  }

  private async keepAnOwner(tx: Queryable, orgId: string) {
    if ((await store.countOwners(tx, orgId)) <= 1) {
      throw conflict('An organization needs an Owner: transfer ownership first', 'last-owner');
    }
  }
}
