import type { Queryable } from '../../db/types.js';

export interface LeadFilterRow {
  id: string;
  name: string;
  query: Record<string, unknown>;
  created_at: Date;
}

const COLUMNS = 'id, name, query, created_at';

/** A person's filters in the organization, by name. */
export async function listFilters(
  db: Queryable,
  orgId: string,
  userId: string,
): Promise<LeadFilterRow[]> {
  const { rows } = await db.query<LeadFilterRow>(
    `SELECT ${COLUMNS} FROM lead_filters WHERE org_id = $1 AND user_id = $2
     ORDER BY lower(name), id`,
    [orgId, userId],
  );
  return rows;
}

/** Saves a filter; undefined when the person already has one by that name (any case). */
export async function insertFilter(
  db: Queryable,
  filter: { orgId: string; userId: string; name: string; query: object; now: Date },
): Promise<LeadFilterRow | undefined> {
  const { rows } = await db.query<LeadFilterRow>(
    `INSERT INTO lead_filters (org_id, user_id, name, query, created_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
    [filter.orgId, filter.userId, filter.name, JSON.stringify(filter.query), filter.now],
  );
  return rows[0];
}

/** Deletes one of the person's filters; false when they have none with that id. */
export async function deleteFilter(
  db: Queryable,
  orgId: string,
  userId: string,
  id: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    'DELETE FROM lead_filters WHERE org_id = $1 AND user_id = $2 AND id = $3',
    [orgId, userId, id],
  );
  return rowCount > 0;
}
