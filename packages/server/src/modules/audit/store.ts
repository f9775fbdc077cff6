import type { components } from '@pmkit/sdk/schema';
import type { Queryable } from '../../db/types.js';

type AuditEvent = components['schemas']['AuditEvent'];

export interface EventRow {
  id: number;
  entity: string;
  action: string;
  actor_kind: AuditEvent['actor']['kind'];
  actor_id: string | null;
  actor_email: string | null;
  actor_name: string | null;
  entity_id: string | null;
  changes: Record<string, unknown>;
  ip: string | null;
  request_id: string | null;
  created_at: Date;
}

export interface EventFilter {
  /** Only ids below this one (the keyset cursor; newest first). */
  before: number | null;
  entity: string | null;
  action: string | null;
  actor: string | null;
  since: string | null;
  until: string | null;
  limit: number;
}

/** One page of an organization's audit events, newest first, keyset on id. */
export async function listEvents(db: Queryable, orgId: string, filter: EventFilter) {
  // The org's own events, and the account events (log-ins, passwords, sessions) of its members.
  const filters = `($2::bigint IS NULL OR id < $2::bigint)
         AND ($3::text IS NULL OR entity = $3) AND ($4::text IS NULL OR action = $4)
         AND ($5::uuid IS NULL OR actor_id = $5::uuid)
         AND ($6::timestamptz IS NULL OR created_at >= $6::timestamptz)
         AND ($7::timestamptz IS NULL OR created_at < $7::timestamptz)`;
  const columns =
    'id, entity, action, actor_kind, actor_id, entity_id, changes, ip, request_id, created_at';
  // Actors are named in the same query: users by e-mail and name, API keys by their name.
  const { rows } = await db.query<EventRow>(
    `SELECT audit.*, u.email AS actor_email, COALESCE(u.name, k.name) AS actor_name FROM (
         (SELECT ${columns} FROM events WHERE org_id = $1 AND ${filters} ORDER BY id DESC LIMIT $8)
         UNION ALL
         (SELECT ${columns} FROM events
          WHERE org_id IS NULL AND entity IN ('session', 'user')
            AND actor_id IN (SELECT user_id FROM org_members WHERE org_id = $1) AND ${filters}
          ORDER BY id DESC LIMIT $8)
       ) AS audit
       LEFT JOIN users u ON audit.actor_kind = 'user' AND u.id = audit.actor_id
       LEFT JOIN api_keys k ON audit.actor_kind = 'api_key' AND k.org_id = $1 AND k.id = audit.actor_id
       ORDER BY id DESC LIMIT $8`,
    [
      orgId,
      filter.before,
      filter.entity,
      filter.action,
      filter.actor,
      filter.since,
      filter.until,
      filter.limit,
    ],
  );
  return rows;
}
