import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { conflict } from '../../http/problem.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import { CredentialCache } from '../access/credential-cache.js';
import * as store from './store.js';

type Org = components['schemas']['Org'];

export const toOrg = (
  row: Pick<store.OrgRow, 'id' | 'slug' | 'name' | 'role' | 'created_at'>,
): Org => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  role: row.role,
  createdAt: row.created_at.toISOString(),
});

/** A slug from a name: `Acme Inc.` → `acme-inc`. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return slug || 'org';
}

export class OrgService {
  constructor(
    private readonly db: Database,
    private readonly cache: CredentialCache,
  ) {}

  /** The organization as `userId` sees it (with their role), inside the caller's transaction. */
  async ofUser(q: Queryable, userId: string, orgId: string): Promise<Org | undefined> {
    const row = await store.findOrgOfUser(q, userId, orgId);
    return row && toOrg(row);
  }

  async list(principal: Principal, query: { limit?: number; cursor?: string }) {
    const keyset = byCreation(query, 'oldest', 'm.created_at', 'o.id');
    return keyset.page(await store.listOrgsOfUser(this.db, principal.userId, keyset), toOrg);
  }

  async create(
    principal: Principal,
    input: { name: string; slug?: string },
    meta: RequestMeta,
  ): Promise<Org> {
    const slug = input.slug ?? slugify(input.name);
    return this.db.transaction(async (tx) => {
      const id = await store.insertOrg(tx, { slug, name: input.name });
      if (!id) {
        throw conflict(`The slug ${slug} is taken; choose another`, 'slug-taken');
      }
      await store.insertMember(tx, { orgId: id, userId: principal.userId, role: 'owner' });
      await recordEvent(tx, {
        orgId: id,
        actor: { kind: 'user', id: principal.userId },
        entity: 'org',
        entityId: id,
        action: 'created',
        changes: { name: input.name, slug },
        meta,
      });
      const row = await store.findOrgOfUser(tx, principal.userId, id);
      return toOrg(row!);
    });
  }

  /** The organization `ref` (id or slug) with the caller's role, if the caller may act in it. */
  async membership(principal: Principal | null, ref: string): Promise<OrgContext | undefined> {
    if (!principal) return undefined;
    const key = CredentialCache.membershipKey(principal.userId, ref);
    let org = this.cache.memberships.get(key)?.org;
    if (!org) {
      const row = await store.findOrgOfUser(this.db, principal.userId, ref);
      if (!row) return undefined;
      org = {
        id: row.id,
        slug: row.slug,
        name: row.name,
        role: row.role,
        createdAt: row.created_at,
      };
      this.cache.memberships.set(key, { userId: principal.userId, org });
    }
    if (principal.kind === 'api_key' && org.id !== principal.orgId) return undefined;
    return org;
  }

  async update(
    org: OrgContext,
    patch: { name?: string; slug?: string },
    actor: Actor,
    meta: RequestMeta,
  ): Promise<Org> {
    const change = { kind: 'org', orgId: org.id } as const;
    const updated = await this.db.transaction(async (tx) => {
      const updated = await store.updateOrg(tx, org.id, patch);
      if (!updated) throw conflict(`The slug ${patch.slug} is taken; choose another`, 'slug-taken');
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'org',
        entityId: org.id,
        action: 'updated',
        changes: patch,
        meta,
      });
      await this.cache.announce(tx, change);
      return toOrg({ ...updated, role: org.role });
    });
    await this.cache.forget(change);
    return updated;
  }

  /** The organization as the caller sees it, from what the authorize stage already loaded. */
  view(org: OrgContext): Org {
    return toOrg({
      id: org.id,
      slug: org.slug,
      name: org.name,
      role: org.role,
      created_at: org.createdAt,
    });
  }
}
