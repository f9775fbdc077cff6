import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  ApiKey,
  CreateApiKeyRequest,
  CreatedApiKey,
  ListQuery,
  WriteOptions,
} from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface ApiKeysResource {
  /** Keys that are not revoked, newest first; never with their secrets. */
  list(org: string, query?: ListQuery, options?: PaginateOptions): Paginated<ApiKey>;
  /** Creates a key; its `secret` (`pmk_…`) is in this answer only. */
  create(org: string, body: CreateApiKeyRequest, options?: WriteOptions): Promise<CreatedApiKey>;
  revoke(org: string, id: string): Promise<void>;
}

export function apiKeysResource({ raw }: ResourceContext): ApiKeysResource {
  const orgPath = (org: string) => ({ path: { org: segment('org', org) } });
  return {
    list: (org, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/api-keys', {
              params: { ...orgPath(org), query: pageQuery(query, cursor) },
            }),
          ),
        options,
      ),
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/api-keys', {
          params: orgPath(org),
          body,
          headers: idempotency(options),
        }),
      ),
    async revoke(org, id) {
      await raw.DELETE('/v1/orgs/{org}/api-keys/{key}', {
        params: { path: { org: segment('org', org), key: segment('API key id', id) } },
      });
    },
  };
}
