import type Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Logger } from 'pino';
import { errorBoundary } from './error-boundary.js';
import { requestContext } from './request-context.js';

export interface HttpAppOptions {
  logger: Logger;
  router: Router;
  /** Log every request at info rather than debug (PM_ACCESS_LOG). */
  accessLog?: boolean;
  /** Answered before the error boundary: trivial endpoints on the hot path (liveness). */
  early?: Middleware[];
  /** Served before the contract's routes (static assets). */
  before?: Middleware[];
  /**
   * Aborted when the server starts shutting down: a long-lived response (an event stream)
   * listens on `ctx.state.shutdown` and ends itself, so draining does not wait out the timeout.
   */
  shutdown?: AbortSignal;
}

/** The HTTP shell around a contract router: request ids, logs, the error boundary. */
export function createHttpApp({
  logger,
  router,
  accessLog = false,
  early = [],
  before = [],
  shutdown = new AbortController().signal,
}: HttpAppOptions): Koa {
  const app = new Koa({ proxy: false });
  // Errors Koa meets itself (a response stream failing after its headers went out) are logged
  // here; everything before that is answered and logged by the error boundary.
  app.silent = true;
  app.on('error', (error: unknown, ctx?: Koa.Context) => {
    (ctx?.state.log ?? logger).error({ err: error }, 'response failed after it started');
  });
  app.use(async function shutdownSignal(ctx, next) {
    ctx.state.shutdown = shutdown;
    await next();
  });
  app.use(requestContext(logger, { accessLog }));
  for (const middleware of early) app.use(middleware);
  app.use(errorBoundary());
  for (const middleware of before) app.use(middleware);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
