import type { Readable } from 'node:stream';
import type { operations } from '@pmkit/sdk/schema';
import type { Context } from 'koa';
import type { Located } from '../context/located.js';
import type { OrgContext } from '../context/org.js';
import type { Principal } from '../context/principal.js';
import type { StreamedBody } from './request-body.js';

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

type StreamedType = 'text/csv' | 'application/octet-stream';

/** A streamed request body where the operation accepts CSV or bytes. */
type StreamedRequestBody<O> = O extends { requestBody?: { content: infer C } }
  ? [Extract<keyof C, StreamedType>] extends [never]
    ? never
    : StreamedBody
  : never;

type SuccessStatus = 200 | 201 | 202 | 204;
type Headers = Record<string, string>;

/** A non-JSON answer (CSV, PDF): a stream Koa pipes with backpressure, or its whole text. */
type MediaReply<S, C> = [Exclude<keyof C, 'application/json'>] extends [never]
  ? never
  : {
      status: S;
      contentType: Exclude<keyof C, 'application/json'> & string;
      body: Readable | string | Buffer;
      headers?: Headers;
    };

type ContentReply<S, C> =
  | (C extends { 'application/json': infer B }
      ? { status: S; body: B; headers?: Headers; contentType?: 'application/json' }
      : never)
  | MediaReply<S, C>;

/** What a handler may answer: one of the operation's 2xx responses, typed by the contract. */
export type Reply<O> = O extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: R[S] extends { content: infer C }
        ? ContentReply<S, C>
        : { status: S; body?: undefined; headers?: Headers };
    }[keyof R & SuccessStatus]
  : never;

export interface HandlerInput<K extends OperationId> {
  params: Group<Op<K>, 'path'>;
  query: Group<Op<K>, 'query'>;
  body: JsonRequestBody<Op<K>> | StreamedRequestBody<Op<K>>;
  /** Who is calling: set on every operation that is not public. */
  principal: Principal | null;
  /** The `{org}` of the path with the caller's role, on organization operations. */
  org: OrgContext | null;
  /**
   * Ids of the resources the path names by id or key (`{project}`, `{task}`), resolved by the
   * authorize stage: use these, not `params`, which may hold a key.
   */
  located: Located;
  /** The negotiated media type of the answer, where the operation offers several. */
  format: string | undefined;
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
