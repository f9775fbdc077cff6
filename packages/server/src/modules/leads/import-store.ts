import type { Queryable } from '../../db/types.js';

export interface ImportRowRecord {
  org_id: string;
  id: string;
  created_by: string | null;
  status: 'running' | 'completed' | 'failed';
  header: string[];
  ignored_columns: string[];
  last_row: number;
  rows_seen: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  detail: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS = `org_id, id, created_by, status, header, ignored_columns, last_row, rows_seen,
  created, updated, skipped, failed, detail, created_at, finished_at`;

export async function findImport(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<ImportRowRecord | undefined> {
  const { rows } = await db.query<ImportRowRecord>(
    `SELECT ${COLUMNS} FROM lead_imports WHERE org_id = $1 AND id = $2`,
    [orgId, id],
  );
  return rows[0];
}

export async function findImportByKey(
  db: Queryable,
  orgId: string,
  userId: string,
  key: string,
): Promise<ImportRowRecord | undefined> {
  const { rows } = await db.query<ImportRowRecord>(
    `SELECT ${COLUMNS} FROM lead_imports
     WHERE org_id = $1 AND created_by = $2 AND idempotency_key = $3`,
    [orgId, userId, key],
  );
  return rows[0];
}

/** Frees a key held by an earlier import (finished, or failed), so a new import may take it. */
export async function releaseKey(db: Queryable, orgId: string, id: string): Promise<void> {
  await db.query('UPDATE lead_imports SET idempotency_key = NULL WHERE org_id = $1 AND id = $2', [
    orgId,
    id,
  ]);
}

export async function insertImport(
  db: Queryable,
  imp: {
    orgId: string;
    createdBy: string;
    key: string | null;
    options: Record<string, unknown>;
    header: string[];
    ignored: string[];
    now: Date;
  },
): Promise<ImportRowRecord> {
  const { rows } = await db.query<ImportRowRecord>(
    `INSERT INTO lead_imports (org_id, created_by, idempotency_key, options, header, ignored_columns, created_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7) RETURNING ${COLUMNS}`,
    [
      imp.orgId,
      imp.createdBy,
      imp.key,
      JSON.stringify(imp.options),
      imp.header,
      imp.ignored,
      imp.now,
    ],
  );
  return rows[0]!;
}

export interface Progress {
  lastRow: number;
  seen: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

export async function addProgress(
  db: Queryable,
  orgId: string,
  id: string,
  p: Progress,
  finish?: { status: 'completed' | 'failed'; detail: string | null; at: Date },
): Promise<ImportRowRecord> {
  const { rows } = await db.query<ImportRowRecord>(
    `UPDATE lead_imports SET last_row = greatest(last_row, $3), rows_seen = rows_seen + $4,
       created = created + $5, updated = updated + $6, skipped = skipped + $7, failed = failed + $8,
       status = coalesce($9, status), detail = coalesce($10, detail), finished_at = $11
     WHERE org_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [
      orgId,
      id,
      p.lastRow,
      p.seen,
      p.created,
      p.updated,
      p.skipped,
      p.failed,
      finish?.status ?? null,
      finish?.detail ?? null,
      finish?.at ?? null,
    ],
  );
  return rows[0]!;
}

export interface ImportError {
  row: number;
  column: string | null;
  message: string;
  raw: string[];
}

export async function insertErrors(
  db: Queryable,
  orgId: string,
  importId: string,
  errors: ImportError[],
): Promise<void> {
  if (errors.length === 0) return;
  // Raw rows vary in length: carried as JSON arrays, unpacked into text[] in SQL.
  await db.query(
    `INSERT INTO lead_import_errors (org_id, import_id, row_number, column_name, message, raw)
     SELECT $1, $2, e.row_number, e.column_name, e.message,
       ARRAY(SELECT jsonb_array_elements_text(e.raw))
     FROM unnest($3::int[], $4::text[], $5::text[], $6::jsonb[])
       AS e(row_number, column_name, message, raw)
     ON CONFLICT DO NOTHING`,
    [
      orgId,
      importId,
      errors.map((e) => e.row),
      errors.map((e) => e.column),
      errors.map((e) => e.message),
      errors.map((e) => JSON.stringify(e.raw)),
    ],
  );
}

export async function listErrors(
  db: Queryable,
  orgId: string,
  importId: string,
  afterRow: number,
  limit: number,
): Promise<{ row_number: number; column_name: string | null; message: string; raw: string[] }[]> {
  const { rows } = await db.query<{
    row_number: number;
    column_name: string | null;
    message: string;
    raw: string[];
  }>(
    `SELECT row_number, column_name, message, raw FROM lead_import_errors
     WHERE org_id = $1 AND import_id = $2 AND row_number > $3 ORDER BY row_number LIMIT $4`,
    [orgId, importId, afterRow, limit],
  );
  return rows;
}

export interface Match {
  key: string;
  id: string;
  last_import_id: string | null;
}

/** The oldest live lead per key (normalised e-mail or phone) among `keys`. */
export async function findMatches(
  db: Queryable,
  orgId: string,
  by: 'email' | 'phone',
  keys: string[],
): Promise<Match[]> {
  if (keys.length === 0) return [];
  const column = by === 'email' ? 'email_norm' : 'phone_norm';
  const { rows } = await db.query<Match>(
    `SELECT DISTINCT ON (${column}) ${column} AS key, id, last_import_id FROM leads
     WHERE org_id = $1 AND deleted_at IS NULL AND ${column} = ANY($2::text[])
     ORDER BY ${column}, created_at, id`,
    [orgId, keys],
  );
  return rows;
}

export interface NewLead {
  row: number;
  name: string;
  email: string | null;
  emailNorm: string | null;
  phone: string | null;
  phoneNorm: string | null;
  company: string | null;
  title: string | null;
  source: string | null;
  statusId: string;
  tags: string[];
  notes: string;
  nextFollowUpAt: string | null;
  lostReason: string | null;
  customFields: Record<string, string>;
}

const pg = (rows: NewLead[]) => [
  rows.map((r) => r.row),
  rows.map((r) => r.name),
  rows.map((r) => r.email),
  rows.map((r) => r.emailNorm),
  rows.map((r) => r.phone),
  rows.map((r) => r.phoneNorm),
  rows.map((r) => r.company),
  rows.map((r) => r.title),
  rows.map((r) => r.source),
  rows.map((r) => r.statusId),
  // Tags vary in number: as JSON, unpacked in SQL.
  rows.map((r) => JSON.stringify(r.tags)),
  rows.map((r) => r.notes),
  rows.map((r) => r.nextFollowUpAt),
  rows.map((r) => r.lostReason),
  rows.map((r) => JSON.stringify(r.customFields)),
];

const UNNEST = `unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
  $11::text[], $12::text[], $13::text[], $14::uuid[], $15::jsonb[], $16::text[],
  $17::timestamptz[], $18::text[], $19::jsonb[])
  AS r(row_number, name, email, email_norm, phone, phone_norm, company, title, source, status_id,
       tags, notes, next_follow_up_at, lost_reason, custom_fields)`;

/** One statement for a batch of new leads. */
export async function insertLeads(
  db: Queryable,
  orgId: string,
  importId: string,
  ownerId: string,
  now: Date,
  rows: NewLead[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO leads (org_id, name, email, email_norm, phone, phone_norm, company, title, source,
       status_id, owner_id, tags, notes, next_follow_up_at, lost_reason, custom_fields, import_id,
       import_row, last_import_id, created_by, created_at, updated_at)
     SELECT $1, r.name, r.email, r.email_norm, r.phone, r.phone_norm, r.company, r.title, r.source,
       r.status_id, $3, ARRAY(SELECT jsonb_array_elements_text(r.tags)), r.notes,
       r.next_follow_up_at, r.lost_reason, r.custom_fields, $2, r.row_number, $2, $3, $4, $4
     FROM ${UNNEST}
     ON CONFLICT (org_id, import_id, import_row) WHERE import_id IS NOT NULL DO NOTHING`,
    [orgId, importId, ownerId, now, ...pg(rows)],
  );
  return result.rowCount ?? rows.length;
}

/** One statement for a batch of updates: the file's non-empty cells win, empty ones keep. */
export async function updateLeads(
  db: Queryable,
  orgId: string,
  importId: string,
  now: Date,
  rows: (NewLead & { id: string; statusGiven: boolean })[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await db.query(
    `UPDATE leads l SET name = r.name, email = coalesce(r.email, l.email),
       email_norm = coalesce(r.email_norm, l.email_norm), phone = coalesce(r.phone, l.phone),
       phone_norm = coalesce(r.phone_norm, l.phone_norm), company = coalesce(r.company, l.company),
       title = coalesce(r.title, l.title), source = coalesce(r.source, l.source),
       status_id = CASE WHEN r.status_given THEN r.status_id ELSE l.status_id END,
       tags = CASE WHEN jsonb_array_length(r.tags) > 0
         THEN ARRAY(SELECT jsonb_array_elements_text(r.tags)) ELSE l.tags END,
       notes = CASE WHEN r.notes <> '' THEN r.notes ELSE l.notes END,
       next_follow_up_at = coalesce(r.next_follow_up_at, l.next_follow_up_at),
       lost_reason = coalesce(r.lost_reason, l.lost_reason),
       custom_fields = l.custom_fields || r.custom_fields,
       last_import_id = $2, updated_at = $4, version = l.version + 1
     FROM unnest($5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::text[], $13::text[], $14::uuid[], $15::jsonb[], $16::text[],
       $17::timestamptz[], $18::text[], $19::jsonb[], $3::uuid[], $20::boolean[])
       AS r(row_number, name, email, email_norm, phone, phone_norm, company, title, source,
            status_id, tags, notes, next_follow_up_at, lost_reason, custom_fields, id, status_given)
     WHERE l.org_id = $1 AND l.id = r.id`,
    [orgId, importId, rows.map((r) => r.id), now, ...pg(rows), rows.map((r) => r.statusGiven)],
  );
  return result.rowCount ?? rows.length;
}

/**
 * After a fatal error: the leads this import created go again, but those someone converted into a
 * project meanwhile (the project names them).
 */
export async function deleteCreatedBy(db: Queryable, orgId: string, importId: string) {
  await db.query('DELETE FROM leads WHERE org_id = $1 AND import_id = $2 AND project_id IS NULL', [
    orgId,
    importId,
  ]);
}
