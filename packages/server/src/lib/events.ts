import type { Context } from 'koa';
import type { Queryable } from '../db/types.js';

export interface Actor {
  kind: 'user' | 'api_key' | 'system' | 'anonymous';
  id: string | null;
}

export interface EventInput {
  orgId?: string | null;
  actor: Actor;
  entity: string;
  entityId?: string | null;
  action: string;
  changes?: Record<string, unknown>;
  meta?: RequestMeta;
}

export interface RequestMeta {
  ip: string;
  requestId: string;
  userAgent: string;
}

export function requestMeta(ctx: Context): RequestMeta {
  return {
    ip: ctx.ip,
    requestId: ctx.state.requestId,
    userAgent: ctx.get('User-Agent').slice(0, 512),
  };
}

/** Appends to the events table; call it inside the transaction that made the change. */
export async function recordEvent(db: Queryable, event: EventInput): Promise<void> {
  await db.query(
    `INSERT INTO events (org_id, actor_kind, actor_id, entity, entity_id, action, changes, ip, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      event.orgId ?? null,
      event.actor.kind,
      event.actor.id,
      event.entity,
      event.entityId ?? null,
      event.action,
      JSON.stringify(event.changes ?? {}),
      event.meta?.ip ?? null,
      event.meta?.requestId ?? null,
    ],
  );
}

/**
 * An `INSERT INTO events … SELECT … FROM <source>` for a data-modifying CTE: one event per row of
 * `source` (which has `org_id` and `id`), so a change and its event are one statement. Pushes its
 * values onto `params`.
 */
export function eventsFrom(
  params: unknown[],
  source: string,
  event: Omit<EventInput, 'orgId' | 'entityId'> & { changesSql?: string },
): string {
  const at = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const changes = event.changesSql ?? `${at(JSON.stringify(event.changes ?? {}))}::jsonb`;
  return `INSERT INTO events (org_id, actor_kind, actor_id, entity, entity_id, action, changes, ip, request_id)
    SELECT ${source}.org_id, ${at(event.actor.kind)}, ${at(event.actor.id)}::uuid, ${at(event.entity)}, ${source}.id,
           ${at(event.action)}, ${changes}, ${at(event.meta?.ip ?? null)}, ${at(event.meta?.requestId ?? null)}
      FROM ${source}`;
}
