export { type ClientOptions, createClient, type PmClient, SDK_VERSION } from './client.js';
export type { SessionTokens } from './credentials.js';
export {
  isPmError,
  NETWORK_ERROR_TYPE,
  PmError,
  PmNetworkError,
  type Problem,
  type ProblemFieldError,
} from './errors.js';
export type { components, operations, paths } from './generated/schema.js';
export { type Page, type Paginated, type PaginateOptions, paginate } from './paginate.js';
export type { RetryOptions } from './retry.js';
export type * from './types.js';
