import type { Context } from 'koa';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Database } from '../db/types.js';
import type { OperationMiddlewareFactory } from './contract-router.js';
import { HttpError } from './problem.js';

export interface RateLimitSettings {
  /** Log-in attempts per IP per window. */
  loginPerIp: number;
  /** Failed log-ins per account per window, then 429 until the window ends. */
  loginFailuresPerAccount: number;
  loginWindowSeconds: number;
  /** Registrations per IP per hour. */
  registerPerIp: number;
  /** Reset requests per IP per hour, and per account per hour. */
  resetPerIp: number;
  resetPerAccount: number;
  /** Requests per minute per signed-in user or API key. */
  apiPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginPerIp: 100,
  loginFailuresPerAccount: 10,
  loginWindowSeconds: 15 * 60,
  registerPerIp: 30,
  resetPerIp: 20,
  resetPerAccount: 5,
  apiPerMinute: 1200,
};

export type RateLimitStore =
  | { kind: 'memory' }
  | { kind: 'database'; db: Database }
  | { kind: 'redis'; client: import('ioredis').Redis };

type LimiterName =
  | 'loginByIp'
  | 'loginFailures'
  | 'registerByIp'
  | 'resetByIp'
  | 'resetByAccount'
  | 'api';

/**
 * Named limiters on one shared store: in-process for a single PGlite server, the database on
 * PostgreSQL and Redis when configured, so limits hold across instances.
 */
export class RateLimits {
  private readonly limiters: Record<LimiterName, RateLimiterAbstract>;

  constructor(store: RateLimitStore, settings: RateLimitSettings) {
    const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
      const options = { keyPrefix, points, duration };
      if (store.kind === 'redis')
        return new RateLimiterRedis({ ...options, storeClient: store.client });
      if (store.kind === 'database') {
        const client = {
          query: (q: { text: string; values: unknown[] }) => store.db.query(q.text, q.values),
        };
        return new RateLimiterPostgres({
          ...options,
          storeClient: client,
          storeType: 'pool',
          tableName: 'rate_limits',
          tableCreated: true,
          clearExpiredByTimeout: false,
        });
      }
      return new RateLimiterMemory(options);
    };
    const window = settings.loginWindowSeconds;
    this.limiters = {
      loginByIp: make('login-ip', settings.loginPerIp, window),
      loginFailures: make('login-fail', settings.loginFailuresPerAccount, window),
      registerByIp: make('register-ip', settings.registerPerIp, 3600),
      resetByIp: make('reset-ip', settings.resetPerIp, 3600),
      resetByAccount: make('reset-account', settings.resetPerAccount, 3600),
      api: make('api', settings.apiPerMinute, 60),
    };
  }

  /** Takes one point; over the limit it throws 429 with Retry-After. Sets RateLimit-* headers. */
  async consume(name: LimiterName, key: string, ctx: Context): Promise<void> {
    const limiter = this.limiters[name];
    try {
      setHeaders(ctx, limiter.points, await limiter.consume(key));
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      throw tooMany(ctx, limiter.points, result);
    }
  }

  /** Refuses with 429 when `key` has used up `name` already, without taking a point. */
  async ensureAvailable(name: LimiterName, key: string, ctx: Context): Promise<void> {
    const limiter = this.limiters[name];
    const result = await limiter.get(key);
    if (result && result.remainingPoints <= 0 && result.consumedPoints >= limiter.points) {
      throw tooMany(ctx, limiter.points, result);
    }
  }

  /** Counts a failure (a wrong password) without refusing this request. */
  async penalise(name: LimiterName, key: string): Promise<void> {
    await this.limiters[name].penalty(key, 1);
  }

  async clear(name: LimiterName, key: string): Promise<void> {
    await this.limiters[name].delete(key);
  }
}

function setHeaders(ctx: Context, limit: number, result: RateLimiterRes) {
  ctx.set('RateLimit-Limit', String(limit));
  ctx.set('RateLimit-Remaining', String(Math.max(result.remainingPoints, 0)));
  ctx.set('RateLimit-Reset', String(Math.ceil(Math.max(result.msBeforeNext, 0) / 1000)));
}

function tooMany(ctx: Context, limit: number, result: RateLimiterRes): HttpError {
  const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
  setHeaders(ctx, limit, result);
  return new HttpError(429, `Too many requests; retry in ${seconds} s`, {
    headers: { 'Retry-After': String(seconds), 'RateLimit-Remaining': '0' },
  });
}

/** The stage that limits every signed-in caller per minute, by user or API key. */
export function apiRateLimit(limits: RateLimits): OperationMiddlewareFactory {
  return (op) => {
    if (op.public) return undefined;
    return async function apiRateLimit(ctx, next) {
      const principal = ctx.state.principal;
      await limits.consume(
        'api',
        principal.kind === 'api_key' ? `key:${principal.keyId}` : `user:${principal.userId}`,
        ctx,
      );
      await next();
    };
  };
}
