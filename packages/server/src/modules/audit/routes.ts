import type { Handlers } from '../../http/handler-types.js';
import { csvStream } from '../../lib/csv.js';
import { requireOrg } from '../access/authorize.js';
import type { AuditService } from './service.js';

const AUDIT_COLUMNS = [
  'id',
  'time',
  'action',
  'actor_kind',
  'actor_id',
  'entity_id',
  'ip',
  'request_id',
  'changes',
] as const;

export function auditHandlers(audit: AuditService): Pick<Handlers, 'listAuditEvents'> {
  return {
    listAuditEvents: async ({ org, query, format }) => {
      if (format === 'text/csv') {
        return {
          status: 200,
          contentType: 'text/csv',
          body: csvStream(AUDIT_COLUMNS, audit.export(requireOrg(org), query), (event) => [
            event.id,
            event.createdAt,
            event.action,
            event.actor.kind,
            event.actor.id,
            event.entityId,
            event.ip,
            event.requestId,
            event.changes,
          ]),
        };
      }
      return { status: 200, body: await audit.list(requireOrg(org), query) };
    },
  };
}
