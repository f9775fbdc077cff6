import type { Queryable } from '../../db/types.js';
import type { Keyset } from '../../lib/keyset.js';

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  name: string;
  timezone: string;
  avatar_url: string | null;
  preferences: Record<string, unknown>;
  email_verified_at: Date | null;
  created_at: Date;
}

const USER_COLUMNS =
  'id, email, password_hash, name, timezone, avatar_url, preferences, email_verified_at, created_at';

import { normalizeEmail } from '../../lib/email.js';

export { normalizeEmail };

export async function insertUser(
  db: Queryable,
  user: { email: string; passwordHash: string; name: string },
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `INSERT INTO users (email, email_normalized, password_hash, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (email_normalized) DO NOTHING RETURNING ${USER_COLUMNS}`,
    [user.email.trim(), normalizeEmail(user.email), user.passwordHash, user.name],
  );
  return rows[0];
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${USER_COLUMNS} FROM users WHERE email_normalized = $1`,
    [normalizeEmail(email)],
  );
  return rows[0];
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

export interface UserPatch {
  name?: string;
  timezone?: string;
  avatarUrl?: string | null;
  preferences?: Record<string, unknown>;
}

export async function updateUser(
  db: Queryable,
  id: string,
  patch: UserPatch,
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET
       name = COALESCE($2, name),
       timezone = COALESCE($3, timezone),
       avatar_url = CASE WHEN $4::boolean THEN $5 ELSE avatar_url END,
       preferences = COALESCE($6::jsonb, preferences),
       updated_at = now()
     WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [
      id,
      patch.name ?? null,
      patch.timezone ?? null,
      'avatarUrl' in patch,
      patch.avatarUrl ?? null,
      patch.preferences ? JSON.stringify(patch.preferences) : null,
    ],
  );
  return rows[0];
}

export async function insertSession(
  db: Queryable,
  session: { userId: string; userAgent: string; ip: string },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'INSERT INTO sessions (user_id, user_agent, ip) VALUES ($1, $2, $3) RETURNING id',
    [session.userId, session.userAgent, session.ip],
  );
  return rows[0]!.id;
}

export async function insertRefreshToken(
  db: Queryable,
  token: { sessionId: string; hash: string; expiresAt: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ($1, $2, $3)',
    [token.hash, token.sessionId, token.expiresAt],
  );
}

export interface RefreshTokenState {
  session_id: string;
  user_id: string;
  used: boolean;
  expired: boolean;
  revoked: boolean;
}

/** Reads a refresh token and locks it, so two concurrent uses cannot both rotate it. */
export async function lockRefreshToken(
  db: Queryable,
  hash: string,
  now: Date,
): Promise<RefreshTokenState | undefined> {
  const { rows } = await db.query<RefreshTokenState>(
    `SELECT t.session_id, s.user_id, t.used_at IS NOT NULL AS used, t.expires_at <= $2 AS expired,
            s.revoked_at IS NOT NULL AS revoked
     FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
     WHERE t.token_hash = $1 FOR UPDATE OF t`,
    [hash, now],
  );
  return rows[0];
}

export async function markRefreshTokenUsed(db: Queryable, hash: string, now: Date): Promise<void> {
  await db.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [hash, now]);
}

export async function touchSession(db: Queryable, sessionId: string, now: Date): Promise<void> {
  await db.query('UPDATE sessions SET last_used_at = $2 WHERE id = $1', [sessionId, now]);
}

export async function revokeSession(db: Queryable, sessionId: string, now: Date): Promise<boolean> {
  const result = await db.query(
    'UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL',
    [sessionId, now],
  );
  return result.rowCount > 0;
}

export async function isSessionActive(
  db: Queryable,
  sessionId: string,
  userId: string,
): Promise<boolean> {
  const { rows } = await db.query(
    'SELECT 1 FROM sessions WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [sessionId, userId],
  );
  return rows.length > 0;
}

export type UserTokenPurpose = 'verify_email' | 'reset_password';

export async function insertUserToken(
  db: Queryable,
  token: { userId: string; hash: string; purpose: UserTokenPurpose; now: Date; expiresAt: Date },
): Promise<void> {
  // A new token replaces the unused ones of the same purpose.
  await db.query(
    'UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL',
    [token.userId, token.purpose, token.now],
  );
  await db.query(
    'INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)',
    [token.hash, token.userId, token.purpose, token.expiresAt],
  );
}

/** Uses a token once: the user it belongs to, or undefined when unknown, used or expired. */
export async function consumeUserToken(
  db: Queryable,
  hash: string,
  purpose: UserTokenPurpose,
  now: Date,
): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    `UPDATE user_tokens SET used_at = $3
     WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
     RETURNING user_id`,
    [hash, purpose, now],
  );
  return rows[0]?.user_id;
}

export async function setPassword(
  db: Queryable,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
    userId,
    passwordHash,
  ]);
}

export async function markEmailVerified(
  db: Queryable,
  userId: string,
): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `UPDATE users SET email_verified_at = coalesce(email_verified_at, now()), updated_at = now()
     WHERE id = $1 RETURNING ${USER_COLUMNS}`,
    [userId],
  );
  return rows[0];
}

/** Revokes every session of the user but `except`; returns how many. */
export async function revokeSessionsOf(
  db: Queryable,
  userId: string,
  now: Date,
  except?: string,
): Promise<number> {
  const result = await db.query(
    `UPDATE sessions SET revoked_at = $3
     WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR id <> $2::uuid)`,
    [userId, except ?? null, now],
  );
  return result.rowCount;
}

export interface SessionRow {
  id: string;
  created_at: Date;
  last_used_at: Date;
  user_agent: string | null;
  ip: string | null;
}

export async function listSessions(
  db: Queryable,
  userId: string,
  keyset: Keyset,
): Promise<SessionRow[]> {
  const params: unknown[] = [userId];
  const { rows } = await db.query<SessionRow>(
    `SELECT id, created_at, last_used_at, user_agent, ip, ${keyset.select()}
     FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND ${keyset.where(params)}
     ORDER BY ${keyset.orderBy()} ${keyset.limitClause(params)}`,
    params,
  );
  return rows;
}

export async function revokeSessionOf(
  db: Queryable,
  userId: string,
  sessionId: string,
  now: Date,
): Promise<boolean> {
  const result = await db.query(
    'UPDATE sessions SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL',
    [sessionId, userId, now],
  );
  return result.rowCount > 0;
}

/** On an invite-only server the very first account may register without an invitation. */
export async function anyUserExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM users LIMIT 1');
  return rows.length > 0;
}
