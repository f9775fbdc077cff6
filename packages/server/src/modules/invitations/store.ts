import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';
import type { Role } from '../access/permissions.js';

export interface InvitationRow {
  org_id: string;
  id: string;
  email: string;
  email_normalized: string;
  role: Role;
  invited_by: string;
  status: 'pending' | 'accepted' | 'declined' | 'revoked';
  created_at: Date;
  expires_at: Date;
}

const COLUMNS = `org_id, id, email, email_normalized, role, invited_by, status,
  created_at, expires_at`;

export async function insertInvitation(
  db: Queryable,
  invitation: {
    orgId: string;
    email: string;
    role: Role;
    invitedBy: string;
    tokenHash: string;
    expiresAt: Date;
  },
): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(
    `INSERT INTO invitations (org_id, email, email_normalized, role, invited_by, token_hash, expires_at)
     VALUES ($1, $2, lower($2), $3, $4, $5, $6)
     ON CONFLICT (org_id, email_normalized) WHERE status = 'pending' DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      invitation.orgId,
      invitation.email,
      invitation.role,
      invitation.invitedBy,
      invitation.tokenHash,
      invitation.expiresAt,
    ],
  );
  return rows[0];
}

export async function listPending(
  db: Queryable,
  orgId: string,
  keyset: Keyset,
  now: Date,
): Promise<InvitationRow[]> {
  const params: unknown[] = [orgId, now];
  const { rows } = await db.query<InvitationRow>(
    `SELECT ${COLUMNS}, ${keyset.select()} FROM invitations
     WHERE org_id = $1 AND status = 'pending' AND expires_at > $2 AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export async function lockById(
  db: Queryable,
  orgId: string,
  id: string,
): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations WHERE org_id = $1 AND id = $2 FOR UPDATE`,
    [orgId, id],
  );
  return rows[0];
}

/** A pending, unexpired invitation by its token hash, with its organization's name. */
export async function findPendingByToken(
  db: Queryable,
  tokenHash: string,
  now: Date,
): Promise<{ email: string; role: Role; org_name: string; expires_at: Date } | undefined> {
  const { rows } = await db.query<{
    email: string;
    role: Role;
    org_name: string;
    expires_at: Date;
  }>(
    `SELECT i.email, i.role, o.name AS org_name, i.expires_at
       FROM invitations i JOIN orgs o ON o.id = i.org_id
      WHERE i.token_hash = $1 AND i.status = 'pending' AND i.expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0];
}

export async function lockByToken(
  db: Queryable,
  tokenHash: string,
): Promise<InvitationRow | undefined> {
  const { rows } = await db.query<InvitationRow>(
    `SELECT ${COLUMNS} FROM invitations WHERE token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0];
}

export async function setStatus(
  db: Queryable,
  orgId: string,
  id: string,
  status: InvitationRow['status'],
) {
  await db.query(
    'UPDATE invitations SET status = $3, updated_at = now() WHERE org_id = $1 AND id = $2',
    [orgId, id, status],
  );
}

export async function renew(
  db: Queryable,
  orgId: string,
  id: string,
  token: { tokenHash: string; expiresAt: Date },
): Promise<InvitationRow> {
  const { rows } = await db.query<InvitationRow>(
    `UPDATE invitations SET token_hash = $3, expires_at = $4, updated_at = now()
     WHERE org_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    [orgId, id, token.tokenHash, token.expiresAt],
  );
  return rows[0]!;
}

/** Is there a live invitation for this token and address? */
export async function isLiveFor(
  db: Queryable,
  tokenHash: string,
  emailNormalized: string,
  now: Date,
): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM invitations WHERE token_hash = $1 AND status = 'pending' AND expires_at > $3
       AND email_normalized = $2`,
    [tokenHash, emailNormalized, now],
  );
  return rows.length > 0;
}
