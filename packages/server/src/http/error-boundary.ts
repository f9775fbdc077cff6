import type { Middleware } from 'koa';
import { HttpError, notFound } from './problem.js';
import { isStreamedBody } from './request-body.js';

interface KoaLikeError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
}

/** Maps errors from Koa and its body parser to problems; anything unknown is a 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const e = (error ?? {}) as KoaLikeError & { code?: string };
  // A unique index caught a race the service's own check could not see.
  if (e.code === '23505')
    return new HttpError(409, 'This conflicts with an existing record; reload and retry');
  const status = e.status ?? e.statusCode ?? 500;
  if (status === 413)
    return new HttpError(413, 'The request body is larger than the server accepts');
  if (status === 415) return new HttpError(415, e.message ?? 'Unsupported media type');
  if (status === 400 && (e.type === 'entity.parse.failed' || error instanceof SyntaxError)) {
    return new HttpError(400, 'The request body is not valid JSON', { title: 'Invalid request' });
  }
  if (status < 500 && status >= 400 && e.expose)
    return new HttpError(status, e.message ?? 'Bad request');
  return new HttpError(500, 'Internal server error');
}

/** The one place an error becomes a response: a problem document, never a stack trace. */
export function errorBoundary(): Middleware {
  return async function errorBoundary(ctx, next) {
    try {
      await next();
      if (ctx.body == null && ctx.status === 404)
        throw notFound(`No route for ${ctx.method} ${ctx.path}`);
      // The router's allowedMethods() has set Allow; give its bare 405/501 a problem body.
      if (ctx.body == null && (ctx.status === 405 || ctx.status === 501)) {
        throw new HttpError(
          405,
          `${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow')}`,
        );
      }
    } catch (error) {
      // A refused upload is not read on: the answer closes the connection instead.
      const body: unknown = ctx.state.body;
      if (isStreamedBody(body) && !body.stream.readableEnded) ctx.set('Connection', 'close');
      const problem = toHttpError(error);
      if (problem.status >= 500) ctx.state.log?.error({ err: error }, 'request failed');
      ctx.status = problem.status;
      ctx.set(problem.headers);
      ctx.type = 'application/problem+json';
      ctx.body = problem.toProblem(ctx.state.requestId);
    }
  };
}
