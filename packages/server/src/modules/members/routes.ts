import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requireOrg } from '../access/authorize.js';
import { requireUser } from '../auth/authenticate.js';
import type { OrgService } from '../orgs/service.js';
import type { MemberService } from './service.js';

type MemberOperations =
  | 'listMembers'
  | 'updateMember'
  | 'removeMember'
  | 'leaveOrg'
  | 'transferOwnership';

export function memberHandlers(
  members: MemberService,
  orgs: OrgService,
): Pick<Handlers, MemberOperations> {
  return {
    listMembers: async ({ org, query }) => ({
      status: 200,
      body: await members.list(requireOrg(org), query),
    }),
    updateMember: async ({ org, principal, params, body, ctx }) => ({
      status: 200,
      body: await members.changeRole(
        requireOrg(org),
        params.user,
        body.role,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
    removeMember: async ({ org, principal, params, ctx }) => {
      await members.remove(requireOrg(org), params.user, actorOf(principal), requestMeta(ctx));
      return { status: 204 };
    },
    leaveOrg: async ({ org, principal, ctx }) => {
      const user = requireUser(principal);
      await members.leave(requireOrg(org), user, actorOf(user), requestMeta(ctx));
      return { status: 204 };
    },
    transferOwnership: async ({ org, principal, body, ctx }) => {
      const user = requireUser(principal);
      const after = await members.transferOwnership(
        requireOrg(org),
        user,
        body.userId,
        actorOf(user),
        requestMeta(ctx),
      );
      return { status: 200, body: orgs.view(after) };
    },
  };
}
