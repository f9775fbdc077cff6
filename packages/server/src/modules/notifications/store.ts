import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface NotificationRow {
  id: string;
  user_id: string;
  org_id: string;
  kind: 'lead.follow_up';
  lead_id: string | null;
  title: string;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id, user_id, org_id, kind, lead_id, title, created_at, read_at';

export interface NewNotification {
  userId: string;
  orgId: string;
  kind: 'lead.follow_up';
  leadId: string | null;
  title: string;
}

/** One statement for any number of notifications. */
export async function insertMany(
  db: Queryable,
  items: NewNotification[],
  now: Date,
): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `INSERT INTO notifications (user_id, org_id, kind, lead_id, title, created_at)
     SELECT n.user_id, n.org_id, n.kind, n.lead_id, n.title, $6
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[])
       AS n(user_id, org_id, kind, lead_id, title)`,
    [
      items.map((i) => i.userId),
      items.map((i) => i.orgId),
      items.map((i) => i.kind),
      items.map((i) => i.leadId),
      items.map((i) => i.title),
      now,
    ],
  );
}

export async function list(
  db: Queryable,
  userId: string,
  unread: boolean,
  keyset: Keyset,
): Promise<NotificationRow[]> {
  const params: unknown[] = [userId, unread];
  const { rows } = await db.query<NotificationRow>(
    `SELECT ${COLUMNS}, ${keyset.select()} FROM notifications
     WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL) AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export async function markRead(
  db: Queryable,
  userId: string,
  id: string,
  now: Date,
): Promise<NotificationRow | undefined> {
  const { rows } = await db.query<NotificationRow>(
    `UPDATE notifications SET read_at = coalesce(read_at, $3) WHERE user_id = $1 AND id = $2
     RETURNING ${COLUMNS}`,
    [userId, id, now],
  );
  return rows[0];
}

export async function getSettings(
  db: Queryable,
  userId: string,
): Promise<{ follow_up_email: boolean }> {
  const { rows } = await db.query<{ follow_up_email: boolean }>(
    'SELECT follow_up_email FROM notification_settings WHERE user_id = $1',
    [userId],
  );
  return rows[0] ?? { follow_up_email: true };
}

export async function setSettings(
  db: Queryable,
  userId: string,
  followUpEmail: boolean,
): Promise<void> {
  await db.query(
    `INSERT INTO notification_settings (user_id, follow_up_email) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET follow_up_email = EXCLUDED.follow_up_email`,
    [userId, followUpEmail],
  );
}

/** Of `userIds`, those who want follow-ups by e-mail, with their address. */
export async function followUpMailboxes(
  db: Queryable,
  userIds: string[],
): Promise<{ id: string; email: string }[]> {
  const { rows } = await db.query<{ id: string; email: string }>(
    `SELECT u.id, u.email FROM users u LEFT JOIN notification_settings s ON s.user_id = u.id
     WHERE u.id = ANY($1::uuid[]) AND coalesce(s.follow_up_email, true)`,
    [userIds],
  );
  return rows;
}
