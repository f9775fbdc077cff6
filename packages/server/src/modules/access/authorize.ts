import type { Context } from 'koa';
import { isUuid, type ResourceLocators } from '../../context/located.js';
import type { OrgContext } from '../../context/org.js';
import type { Principal } from '../../context/principal.js';
import type { OperationMiddlewareFactory } from '../../http/contract-router.js';
import type { OperationId } from '../../http/handler-types.js';
import { badRequest, forbidden, HttpError, notFound } from '../../http/problem.js';
import type { OrgService } from '../orgs/service.js';
import {
  describePermission,
  OPERATION_ACCESS,
  PERMISSIONS,
  roleRank,
  scopeGrants,
} from './permissions.js';

/**
 * The organization an operation without `{org}` in its path acts in: an API key's own, else the
 * `PM-Org` header's (the CLI sends its current organization).
 */
function contextualOrg(principal: Principal | null | undefined, header: string): string {
  if (principal?.kind === 'api_key') return principal.orgId;
  if (header) return header;
  throw badRequest('Say which organization this is for: send the PM-Org header (its id or slug)', [
    { path: '/headers/pm-org', message: 'is required here' },
  ]);
}

/**
 * The router stage that applies OPERATION_ACCESS: API keys only where allowed, membership of the
 * organization (the `{org}` in the path; else the one a located resource such as `{task}` belongs
 * to; else the API key's or the `PM-Org` header's; 404 when not a member, so ids leak nothing),
 * then role and scope (403 naming the missing permission).
 */
export function authorize(
  orgs: OrgService,
  locators: ResourceLocators = {},
): OperationMiddlewareFactory {
  return (op) => {
    const access = OPERATION_ACCESS[op.operation.operationId as OperationId];
    if (!access) throw new Error(`${op.operation.operationId} is missing from OPERATION_ACCESS`);
    if (access.kind === 'public') return undefined;
    const orgInPath = op.parameters.some((p) => p.in === 'path' && p.name === 'org');
    const orgInHeader = op.parameters.some((p) => p.in === 'header' && p.name === 'PM-Org');
    const resource = orgInPath
      ? undefined
      : op.parameters.find((p) => p.in === 'path' && locators[p.name] !== undefined)?.name;
    if (access.kind === 'org' && !orgInPath && !orgInHeader) {
      throw new Error(`${op.operation.operationId} acts in an organization but names none`);
    }
    return async function authorize(ctx, next) {
      const principal = ctx.state.principal;
      if (access.kind === 'account') {
        if (principal?.kind === 'api_key' && !access.apiKey) {
          throw forbidden('API keys cannot do this; sign in as a person');
        }
        return next();
      }
      let org: OrgContext | undefined;
      if (resource) {
        org = await locate(ctx, resource, principal ?? null);
      } else {
        const ref: string = orgInPath
          ? ctx.state.params.org
          : contextualOrg(principal, ctx.get('PM-Org'));
        org = await orgs.membership(principal, ref);
        if (!org) throw notFound(`No organization ${ref}`);
      }
      const { role: needed, scope } = PERMISSIONS[access.permission];
      if (roleRank(org.role) < roleRank(needed)) {
        throw new HttpError(
          403,
          `This needs ${describePermission(access.permission)}; your role is ${org.role}`,
          {
            type: 'missing-permission',
          },
        );
      }
      if (principal?.kind === 'api_key') {
        if (scope === null)
          throw forbidden(`API keys cannot use ${access.permission}; sign in as a person`);
        const missing = [scope].flat().filter((s) => !scopeGrants(principal.scopes, s));
        if (missing.length > 0) {
          throw new HttpError(403, `This API key lacks the ${missing.join(' and ')} scope`, {
            type: 'missing-scope',
          });
        }
      }
      ctx.state.org = org;
      await next();
    };
  };

  /**
   * The organization of the resource the path names, by its id wherever it is, or by its key in
   * the organization the request names; sets `ctx.state.located` to the resource's id.
   */
  async function locate(
    ctx: Context,
    name: string,
    principal: Principal | null,
  ): Promise<OrgContext> {
    const ref: string = ctx.state.params[name];
    const locator = locators[name] as ResourceLocators[string];
    let org: OrgContext | undefined;
    if (!isUuid(ref)) {
      const orgRef = contextualOrg(principal, ctx.get('PM-Org'));
      org = await orgs.membership(principal, orgRef);
      if (!org) throw notFound(`No organization ${orgRef}`);
    }
    const found = await locator.locate(ref, org?.id);
    org ??= found && (await orgs.membership(principal, found.orgId));
    // An id is not echoed: the answer to someone else's id must equal the answer to a random one.
    if (!found || !org) throw notFound(isUuid(ref) ? `No such ${name}` : `No ${name} ${ref}`);
    ctx.state.located = { ...ctx.state.located, [name]: found.id };
    return org;
  }
}

/** For handlers of organization operations, where the authorize stage has set the org. */
export function requireOrg(org: OrgContext | null): OrgContext {
  if (!org) throw new Error('authorize stage did not run for an organization operation');
  return org;
}
