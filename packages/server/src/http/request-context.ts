import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';

const ACCEPTED_ID = /^[\w.:@-]{1,128}$/;

/**
 * Gives every request an id (the caller's `X-Request-Id` when it is sane) and echoes it. One line
 * per request is logged at `debug`, or at `info` when `accessLog` asks for it (PM_ACCESS_LOG):
 * on the hot path a log line costs more than the rest of a cheap request.
 */
export function requestContext(logger: Logger, options: { accessLog?: boolean } = {}): Middleware {
  const level = options.accessLog ? 'info' : 'debug';
  return async function requestContext(ctx, next) {
    const offered = ctx.get('X-Request-Id');
    const requestId = ACCEPTED_ID.test(offered) ? offered : randomUUID();
    ctx.state.requestId = requestId;
    // The request's logger is made only when something logs.
    let log: Logger | undefined;
    Object.defineProperty(ctx.state, 'log', {
      get: () => {
        log ??= logger.child({ requestId });
        return log;
      },
      enumerable: true,
      configurable: true,
    });
    ctx.set('X-Request-Id', requestId);
    ctx.set('X-Content-Type-Options', 'nosniff');
    if (!logger.isLevelEnabled(level)) return next();
    const started = performance.now();
    try {
      await next();
    } finally {
      (ctx.state.log as Logger)[level](
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
