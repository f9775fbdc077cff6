import createFetchClient, { type Client } from 'openapi-fetch';
import { Credentials, type Session, type SessionTokens } from './credentials.js';
import { defaultFetch } from './default-fetch.js';
import { errorFromResponse } from './errors.js';
import type { paths } from './generated/schema.js';
import { type Paginated, type PaginateOptions, paginate } from './paginate.js';
import { defaultRetryPolicy, type RetryOptions } from './retry.js';
import { createTransport, type FetchLike } from './transport.js';
import type {
  CreateOrgRequest,
  Health,
  ListQuery,
  LoginRequest,
  Org,
  Readiness,
  RegisterRequest,
  ServerMeta,
  UpdateMeRequest,
  User,
  WriteOptions,
} from './types.js';

export const SDK_VERSION = '0.1.0';

export interface ClientOptions {
  baseUrl: string;
  /** An access token (JWT). */
  token?: string;
  /** An API key (`pmk_…`); takes precedence over `token` and `session`. */
  apiKey?: string;
  /** A session that refreshes itself when the server answers 401 `Token expired`. */
  session?: SessionTokens;
  /** Called whenever the client adopts a new session: login, register, refresh. */
  onSession?: (session: Session) => void | Promise<void>;
  /** Sent as `PM-Org`: the organization keys are resolved in. */
  org?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** `false` disables retries. */
  retry?: RetryOptions | false;
  /** Prepended to the SDK's own User-Agent. */
  userAgent?: string;
}

export interface PmClient {
  /** The typed openapi-fetch client; non-2xx answers throw PmError here too. */
  raw: Client<paths>;
  /** The bearer token currently sent, if any. */
  accessToken(): string | undefined;
  system: {
    health(): Promise<Health>;
    ready(): Promise<Readiness>;
    meta(): Promise<ServerMeta>;
  };
  auth: {
    register(body: RegisterRequest, options?: WriteOptions): Promise<Session>;
    login(body: LoginRequest): Promise<Session>;
    refresh(refreshToken: string): Promise<Session>;
    logout(): Promise<void>;
  };
  me: {
    get(): Promise<User>;
    update(body: UpdateMeRequest, options?: WriteOptions): Promise<User>;
  };
  orgs: {
    list(query?: ListQuery, options?: PaginateOptions): Paginated<Org>;
    create(body: CreateOrgRequest, options?: WriteOptions): Promise<Org>;
    get(org: string): Promise<Org>;
  };
}

// The transport throws on every non-2xx answer, so a returned result always carries data.
function data<T>(result: { data?: T }): T {
  return result.data as T;
}

function idempotency(options?: WriteOptions): Record<string, string> {
  return options?.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {};
}

export function createClient(options: ClientOptions): PmClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const fetchImpl: FetchLike = options.fetch
    ? (url, init) => (options.fetch as typeof fetch)(url, init)
    : defaultFetch;
  const userAgent = [options.userAgent, `pmkit-sdk/${SDK_VERSION}`].filter(Boolean).join(' ');
  const headers: Record<string, string> = { 'user-agent': userAgent, ...options.headers };
  if (options.org) headers['pm-org'] = options.org;

  const exchange = async (refreshToken: string): Promise<Session> => {
    const response = await fetchImpl(`${baseUrl}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) throw await errorFromResponse(response);
    return (await response.json()) as Session;
  };
  const credentials = new Credentials(options, exchange, options.onSession);
  const retry = options.retry === false ? false : { ...defaultRetryPolicy, ...options.retry };
  const raw = createFetchClient<paths>({
    baseUrl,
    fetch: createTransport({ fetch: fetchImpl, retry, credentials, headers }),
  });

  const adopt = async (session: Session) => {
    await credentials.adopt(session);
    return session;
  };

  return {
    raw,
    accessToken: () => credentials.bearer(),
    system: {
      health: async () => data(await raw.GET('/health')),
      ready: async () => data(await raw.GET('/ready')),
      meta: async () => data(await raw.GET('/v1/meta')),
    },
    auth: {
      register: async (body, opts) =>
        adopt(data(await raw.POST('/v1/auth/register', { body, headers: idempotency(opts) }))),
      login: async (body) => adopt(data(await raw.POST('/v1/auth/login', { body }))),
      refresh: async (refreshToken) =>
        adopt(data(await raw.POST('/v1/auth/refresh', { body: { refreshToken } }))),
      logout: async () => {
        await raw.POST('/v1/auth/logout');
        credentials.clear();
      },
    },
    me: {
      get: async () => data(await raw.GET('/v1/me')),
      update: async (body, opts) =>
        data(await raw.PATCH('/v1/me', { body, headers: idempotency(opts) })),
    },
    orgs: {
      list: (query = {}, opts) =>
        paginate(
          async (cursor) =>
            data(
              await raw.GET('/v1/orgs', {
                params: { query: { ...query, ...(cursor ? { cursor } : {}) } },
              }),
            ),
          opts,
        ),
      create: async (body, opts) =>
        data(await raw.POST('/v1/orgs', { body, headers: idempotency(opts) })),
      get: async (org) => data(await raw.GET('/v1/orgs/{org}', { params: { path: { org } } })),
    },
  };
}
