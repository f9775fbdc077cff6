import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type {
  CreateInvitationRequest,
  Invitation,
  InvitationPreview,
  ListQuery,
  Org,
  WriteOptions,
} from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface InvitationsResource {
  /** Pending invitations, newest first. */
  list(org: string, query?: ListQuery, options?: PaginateOptions): Paginated<Invitation>;
  /** Invites someone by e-mail; the token travels only in the mail. */
  create(org: string, body: CreateInvitationRequest, options?: WriteOptions): Promise<Invitation>;
  revoke(org: string, id: string): Promise<void>;
  /** Mails the invitation again with a new token and expiry. */
  resend(org: string, id: string): Promise<Invitation>;
  /** What a pending invitation (token `pmi_…`) is for: address, organization, role; no sign-in. */
  get(token: string): Promise<InvitationPreview>;
  /** Accepts an invitation (token `pmi_…`) for the signed-in account; returns the org joined. */
  accept(token: string): Promise<Org>;
  /** Declines an invitation; needs no sign-in. */
  decline(token: string): Promise<void>;
}

export function invitationsResource({ raw }: ResourceContext): InvitationsResource {
  const one = (org: string, id: string) => ({
    path: { org: segment('org', org), invitation: segment('invitation id', id) },
  });
  const byToken = (token: string) => ({ path: { token: segment('invitation token', token) } });
  return {
    list: (org, query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/orgs/{org}/invitations', {
              params: { path: { org: segment('org', org) }, query: pageQuery(query, cursor) },
            }),
          ),
        options,
      ),
    create: async (org, body, options) =>
      data(
        await raw.POST('/v1/orgs/{org}/invitations', {
          params: { path: { org: segment('org', org) } },
          body,
          headers: idempotency(options),
        }),
      ),
    async revoke(org, id) {
      await raw.DELETE('/v1/orgs/{org}/invitations/{invitation}', { params: one(org, id) });
    },
    resend: async (org, id) =>
      data(
        await raw.POST('/v1/orgs/{org}/invitations/{invitation}/resend', { params: one(org, id) }),
      ),
    get: async (token) =>
      data(await raw.GET('/v1/invitations/{token}', { params: byToken(token) })),
    accept: async (token) =>
      data(await raw.POST('/v1/invitations/{token}/accept', { params: byToken(token) })),
    async decline(token) {
      await raw.POST('/v1/invitations/{token}/decline', { params: byToken(token) });
    },
  };
}
