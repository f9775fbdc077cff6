import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const ACCEPTED_ID = /^[\w.:@-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane), echoes it, and
 * logs one line per request when it ends.
 */
export function requestContext(logger: Logger): Middleware {
  return async function requestContext(ctx, next) {
    const started = performance.now();
    const offered = ctx.get('X-Request-Id');
    const requestId = ACCEPTED_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await next();
    } finally {
      ctx.state.log.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'request',
      );
    }
  };
}
