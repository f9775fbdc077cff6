import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requirePrincipal, requireUser } from '../auth/authenticate.js';
import type { InvitationService } from './service.js';

type InvitationOperations =
  | 'listInvitations'
  | 'createInvitation'
  | 'revokeInvitation'
  | 'resendInvitation'
  | 'getInvitation'
  | 'acceptInvitation'
  | 'declineInvitation';

export function invitationHandlers(
  invitations: InvitationService,
): Pick<Handlers, InvitationOperations> {
  return {
    listInvitations: async ({ org, query }) => ({
      status: 200,
      body: await invitations.list(requireOrg(org), query),
    }),
    createInvitation: async ({ org, principal, body, ctx }) => {
      const caller = requirePrincipal(principal);
      return {
        status: 201,
        body: await invitations.create(
          requireOrg(org),
          body,
          caller.userId,
          actorOf(caller),
          requestMeta(ctx),
        ),
      };
    },
    revokeInvitation: async ({ org, principal, params, ctx }) => {
      await invitations.revoke(
        requireOrg(org),
        params.invitation,
        actorOf(principal),
        requestMeta(ctx),
      );
      return { status: 204 };
    },
    resendInvitation: async ({ org, principal, params, ctx }) => {
      const caller = requirePrincipal(principal);
      return {
        status: 200,
        body: await invitations.resend(
          requireOrg(org),
          params.invitation,
          caller.userId,
          actorOf(caller),
          requestMeta(ctx),
        ),
      };
    },
    getInvitation: async ({ params }) => ({
      status: 200,
      body: await invitations.preview(params.token),
    }),
    acceptInvitation: async ({ principal, params, ctx }) => ({
      status: 200,
      body: await invitations.accept(params.token, requireUser(principal).userId, requestMeta(ctx)),
    }),
    declineInvitation: async ({ params, ctx }) => {
      await invitations.decline(params.token, requestMeta(ctx));
      return { status: 204 };
    },
  };
}
