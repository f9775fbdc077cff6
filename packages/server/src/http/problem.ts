import { STATUS_CODES } from 'node:http';
import type { components } from '@pmkit/sdk/schema';

/** The contract's problem document (RFC 9457). */
export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];
/** The members the contract's Problem declares beyond RFC 9457's. */
export type ProblemExtensions = Partial<Pick<Problem, 'cycle' | 'timer' | 'lock'>>;

const PROBLEM_BASE = 'https://pmkit.dev/problems/';

// Lower-case words joined by hyphens, as the contract's `Problem.type` pattern requires.
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

const TYPES: Record<number, string> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  406: 'not-acceptable',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  500: 'internal',
  503: 'unavailable',
};

/** An error that becomes a problem document; its detail is always safe to show the caller. */
export class HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  readonly extensions: ProblemExtensions;

  constructor(
    status: number,
    detail: string,
    options: {
      /** A slug (`slug-taken`), never a URL: the base is added here. */
      type?: string;
      title?: string;
      errors?: FieldError[];
      headers?: Record<string, string>;
      /** Members the contract's Problem declares beyond the standard ones (`cycle`). */
      extensions?: ProblemExtensions;
    } = {},
  ) {
    super(detail);
    this.name = 'HttpError';
    this.status = status;
    const slug = options.type ?? TYPES[status] ?? 'error';
    if (!SLUG.test(slug)) throw new TypeError(`Problem type must be a slug, not ${slug}`);
    this.type = PROBLEM_BASE + slug;
    this.title = options.title ?? STATUS_CODES[status] ?? 'Error';
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }

  toProblem(requestId?: string): Problem {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.message,
      ...(requestId ? { requestId } : {}),
      ...this.extensions,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpError(400, detail, { title: 'Invalid request', ...(errors ? { errors } : {}) });
export const unauthorized = (detail: 'Invalid token' | 'Token expired' | (string & {})) =>
  new HttpError(401, detail, { headers: { 'WWW-Authenticate': 'Bearer' } });
export const forbidden = (detail: string) => new HttpError(403, detail);
export const notFound = (detail = 'Not found') => new HttpError(404, detail);
export const conflict = (detail: string, type?: string) =>
  new HttpError(409, detail, type ? { type } : {});
export const unprocessable = (detail: string, type?: string) =>
  new HttpError(422, detail, type ? { type } : {});
