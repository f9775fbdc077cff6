import type { components } from './generated/schema.js';

type Schemas = components['schemas'];

export type { Session } from './credentials.js';
export type User = Schemas['User'];
export type Org = Schemas['Org'];
export type OrgPage = Schemas['OrgPage'];
export type Role = Schemas['Role'];
export type Health = Schemas['Health'];
export type Readiness = Schemas['Readiness'];
export type ServerMeta = Schemas['ServerMeta'];
export type RegisterRequest = Schemas['RegisterRequest'];
export type LoginRequest = Schemas['LoginRequest'];
export type UpdateMeRequest = Schemas['UpdateMeRequest'];
export type CreateOrgRequest = Schemas['CreateOrgRequest'];

export interface WriteOptions {
  /** Sent as `Idempotency-Key`; a fresh UUID is used when omitted. */
  idempotencyKey?: string;
}

export interface ListQuery {
  limit?: number;
  cursor?: string;
}
