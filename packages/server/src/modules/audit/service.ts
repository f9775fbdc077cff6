import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Database } from '../../db/types.js';
import { decodeCursor, pageOf } from '../../lib/cursor.js';

type AuditEvent = components['schemas']['AuditEvent'];

interface EventRow {
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

export interface AuditQuery {
  action?: string;
  actor?: string;
  since?: string;
  until?: string;
  limit?: number;
  cursor?: string;
}

/** The organization's events, newest first: one indexed query per page, keyset on id. */
export class AuditService {
  constructor(private readonly db: Database) {}

  async list(org: OrgContext, query: AuditQuery) {
    const limit = query.limit ?? 50;
    return this.page(org, query, decodeCursor(query.cursor, ['id'])?.[0] ?? null, limit);
  }

  /**
   * Every matching event from the cursor on, in pages of `chunk`: each page is its own short
   * query, so an export of any length never holds a cursor or a transaction open.
   */
  async *export(org: OrgContext, query: AuditQuery, chunk = 2000): AsyncGenerator<AuditEvent[]> {
    let before = decodeCursor(query.cursor, ['id'])?.[0] ?? null;
    for (;;) {
      const { items, nextCursor } = await this.page(org, query, before, chunk);
      if (items.length) yield items;
      if (!nextCursor) return;
      before = items.at(-1)!.id;
    }
  }

  private async page(org: OrgContext, query: AuditQuery, before: unknown, limit: number) {
    const [entity, action] = query.action?.includes('.')
      ? query.action.split('.', 2)
      : [undefined, query.action];
    // The org's own events, and the account events (log-ins, passwords, sessions) of its members.
    const filters = `($2::bigint IS NULL OR id < $2::bigint)
         AND ($3::text IS NULL OR entity = $3) AND ($4::text IS NULL OR action = $4)
         AND ($5::uuid IS NULL OR actor_id = $5::uuid)
         AND ($6::timestamptz IS NULL OR created_at >= $6::timestamptz)
         AND ($7::timestamptz IS NULL OR created_at < $7::timestamptz)`;
    const columns =
      'id, entity, action, actor_kind, actor_id, entity_id, changes, ip, request_id, created_at';
    // Actors are named in the same query: users by e-mail and name, API keys by their name.
    const { rows } = await this.db.query<EventRow>(
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
        org.id,
        before,
        entity ?? null,
        action ?? null,
        query.actor ?? null,
        query.since ?? null,
        query.until ?? null,
        limit + 1,
      ],
    );
    return pageOf(
      rows,
      limit,
      (row): AuditEvent => ({
        id: row.id,
        action: `${row.entity}.${row.action}`,
        actor: {
          kind: row.actor_kind,
          id: row.actor_id,
          email: row.actor_email,
          name: row.actor_name,
        },
        entityId: row.entity_id,
        changes: row.changes,
        ip: row.ip,
        requestId: row.request_id,
        createdAt: row.created_at.toISOString(),
      }),
      (row) => [row.id],
    );
  }
}
