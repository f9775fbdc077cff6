import type { components } from '@pmkit/sdk/schema';
import type { Principal } from '../../context/principal.js';
import type { Database, Queryable } from '../../db/types.js';
import { notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import * as store from './store.js';

type Notification = components['schemas']['Notification'];

const toNotification = (row: store.NotificationRow): Notification => ({
  id: row.id,
  kind: row.kind,
  orgId: row.org_id,
  leadId: row.lead_id,
  title: row.title,
  createdAt: row.created_at.toISOString(),
  readAt: row.read_at?.toISOString() ?? null,
});

/** A person's in-app notifications and whether they also want them by e-mail. */
export class NotificationService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Adds notifications inside the caller's transaction (set-wise). */
  notify(q: Queryable, items: store.NewNotification[], now: Date): Promise<void> {
    return store.insertMany(q, items, now);
  }

  /** Of these users, the ones who want follow-ups by e-mail. */
  followUpMailboxes(q: Queryable, userIds: string[]) {
    return store.followUpMailboxes(q, userIds);
  }

  async list(principal: Principal, query: { unread?: boolean; limit?: number; cursor?: string }) {
    const keyset = byCreation(query, 'newest');
    const rows = await store.list(this.db, principal.userId, query.unread ?? false, keyset);
    return keyset.page(rows, toNotification);
  }

  async markRead(principal: Principal, id: string, actor: Actor, meta: RequestMeta) {
    return this.db.transaction(async (tx) => {
      const row = await store.markRead(tx, principal.userId, id, this.clock.now());
      if (!row) throw notFound('No such notification');
      await recordEvent(tx, {
        orgId: row.org_id,
        actor,
        entity: 'notification',
        entityId: id,
        action: 'read',
        meta,
      });
      return toNotification(row);
    });
  }

  async settings(principal: Principal) {
    const row = await store.getSettings(this.db, principal.userId);
    return { followUpEmail: row.follow_up_email };
  }

  async updateSettings(
    principal: Principal,
    input: { followUpEmail: boolean },
    actor: Actor,
    meta: RequestMeta,
  ) {
    await this.db.transaction(async (tx) => {
      await store.setSettings(tx, principal.userId, input.followUpEmail);
      await recordEvent(tx, {
        actor,
        entity: 'notification_settings',
        entityId: principal.userId,
        action: 'updated',
        changes: { ...input },
        meta,
      });
    });
    return { followUpEmail: input.followUpEmail };
  }
}
