import Router from '@koa/router';
import coBody from 'co-body';
import type { Context, Middleware } from 'koa';
import type { ContractOperation, ContractValidator } from './contract-validator.js';
import type { Handlers, OperationId } from './handler-types.js';
import { badRequest, HttpError } from './problem.js';

/** Returns middleware to run for `op` after validation, or undefined when it does not apply. */
export type OperationMiddlewareFactory = (op: ContractOperation) => Middleware | undefined;

interface RouterOptions {
  validator: ContractValidator;
  handlers: Handlers;
  bodyLimit: string;
  /** Per-operation middleware run in order after validation (authentication, idempotency). */
  stages: OperationMiddlewareFactory[];
}

const toKoaPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * One route per contract operation, so the contract decides what exists: each request is parsed,
 * validated against its operation, passed through the stages, then handed to its handler.
 */
export function contractRouter({ validator, handlers, bodyLimit, stages }: RouterOptions): Router {
  const router = new Router();
  for (const op of validator.operations) {
    const id = op.operation.operationId as OperationId;
    const handler = handlers[id] as Handlers[OperationId] | undefined;
    if (!handler) throw new Error(`No handler for operation ${id}`);
    const chain: Middleware[] = [validateRequest(validator, op, bodyLimit)];
    for (const stage of stages) {
      const middleware = stage(op);
      if (middleware) chain.push(middleware);
    }
    chain.push(async function runHandler(ctx: Context) {
      const reply = await (handler as (input: unknown) => Promise<unknown>)({
        params: ctx.state.params,
        query: ctx.state.query,
        body: ctx.state.body,
        principal: ctx.state.principal ?? null,
        org: ctx.state.org ?? null,
        ctx,
      });
      if (reply) {
        const { status, body, headers } = reply as {
          status: number;
          body?: unknown;
          headers?: Record<string, string>;
        };
        if (headers) ctx.set(headers);
        ctx.status = status;
        // Koa would send the status text ("Accepted") for no body, or turn null into a 204.
        ctx.body = body === undefined ? '' : body;
      }
    });
    router.register(toKoaPath(op.path), [op.method.toUpperCase()], chain, { name: id });
  }
  return router;
}

function validateRequest(
  validator: ContractValidator,
  op: ContractOperation,
  bodyLimit: string,
): Middleware {
  const acceptsJson = op.bodyContentTypes.includes('application/json');
  return async function validate(ctx, next) {
    let body: unknown;
    if (
      acceptsJson &&
      ctx.request.length !== 0 &&
      (ctx.request.length || ctx.get('Transfer-Encoding'))
    ) {
      if (!ctx.is('application/json', '+json')) {
        throw new HttpError(
          415,
          `Send the body as application/json, not ${ctx.get('Content-Type') || 'no content type'}`,
        );
      }
      body = await coBody.json(ctx, { limit: bodyLimit, strict: true });
    }
    if (body === undefined && op.bodyRequired) {
      throw badRequest('The request body is required', [{ path: '/body', message: 'is required' }]);
    }
    const parts = {
      path: { ...ctx.params },
      query: { ...ctx.query },
      headers: { ...ctx.headers },
      body,
    };
    const errors = validator.validateRequest(op, parts);
    if (errors.length > 0) {
      throw badRequest(
        errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`,
        errors,
      );
    }
    ctx.state.operation = op;
    ctx.state.params = parts.path;
    ctx.state.query = parts.query;
    ctx.state.body = body;
    await next();
  };
}
