import type { Context } from 'koa';
import type { ContractOperation } from './contract-validator.js';
import { HttpError } from './problem.js';

// `format=` values and the media types they stand for.
const FORMATS: Record<string, string> = {
  json: 'application/json',
  csv: 'text/csv',
  pdf: 'application/pdf',
};

/**
 * The media type to answer with, among the 2xx types the contract lists for `op`: `format=` when
 * the operation declares it, else `Accept`; 406 when nothing offered is acceptable. Operations
 * with a single media type answer with it whatever `Accept` says, as most APIs do.
 */
export function negotiate(
  ctx: Context,
  op: ContractOperation,
  format: unknown,
): string | undefined {
  const offered = op.responseContentTypes;
  if (offered.length <= 1) return offered[0];
  ctx.vary('Accept');
  if (typeof format === 'string') {
    const type = FORMATS[format];
    if (type && offered.includes(type)) return type;
    throw new HttpError(
      406,
      `format=${format} is not offered; choose ${offered.map(shortName).join(', ')}`,
    );
  }
  const chosen = ctx.accepts(offered);
  if (chosen === false) {
    throw new HttpError(
      406,
      `None of ${ctx.get('Accept')} is offered; this answers ${offered.join(', ')}`,
    );
  }
  return chosen;
}

const shortName = (type: string) =>
  Object.entries(FORMATS).find(([, media]) => media === type)?.[0] ?? type;
