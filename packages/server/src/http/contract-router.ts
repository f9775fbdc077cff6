import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { ContractOperation, ContractValidator } from './contract-validator.js';
import type { Handlers, OperationId } from './handler-types.js';
import { negotiate } from './negotiate.js';
import { badRequest } from './problem.js';
import { type BodyLimits, isStreamedBody, readRequestBody } from './request-body.js';

/** Returns middleware to run for `op` after validation, or undefined when it does not apply. */
export type OperationMiddlewareFactory = (op: ContractOperation) => Middleware | undefined;

interface RouterOptions {
  validator: ContractValidator;
  handlers: Handlers;
  bodyLimits: BodyLimits;
  /** Per-operation middleware run in order after validation (authentication, idempotency). */
  stages: OperationMiddlewareFactory[];
}

const toKoaPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/**
 * One route per contract operation, so the contract decides what exists: each request is parsed,
 * validated against its operation, passed through the stages, then handed to its handler.
 */
export function contractRouter({ validator, handlers, bodyLimits, stages }: RouterOptions): Router {
  // Strict: `/v1/orgs/acme/` is not `/v1/orgs/acme`, so every path that answers is one the contract names.
  const router = new Router({ strict: true });
  for (const op of validator.operations) {
    const id = op.operation.operationId as OperationId;
    const handler = handlers[id] as Handlers[OperationId] | undefined;
    if (!handler) throw new Error(`No handler for operation ${id}`);
    const chain: Middleware[] = [validateRequest(validator, op, bodyLimits)];
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
        located: ctx.state.located ?? {},
        format: ctx.state.format,
        ctx,
      });
      if (reply) {
        const { status, body, headers, contentType } = reply as {
          status: number;
          body?: unknown;
          headers?: Record<string, string>;
          contentType?: string;
        };
        if (headers) ctx.set(headers);
        ctx.status = status;
        // Koa would send the status text ("Accepted") for no body, or turn null into a 204.
        ctx.body = body === undefined ? '' : body;
        if (contentType) ctx.type = contentType;
      }
    });
    router.register(toKoaPath(op.path), [op.method.toUpperCase()], chain, { name: id });
  }
  return router;
}

function validateRequest(
  validator: ContractValidator,
  op: ContractOperation,
  bodyLimits: BodyLimits,
): Middleware {
  return async function validate(ctx, next) {
    const body = await readRequestBody(ctx, op, bodyLimits);
    ctx.state.body = body;
    const parts = {
      path: { ...ctx.params },
      query: { ...ctx.query },
      headers: { ...ctx.headers },
      body: isStreamedBody(body) ? undefined : body,
    };
    const errors = validator.validateRequest(op, parts);
    if (errors.length > 0) {
      throw badRequest(
        errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`,
        errors,
      );
    }
    ctx.state.format = negotiate(ctx, op, parts.query.format);
    ctx.state.operation = op;
    ctx.state.params = parts.path;
    ctx.state.query = parts.query;
    await next();
  };
}
