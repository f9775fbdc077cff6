import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface ApiKeyRow {
  org_id: string;
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = `org_id, id, name, prefix, scopes, created_by, created_at,
  expires_at, last_used_at`;

export async function insertApiKey(
  db: Queryable,
  key: {
    orgId: string;
    name: string;
    prefix: string;
    secretHash: string;
    scopes: string[];
    createdBy: string;
    expiresAt: string | null;
  },
): Promise<ApiKeyRow> {
  const { rows } = await db.query<ApiKeyRow>(
    `INSERT INTO api_keys (org_id, name, prefix, secret_hash, scopes, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7) RETURNING ${COLUMNS}`,
    [key.orgId, key.name, key.prefix, key.secretHash, key.scopes, key.createdBy, key.expiresAt],
  );
  return rows[0]!;
}

export async function listApiKeys(
  db: Queryable,
  orgId: string,
  keyset: Keyset,
  filter: { createdBy?: string },
): Promise<ApiKeyRow[]> {
  const params: unknown[] = [orgId, filter.createdBy ?? null];
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${COLUMNS}, ${keyset.select()} FROM api_keys
     WHERE org_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR created_by = $2::uuid)
       AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export async function findActive(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<ApiKeyRow | undefined> {
  const { rows } = await db.query<ApiKeyRow>(
    `SELECT ${COLUMNS} FROM api_keys WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL`,
    [orgId, id],
  );
  return rows[0];
}

export async function revoke(db: Queryable, orgId: string, id: string, now: Date): Promise<void> {
  await db.query('UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND id = $2', [
    orgId,
    id,
    now,
  ]);
}

export interface KeyCredential {
  org_id: string;
  id: string;
  scopes: string[];
  created_by: string;
  expires_at: Date | null;
  last_used_at: Date | null;
}

/**
 * The key a secret belongs to, if it is not revoked. Its creator's membership is checked once, by
 * the authorize stage (removing a member revokes their keys).
 */
export async function findBySecretHash(
  db: Queryable,
  hash: string,
): Promise<KeyCredential | undefined> {
  const { rows } = await db.query<KeyCredential>(
    `SELECT org_id, id, scopes, created_by, expires_at, last_used_at
     FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
  return rows[0];
}

/** Records a use at `now`, unless another instance recorded one in the last minute. */
export async function touch(db: Queryable, orgId: string, id: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE api_keys SET last_used_at = $3 WHERE org_id = $1 AND id = $2
       AND (last_used_at IS NULL OR last_used_at < $3::timestamptz - interval '1 minute')`,
    [orgId, id, now],
  );
}
