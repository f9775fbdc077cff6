import type { Client } from 'openapi-fetch';
import type { Session } from '../credentials.js';
import type { paths } from '../generated/schema.js';
import type { ListQuery, WriteOptions } from '../types.js';

/** What every resource helper is built from. */
export interface ResourceContext {
  raw: Client<paths>;
  /** Makes a session the client's credentials (and reports it through `onSession`). */
  adopt(session: Session): Promise<Session>;
  /** Forgets the client's credentials. */
  clear(): void;
}

// The transport throws on every non-2xx answer, so a returned result always carries data.
export function data<T>(result: { data?: T }): T {
  return result.data as T;
}

export function idempotency(options?: WriteOptions): Record<string, string> {
  return options?.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {};
}

/** The query of one page: the caller's filters plus the cursor of the page asked for. */
export function pageQuery<Q extends ListQuery>(query: Q, cursor: string | undefined): Q {
  return cursor ? { ...query, cursor } : query;
}

/**
 * A value for a path parameter. openapi-fetch percent-encodes it, but an empty, `.` or `..`
 * segment would still change which route the URL names (`/v1/orgs/` is the list), so refuse those.
 */
export function segment(name: string, value: string): string {
  if (typeof value !== 'string' || value === '' || value === '.' || value === '..') {
    throw new TypeError(`${name} must be a non-empty path segment, got ${JSON.stringify(value)}`);
  }
  return value;
}
