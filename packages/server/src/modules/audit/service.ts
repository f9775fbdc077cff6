import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Database } from '../../db/types.js';
import { decodeCursor, pageOf } from '../../lib/cursor.js';
import * as store from './store.js';

type AuditEvent = components['schemas']['AuditEvent'];

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
    const rows = await store.listEvents(this.db, org.id, {
      before: before as number | null,
      entity: entity ?? null,
      action: action ?? null,
      actor: query.actor ?? null,
      since: query.since ?? null,
      until: query.until ?? null,
      limit: limit + 1,
    });
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
