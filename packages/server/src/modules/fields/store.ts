import type { Queryable } from '../../db/types.js';

export type FieldType = 'text' | 'number' | 'date' | 'select' | 'multi_select' | 'user';

export interface FieldRow {
  id: string;
  project_id: string;
  name: string;
  type: FieldType;
  options: string[];
  required: boolean;
  default_value: unknown;
  position: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, project_id, name, type, options, required, default_value, position, created_at,
  updated_at`;

export async function listFields(
  db: Queryable,
  orgId: string,
  projectId: string,
): Promise<FieldRow[]> {
  const { rows } = await db.query<FieldRow>(
    `SELECT ${COLUMNS} FROM project_fields WHERE org_id = $1 AND project_id = $2
     ORDER BY position, created_at, id`,
    [orgId, projectId],
  );
  return rows;
}

/** Inserts a field last in the project's order; undefined when the name is taken. */
export async function insertField(
  db: Queryable,
  f: {
    orgId: string;
    projectId: string;
    name: string;
    type: FieldType;
    options: readonly string[];
    required: boolean;
    defaultValue: unknown;
    now: Date;
  },
): Promise<FieldRow | undefined> {
  const { rows } = await db.query<FieldRow>(
    `INSERT INTO project_fields (org_id, project_id, name, type, options, required, default_value,
       position, created_at, updated_at)
     SELECT $1, $2, $3, $4, $5::text[], $6, $7::jsonb,
       COALESCE((SELECT max(position) + 1 FROM project_fields WHERE org_id = $1 AND project_id = $2), 0),
       $8, $8
     ON CONFLICT (org_id, project_id, lower(name)) DO NOTHING RETURNING ${COLUMNS}`,
    [
      f.orgId,
      f.projectId,
      f.name,
      f.type,
      f.options,
      f.required,
      f.defaultValue === null ? null : JSON.stringify(f.defaultValue),
      f.now,
    ],
  );
  return rows[0];
}

/** Writes a field's definition; undefined when its new name is taken by another field. */
export async function updateField(
  db: Queryable,
  orgId: string,
  id: string,
  f: { name: string; options: readonly string[]; required: boolean; defaultValue: unknown },
  now: Date,
): Promise<FieldRow | undefined> {
  const { rows } = await db.query<FieldRow>(
    `UPDATE project_fields SET name = $3, options = $4::text[], required = $5,
       default_value = $6::jsonb, updated_at = $7
     WHERE org_id = $1 AND id = $2
       AND NOT EXISTS (SELECT 1 FROM project_fields o WHERE o.org_id = $1 AND o.id <> $2
         AND o.project_id = project_fields.project_id AND lower(o.name) = lower($3))
     RETURNING ${COLUMNS}`,
    [
      orgId,
      id,
      f.name,
      f.options,
      f.required,
      f.defaultValue === null ? null : JSON.stringify(f.defaultValue),
      now,
    ],
  );
  return rows[0];
}

/**
 * Removes a field and, set-wise in the same statement, its values from the project's tasks (each
 * such task changes: its version moves). Returns how many tasks lost a value.
 */
export async function deleteField(
  db: Queryable,
  orgId: string,
  projectId: string,
  id: string,
  now: Date,
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM project_fields WHERE org_id = $1 AND project_id = $2 AND id = $3 RETURNING id
     ), cleared AS (
       UPDATE tasks SET fields = fields - $3::text, version = version + 1, updated_at = $4
       WHERE org_id = $1 AND project_id = $2 AND fields ? $3::text AND EXISTS (SELECT 1 FROM gone)
       RETURNING 1
     ) SELECT count(*)::int AS n FROM cleared`,
    [orgId, projectId, id, now],
  );
  return rows[0]!.n;
}
