import type { components } from './generated/schema.js';

export type Problem = components['schemas']['Problem'];
export type ProblemFieldError = NonNullable<Problem['errors']>[number];

/** The `type` of a {@link PmNetworkError}: the request never got an HTTP answer. */
export const NETWORK_ERROR_TYPE = 'urn:pmkit:network-error';

/**
 * Every non-2xx answer from the API, as a typed error carrying the RFC 9457 problem document.
 * Answers that are not problem documents are wrapped in a synthesised one.
 */
export class PmError extends Error {
  override name = 'PmError';
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];
  readonly requestId: string | undefined;
  readonly problem: Problem;

  constructor(problem: Problem, requestId?: string, options?: ErrorOptions) {
    super(problem.detail ?? problem.title, options);
    this.problem = problem;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.requestId = requestId ?? problem.requestId;
  }
}

/** The request failed before any HTTP answer arrived (DNS, refused, reset, aborted). `status` is 0. */
export class PmNetworkError extends PmError {
  override name = 'PmNetworkError';
  /** Why no answer came: a system error code such as `ECONNREFUSED`, or a message. */
  readonly reason: string;

  constructor(url: string, cause: unknown, note?: string) {
    const reason = note ? `${describeCause(cause)}; ${note}` : describeCause(cause);
    super(
      { type: NETWORK_ERROR_TYPE, title: 'Network error', status: 0, detail: `${url}: ${reason}` },
      undefined,
      { cause },
    );
    this.reason = reason;
  }
}

export function isPmError(error: unknown): error is PmError {
  return error instanceof PmError;
}

function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = (cause as { cause?: unknown }).cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  if (inner instanceof Error) return inner.message;
  return cause.message;
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.title === 'string' && typeof v.status === 'number';
}

/** Reads a non-2xx response's body (consuming it) and builds the matching PmError. */
export async function errorFromResponse(response: Response): Promise<PmError> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (isProblem(body)) {
    const problem: Problem = { ...body, type: body.type ?? 'about:blank', status: response.status };
    return new PmError(problem, requestId);
  }
  const title = response.statusText || `HTTP ${response.status}`;
  const detail =
    typeof (body as { message?: unknown })?.message === 'string'
      ? (body as { message: string }).message
      : text.trim().slice(0, 200) || title;
  return new PmError({ type: 'about:blank', title, status: response.status, detail }, requestId);
}
