import type { operations } from '@pmkit/sdk/schema';
import type { Context } from 'koa';
import type { OrgContext } from '../context/org.js';
import type { Principal } from '../context/principal.js';

export type OperationId = keyof operations;
type Op<K extends OperationId> = operations[K];

type Group<O, G extends string> = O extends { parameters: infer P }
  ? P extends Record<G, infer V>
    ? [V] extends [undefined | never]
      ? Record<string, never>
      : NonNullable<V>
    : Record<string, never>
  : Record<string, never>;

type JsonRequestBody<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : undefined;

type SuccessStatus = 200 | 201 | 202 | 204;

/** What a handler may answer: one of the operation's 2xx responses, typed by the contract. */
export type Reply<O> = O extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: R[S] extends { content: { 'application/json': infer B } }
        ? { status: S; body: B; headers?: Record<string, string> }
        : { status: S; body?: undefined; headers?: Record<string, string> };
    }[keyof R & SuccessStatus]
  : never;

export interface HandlerInput<K extends OperationId> {
  params: Group<Op<K>, 'path'>;
  query: Group<Op<K>, 'query'>;
  body: JsonRequestBody<Op<K>>;
  /** Who is calling: set on every operation that is not public. */
  principal: Principal | null;
  /** The `{org}` of the path with the caller's role, on organization operations. */
  org: OrgContext | null;
  ctx: Context;
}

/**
 * A handler returns a typed reply, or `undefined` when it wrote `ctx` itself
 * (streams, files, other content types).
 */
export type Handler<K extends OperationId> = (
  input: HandlerInput<K>,
) => Promise<Reply<Op<K>> | undefined>;

export type Handlers = { [K in OperationId]: Handler<K> };
