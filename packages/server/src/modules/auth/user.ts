import type { components } from '@pmkit/sdk/schema';
import type { UserRow } from './store.js';

type User = components['schemas']['User'];

/** A user as the API shows them. */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    timezone: row.timezone,
    avatarUrl: row.avatar_url,
    emailVerified: row.email_verified_at !== null,
    preferences: row.preferences,
    createdAt: row.created_at.toISOString(),
  };
}
