import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type { ListQuery, Member, UpdateMemberRequest } from '../types.js';
import { data, pageQuery, type ResourceContext, segment } from './shared.js';

/** `user` is a member's user id, or `me`. */
export interface MembersResource {
  /** Members in the order they joined. */
  list(org: string, query?: ListQuery, options?: PaginateOptions): Paginated<Member>;
  /** Changes a member's role; only an Owner grants or takes away Owner. */
  update(org: string, user: string, body: UpdateMemberRequest): Promise<Member>;
  /** Removes a member (and the API keys they created in the org). */
  remove(org: string, user: string): Promise<void>;
  /** Leaves the organization; the last Owner must transfer ownership first. */
  leave(org: string): Promise<void>;
}

export function membersResource({ raw }: ResourceContext): MembersResource {
  const member = (org: string, user: string) => ({
    path: { org: segment('org', org), user: segment('user', user) },
  });
  return {
    list: (org, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/members', {
              params: { path: { org: segment('org', org) }, query: pageQuery(query, cursor) },
            }),
          ),
        options,
      ),
    update: async (org, user, body) =>
      data(await raw.PATCH('/v1/orgs/{org}/members/{user}', { params: member(org, user), body })),
    async remove(org, user) {
      await raw.DELETE('/v1/orgs/{org}/members/{user}', { params: member(org, user) });
    },
    async leave(org) {
      await raw.POST('/v1/orgs/{org}/leave', { params: { path: { org: segment('org', org) } } });
    },
  };
}
