import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface LeadStatusRow {
  org_id: string;
  id: string;
  name: string;
  category: 'open' | 'won' | 'lost';
  position: number;
}

export interface LeadRow {
  org_id: string;
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  title: string | null;
  source: string | null;
  status_id: string;
  status: string;
  owner_id: string | null;
  score: number;
  score_breakdown: { rule: string; points: number }[];
  tags: string[];
  notes: string;
  next_follow_up_at: Date | null;
  lost_reason: string | null;
  preferences: Record<string, unknown>;
  custom_fields: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

const DEFAULT_PIPELINE: [string, 'open' | 'won' | 'lost'][] = [
  ['new', 'open'],
  ['contacted', 'open'],
  ['qualified', 'open'],
  ['proposal', 'open'],
  ['won', 'won'],
  ['lost', 'lost'],
];

/** Creates the default pipeline, once per organization (a pipeline emptied later stays empty). */
export async function seedPipeline(db: Queryable, orgId: string): Promise<void> {
  await db.query(
    `WITH seeded AS (
       INSERT INTO lead_pipelines (org_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING org_id)
     INSERT INTO lead_statuses (org_id, name, category, position)
     SELECT seeded.org_id, d.name, d.category, d.position - 1
     FROM seeded, unnest($2::text[], $3::text[]) WITH ORDINALITY AS d(name, category, position)`,
    [orgId, DEFAULT_PIPELINE.map(([n]) => n), DEFAULT_PIPELINE.map(([, c]) => c)],
  );
}

const STATUS_COLUMNS = 'org_id, id, name, category, position';

export async function listStatuses(db: Queryable, orgId: string): Promise<LeadStatusRow[]> {
  const { rows } = await db.query<LeadStatusRow>(
    `SELECT ${STATUS_COLUMNS} FROM lead_statuses WHERE org_id = $1 ORDER BY position, created_at, id`,
    [orgId],
  );
  return rows;
}

export async function findStatus(
  db: Queryable,
  orgId: string,
  ref: { id?: string; name?: string },
): Promise<LeadStatusRow | undefined> {
  const { rows } = await db.query<LeadStatusRow>(
    `SELECT ${STATUS_COLUMNS} FROM lead_statuses WHERE org_id = $1
       AND ($2::uuid IS NULL OR id = $2::uuid) AND ($3::text IS NULL OR lower(name) = lower($3::text))
     ORDER BY position LIMIT 1`,
    [orgId, ref.id ?? null, ref.name ?? null],
  );
  return rows[0];
}

/** Locks the pipeline's statuses, so concurrent reorders serialise. */
export async function lockStatuses(db: Queryable, orgId: string): Promise<void> {
  await db.query('SELECT id FROM lead_statuses WHERE org_id = $1 FOR UPDATE', [orgId]);
}

/** Rewrites positions 0..n-1 in the order of `ids`. */
export async function setPositions(db: Queryable, orgId: string, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE lead_statuses s SET position = o.position - 1
     FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, position)
     WHERE s.org_id = $1 AND s.id = o.id AND s.position <> o.position - 1`,
    [orgId, ids],
  );
}

/** Inserts a status; undefined when the name is taken. */
export async function insertStatus(
  db: Queryable,
  orgId: string,
  status: { name: string; category: string; position: number },
): Promise<LeadStatusRow | undefined> {
  const { rows } = await db.query<LeadStatusRow>(
    `INSERT INTO lead_statuses (org_id, name, category, position) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING RETURNING ${STATUS_COLUMNS}`,
    [orgId, status.name, status.category, status.position],
  );
  return rows[0];
}

export async function nameTaken(
  db: Queryable,
  orgId: string,
  name: string,
  except: string,
): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM lead_statuses WHERE org_id = $1 AND lower(name) = lower($2) AND id <> $3',
    [orgId, name, except],
  );
  return rows.length > 0;
}

export async function updateStatus(
  db: Queryable,
  orgId: string,
  id: string,
  change: { name?: string | undefined; category?: string | undefined },
): Promise<void> {
  await db.query(
    `UPDATE lead_statuses SET name = coalesce($3, name), category = coalesce($4, category)
     WHERE org_id = $1 AND id = $2`,
    [orgId, id, change.name ?? null, change.category ?? null],
  );
}

export async function statusInUse(db: Queryable, orgId: string, id: string): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM leads WHERE org_id = $1 AND status_id = $2 LIMIT 1',
    [orgId, id],
  );
  return rows.length > 0;
}

export async function deleteStatus(db: Queryable, orgId: string, id: string): Promise<void> {
  await db.query('DELETE FROM lead_statuses WHERE org_id = $1 AND id = $2', [orgId, id]);
}

const LEAD_COLUMNS = `l.org_id, l.id, l.name, l.email, l.phone, l.company, l.title, l.source,
  l.status_id, s.name AS status, l.owner_id, l.score, l.score_breakdown, l.tags, l.notes,
  l.next_follow_up_at, l.lost_reason, l.preferences, l.custom_fields, l.created_by,
  l.created_at, l.updated_at, l.deleted_at`;
const FROM_LEADS = 'leads l JOIN lead_statuses s ON s.org_id = l.org_id AND s.id = l.status_id';

export interface LeadValues {
  name: string;
  email: string | null;
  emailNorm: string | null;
  phone: string | null;
  phoneNorm: string | null;
  company: string | null;
  title: string | null;
  source: string | null;
  statusId: string;
  ownerId: string | null;
  tags: string[];
  notes: string;
  nextFollowUpAt: string | null;
  lostReason: string | null;
  preferences: Record<string, unknown>;
  customFields: Record<string, unknown>;
}

/**
 * A lead's values in column order: name, email, email_norm, phone, phone_norm, company, title,
 * source, status_id, owner_id, tags, notes, next_follow_up_at, lost_reason, preferences,
 * custom_fields.
 */
function leadValues(lead: LeadValues): unknown[] {
  return [
    lead.name,
    lead.email,
    lead.emailNorm,
    lead.phone,
    lead.phoneNorm,
    lead.company,
    lead.title,
    lead.source,
    lead.statusId,
    lead.ownerId,
    lead.tags,
    lead.notes,
    lead.nextFollowUpAt,
    lead.lostReason,
    JSON.stringify(lead.preferences),
    JSON.stringify(lead.customFields),
  ];
}

export async function insertLead(
  db: Queryable,
  orgId: string,
  lead: LeadValues,
  createdBy: string | null,
  now: Date,
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO leads (org_id, name, email, email_norm, phone, phone_norm, company, title, source,
       status_id, owner_id, tags, notes, next_follow_up_at, lost_reason, preferences, custom_fields,
       created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text[], $13, $14, $15, $16, $17,
       $18, $19, $19) RETURNING id`,
    [orgId, ...leadValues(lead), createdBy, now],
  );
  return rows[0]!.id;
}

export async function updateLead(
  db: Queryable,
  orgId: string,
  id: string,
  lead: LeadValues,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE leads SET name = $3, email = $4, email_norm = $5, phone = $6, phone_norm = $7,
       company = $8, title = $9, source = $10, status_id = $11, owner_id = $12, tags = $13::text[],
       notes = $14, next_follow_up_at = $15, lost_reason = $16, preferences = $17,
       custom_fields = $18, updated_at = $19, version = version + 1,
       follow_up_notified_at = CASE WHEN next_follow_up_at IS DISTINCT FROM $15::timestamptz
         THEN NULL ELSE follow_up_notified_at END
     WHERE org_id = $1 AND id = $2`,
    [orgId, id, ...leadValues(lead), now],
  );
}

export async function findLead(
  db: Queryable,
  orgId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<LeadRow | undefined> {
  const { rows } = await db.query<LeadRow>(
    `SELECT ${LEAD_COLUMNS} FROM ${FROM_LEADS}
     WHERE l.org_id = $1 AND l.id = $2 AND l.deleted_at IS NULL${options.lock ? ' FOR UPDATE OF l' : ''}`,
    [orgId, id],
  );
  return rows[0];
}

/** Which organization a lead id belongs to (deleted leads too). */
export async function locateLead(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ org_id: string }>('SELECT org_id FROM leads WHERE id = $1', [
    id,
  ]);
  return rows[0]?.org_id;
}

export async function softDeleteLead(
  db: Queryable,
  orgId: string,
  id: string,
  now: Date,
): Promise<void> {
  await db.query(
    'UPDATE leads SET deleted_at = $3, updated_at = $3 WHERE org_id = $1 AND id = $2',
    [orgId, id, now],
  );
}

export interface LeadFilter {
  statusId?: string | undefined;
  ownerId?: string | undefined;
  source?: string | undefined;
  tag?: string | undefined;
  scoreMin?: number | undefined;
  scoreMax?: number | undefined;
  dueBefore?: Date | undefined;
  text?: string | undefined;
}

export async function listLeads(
  db: Queryable,
  orgId: string,
  filter: LeadFilter,
  keyset: Keyset,
): Promise<LeadRow[]> {
  const params: unknown[] = [orgId];
  const where = ['l.org_id = $1', 'l.deleted_at IS NULL'];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (filter.statusId) add((p) => `l.status_id = ${p}::uuid`, filter.statusId);
  if (filter.ownerId) add((p) => `l.owner_id = ${p}::uuid`, filter.ownerId);
  if (filter.source) add((p) => `lower(l.source) = lower(${p}::text)`, filter.source);
  if (filter.tag) add((p) => `l.tags @> ARRAY[${p}::text]`, filter.tag);
  if (filter.scoreMin !== undefined) add((p) => `l.score >= ${p}::int`, filter.scoreMin);
  if (filter.scoreMax !== undefined) add((p) => `l.score <= ${p}::int`, filter.scoreMax);
  if (filter.dueBefore) add((p) => `l.next_follow_up_at <= ${p}::timestamptz`, filter.dueBefore);
  if (filter.text) {
    const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    add(
      (p) =>
        `(l.name ILIKE ${p} OR l.email ILIKE ${p} OR l.phone ILIKE ${p} OR l.company ILIKE ${p})`,
      pattern,
    );
  }
  where.push(keyset.where(params));
  const { rows } = await db.query<LeadRow>(
    `SELECT ${LEAD_COLUMNS}, ${keyset.select()} FROM ${FROM_LEADS}
     WHERE ${where.join(' AND ')}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export interface StatsRow {
  dimension: 'status' | 'source' | 'owner';
  status: string | null;
  category: 'open' | 'won' | 'lost' | null;
  position: number | null;
  source: string | null;
  owner_id: string | null;
  count: number;
}

/** Counts by status (every status, empty ones too), by source and by owner, in one query. */
export async function leadStats(
  db: Queryable,
  orgId: string,
  period: { since?: string | undefined; until?: string | undefined },
): Promise<StatsRow[]> {
  const { rows } = await db.query<StatsRow>(
    `WITH live AS (
       SELECT status_id, source, owner_id FROM leads
       WHERE org_id = $1 AND deleted_at IS NULL
         AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3))
     SELECT 'status' AS dimension, s.name AS status, s.category, s.position, NULL AS source,
       NULL::uuid AS owner_id, count(l.status_id)::int AS count
     FROM lead_statuses s LEFT JOIN live l ON l.status_id = s.id
     WHERE s.org_id = $1 GROUP BY s.id, s.name, s.category, s.position
     UNION ALL
     SELECT 'source', NULL, NULL, NULL, source, NULL, count(*)::int FROM live GROUP BY source
     UNION ALL
     SELECT 'owner', NULL, NULL, NULL, NULL, owner_id, count(*)::int FROM live GROUP BY owner_id`,
    [orgId, period.since ?? null, period.until ?? null],
  );
  return rows;
}

export interface ScoringRuleRow {
  org_id: string;
  id: string;
  description: string;
  field: string;
  operator: 'equals' | 'contains' | 'present' | 'absent';
  value: string | null;
  points: number;
  position: number;
}

const RULE_COLUMNS = 'org_id, id, description, field, operator, value, points, position';

export async function listRules(db: Queryable, orgId: string): Promise<ScoringRuleRow[]> {
  const { rows } = await db.query<ScoringRuleRow>(
    `SELECT ${RULE_COLUMNS} FROM lead_scoring_rules WHERE org_id = $1 ORDER BY position, created_at, id`,
    [orgId],
  );
  return rows;
}

export async function findRule(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<ScoringRuleRow | undefined> {
  const { rows } = await db.query<ScoringRuleRow>(
    `SELECT ${RULE_COLUMNS} FROM lead_scoring_rules WHERE org_id = $1 AND id = $2`,
    [orgId, id],
  );
  return rows[0];
}

export async function insertRule(
  db: Queryable,
  orgId: string,
  rule: Omit<ScoringRuleRow, 'org_id' | 'id' | 'position'>,
): Promise<ScoringRuleRow> {
  const { rows } = await db.query<ScoringRuleRow>(
    `INSERT INTO lead_scoring_rules (org_id, description, field, operator, value, points, position)
     SELECT $1, $2, $3, $4, $5, $6, coalesce(max(position) + 1, 0)
     FROM lead_scoring_rules WHERE org_id = $1
     RETURNING ${RULE_COLUMNS}`,
    [orgId, rule.description, rule.field, rule.operator, rule.value, rule.points],
  );
  return rows[0]!;
}

export async function updateRule(
  db: Queryable,
  orgId: string,
  rule: ScoringRuleRow,
): Promise<ScoringRuleRow> {
  const { rows } = await db.query<ScoringRuleRow>(
    `UPDATE lead_scoring_rules SET description = $3, field = $4, operator = $5, value = $6, points = $7
     WHERE org_id = $1 AND id = $2 RETURNING ${RULE_COLUMNS}`,
    [orgId, rule.id, rule.description, rule.field, rule.operator, rule.value, rule.points],
  );
  return rows[0]!;
}

export async function deleteRule(db: Queryable, orgId: string, id: string): Promise<void> {
  await db.query('DELETE FROM lead_scoring_rules WHERE org_id = $1 AND id = $2', [orgId, id]);
}

/**
 * Scores leads set-wise: each lead's score is the sum of the points of the rules it matches, its
 * breakdown those rules in order. `which` narrows the leads: some ids, the ones an import batch
 * wrote (`importId` + `at`), or (neither) every live lead of the organization.
 */
export async function rescore(
  db: Queryable,
  orgId: string,
  which: { ids?: string[]; importId?: string; at?: Date },
): Promise<void> {
  await db.query(
    `WITH target AS (
       SELECT l.id, l.name, l.email, l.phone, l.company, l.title, l.source, l.tags, l.notes,
         l.lost_reason, s.name AS status
       FROM leads l JOIN lead_statuses s ON s.org_id = l.org_id AND s.id = l.status_id
       WHERE l.org_id = $1 AND l.deleted_at IS NULL
         AND ($2::uuid[] IS NULL OR l.id = ANY($2::uuid[]))
         AND ($3::uuid IS NULL OR (l.last_import_id = $3 AND l.updated_at = $4::timestamptz))),
     scored AS (
       SELECT t.id, coalesce(sum(r.points), 0)::int AS score,
         coalesce(jsonb_agg(jsonb_build_object('rule', r.description, 'points', r.points)
           ORDER BY r.position, r.id) FILTER (WHERE r.id IS NOT NULL), '[]'::jsonb) AS parts
       FROM target t
       LEFT JOIN LATERAL (
         SELECT r.* FROM lead_scoring_rules r
         CROSS JOIN LATERAL (SELECT CASE r.field
             WHEN 'name' THEN t.name WHEN 'email' THEN t.email WHEN 'phone' THEN t.phone
             WHEN 'company' THEN t.company WHEN 'title' THEN t.title WHEN 'source' THEN t.source
             WHEN 'status' THEN t.status WHEN 'notes' THEN t.notes WHEN 'lostReason' THEN t.lost_reason
           END AS v) f
         WHERE r.org_id = $1 AND CASE
           WHEN r.field = 'tags' THEN CASE r.operator
             WHEN 'present' THEN cardinality(t.tags) > 0
             WHEN 'absent' THEN cardinality(t.tags) = 0
             WHEN 'equals' THEN EXISTS (SELECT 1 FROM unnest(t.tags) g WHERE lower(g) = lower(r.value))
             ELSE EXISTS (SELECT 1 FROM unnest(t.tags) g WHERE strpos(lower(g), lower(r.value)) > 0) END
           ELSE CASE r.operator
             WHEN 'present' THEN coalesce(f.v, '') <> ''
             WHEN 'absent' THEN coalesce(f.v, '') = ''
             WHEN 'equals' THEN lower(f.v) = lower(r.value)
             ELSE strpos(lower(coalesce(f.v, '')), lower(r.value)) > 0 END
         END) r ON TRUE
       GROUP BY t.id)
     UPDATE leads l SET score = scored.score, score_breakdown = scored.parts
     FROM scored WHERE l.org_id = $1 AND l.id = scored.id
       AND (l.score <> scored.score OR l.score_breakdown <> scored.parts)`,
    [orgId, which.ids ?? null, which.importId ?? null, which.at ?? null],
  );
}

/** Marks up to `limit` due, un-notified follow-ups as notified and returns them (skips locked). */
export async function claimDueFollowUps(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<
  { org_id: string; id: string; name: string; owner_id: string; next_follow_up_at: Date }[]
> {
  const { rows } = await db.query<{
    org_id: string;
    id: string;
    name: string;
    owner_id: string;
    next_follow_up_at: Date;
  }>(
    `UPDATE leads l SET follow_up_notified_at = $1
     FROM (SELECT org_id, id FROM leads
           WHERE deleted_at IS NULL AND next_follow_up_at <= $1 AND follow_up_notified_at IS NULL
             AND owner_id IS NOT NULL
           ORDER BY next_follow_up_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
     WHERE l.org_id = due.org_id AND l.id = due.id
     RETURNING l.org_id, l.id, l.name, l.owner_id, l.next_follow_up_at`,
    [now, limit],
  );
  return rows;
}
