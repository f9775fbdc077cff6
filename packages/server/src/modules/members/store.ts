import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';
import type { Role } from '../access/permissions.js';

export interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: Role;
  joined_at: Date;
}

const SELECT = `SELECT m.user_id, u.email, u.name, m.role, m.created_at AS joined_at
  FROM org_members m JOIN users u ON u.id = m.user_id`;

export async function listMembers(
  db: Queryable,
  orgId: string,
  keyset: Keyset,
): Promise<MemberRow[]> {
  const params: unknown[] = [orgId];
  const { rows } = await db.query<MemberRow>(
    `${SELECT.replace('SELECT ', `SELECT ${keyset.select()}, `)} WHERE m.org_id = $1 AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

/** The member, locked for the rest of the transaction so role rules see a stable picture. */
export async function lockMember(
  db: Queryable,
  orgId: string,
  userId: string,
): Promise<MemberRow | undefined> {
  const { rows } = await db.query<MemberRow>(
    `${SELECT} WHERE m.org_id = $1 AND m.user_id = $2 FOR UPDATE OF m`,
    [orgId, userId],
  );
  return rows[0];
}

export async function countOwners(db: Queryable, orgId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM org_members WHERE org_id = $1 AND role = 'owner'`,
    [orgId],
  );
  return rows[0]!.n;
}

export async function setRole(
  db: Queryable,
  orgId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db.query('UPDATE org_members SET role = $3 WHERE org_id = $1 AND user_id = $2', [
    orgId,
    userId,
    role,
  ]);
}

export async function deleteMember(
  db: Queryable,
  orgId: string,
  userId: string,
  now: Date,
): Promise<void> {
  await db.query('DELETE FROM org_members WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
  await db.query(
    'UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND created_by = $2 AND revoked_at IS NULL',
    [orgId, userId, now],
  );
}

/** Serialises changes to one organization's owners, so two demotions cannot leave none. */
export async function lockOrg(db: Queryable, orgId: string): Promise<void> {
  await db.query('SELECT 1 FROM orgs WHERE id = $1 FOR UPDATE', [orgId]);
}

/** Adds a member; false when they already are one. */
export async function insertMember(
  db: Queryable,
  orgId: string,
  userId: string,
  role: Role,
): Promise<boolean> {
  const result = await db.query(
    'INSERT INTO org_members (org_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [orgId, userId, role],
  );
  return result.rowCount > 0;
}

/** Is someone with this (normalized) address a member already? */
export async function hasMember(db: Queryable, orgId: string, userId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM org_members WHERE org_id = $1 AND user_id = $2', [
    orgId,
    userId,
  ]);
  return rows.length > 0;
}

export async function hasMemberWithEmail(
  db: Queryable,
  orgId: string,
  emailNormalized: string,
): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM org_members m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1 AND u.email_normalized = $2`,
    [orgId, emailNormalized],
  );
  return rows.length > 0;
}

/** Which of `userIds` are not members of the organization. */
export async function nonMembers(
  db: Queryable,
  orgId: string,
  userIds: readonly string[],
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `SELECT u.id FROM unnest($2::uuid[]) AS u(id)
     WHERE NOT EXISTS (SELECT 1 FROM org_members m WHERE m.org_id = $1 AND m.user_id = u.id)`,
    [orgId, userIds],
  );
  return rows.map((row) => row.id);
}
