import { isUuid } from '../../context/located.js';
import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';
import { isoMicros } from '../../lib/sql.js';

export interface OrgRow {
  id: string;
  slug: string;
  name: string;
  role: 'owner' | 'admin' | 'manager' | 'member' | 'viewer';
  created_at: Date;
  /** When the user joined, to the microsecond (a JS Date keeps only milliseconds). */
  joined_at: string;
}

export async function insertOrg(
  db: Queryable,
  org: { slug: string; name: string },
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO orgs (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING RETURNING id',
    [org.slug, org.name],
  );
  return rows[0]?.id;
}

export async function insertMember(
  db: Queryable,
  member: { orgId: string; userId: string; role: OrgRow['role'] },
) {
  await db.query('INSERT INTO org_members (org_id, user_id, role) VALUES ($1, $2, $3)', [
    member.orgId,
    member.userId,
    member.role,
  ]);
}

const SELECT_MINE = `SELECT o.id, o.slug, o.name, m.role, o.created_at, ${isoMicros('m.created_at')} AS joined_at
  FROM org_members m JOIN orgs o ON o.id = m.org_id AND o.deleted_at IS NULL
  WHERE m.user_id = $1`;

/** One page of the user's organizations. */
export async function listOrgsOfUser(
  db: Queryable,
  userId: string,
  keyset: Keyset,
): Promise<OrgRow[]> {
  const params: unknown[] = [userId];
  const { rows } = await db.query<OrgRow>(
    `${SELECT_MINE.replace('SELECT ', `SELECT ${keyset.select()}, `)} AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

/** The organization by id or slug, if the user is a member of it. */
export async function findOrgOfUser(
  db: Queryable,
  userId: string,
  ref: string,
): Promise<OrgRow | undefined> {
  const column = isUuid(ref) ? 'o.id = $2::uuid' : 'o.slug = $2';
  const { rows } = await db.query<OrgRow>(`${SELECT_MINE} AND ${column}`, [userId, ref]);
  return rows[0];
}

/** Renames; undefined when the new slug is taken. */
export async function updateOrg(
  db: Queryable,
  id: string,
  patch: { name?: string; slug?: string },
): Promise<Omit<OrgRow, 'role' | 'joined_at'> | undefined> {
  const { rows } = await db.query<Omit<OrgRow, 'role' | 'joined_at'>>(
    `UPDATE orgs SET name = COALESCE($2, name), slug = COALESCE($3, slug), updated_at = now()
     WHERE id = $1 AND ($3::text IS NULL OR NOT EXISTS (SELECT 1 FROM orgs WHERE slug = $3 AND id <> $1))
     RETURNING id, slug, name, created_at`,
    [id, patch.name ?? null, patch.slug ?? null],
  );
  return rows[0];
}
