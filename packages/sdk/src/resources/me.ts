import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  ChangePasswordRequest,
  ListQuery,
  SessionInfo,
  UpdateMeRequest,
  User,
  WriteOptions,
} from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface MeResource {
  get(): Promise<User>;
  update(body: UpdateMeRequest, options?: WriteOptions): Promise<User>;
  /** Changes the password; every other session of the account is signed out. */
  changePassword(body: ChangePasswordRequest): Promise<void>;
  sessions: {
    /** Active sessions, newest first; `current` marks the one making the request. */
    list(query?: ListQuery, options?: PaginateOptions): Paginated<SessionInfo>;
    /** Signs one session out, with its refresh tokens. */
    revoke(id: string): Promise<void>;
  };
}

export function meResource({ raw }: ResourceContext): MeResource {
  return {
    get: async () => data(await raw.GET('/v1/me')),
    update: async (body, options) =>
      data(await raw.PATCH('/v1/me', { body, headers: idempotency(options) })),
    async changePassword(body) {
      await raw.POST('/v1/me/password', { body });
    },
    sessions: {
      list: (query = {}, options) =>
        paginate(
          async (cursor) =>
            data(await raw.GET('/v1/me/sessions', { params: { query: pageQuery(query, cursor) } })),
          options,
        ),
      async revoke(id) {
        await raw.DELETE('/v1/me/sessions/{session}', {
          params: { path: { session: segment('session id', id) } },
        });
      },
    },
  };
}
