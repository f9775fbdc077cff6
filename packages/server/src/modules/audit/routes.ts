import type { Handlers } from '../../http/handler-types.js';
import { requireOrg } from '../access/authorize.js';
import type { AuditService } from './service.js';

export function auditHandlers(audit: AuditService): Pick<Handlers, 'listAuditEvents'> {
  return {
    listAuditEvents: async ({ org, query }) => ({
      status: 200,
      body: await audit.list(requireOrg(org), query),
    }),
  };
}
