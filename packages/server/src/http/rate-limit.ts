import type { Context } from 'koa';
import { type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitSettings } from '../config.js';
import type { Clock } from '../lib/clock.js';
import type { OperationMiddlewareFactory } from './contract-router.js';
import { HttpError } from './problem.js';

/**
 * Where counters live: this process's memory (the default; each instance counts on its own), or
 * Redis, shared by every instance. Never the database: that would be a write per request.
 */
export type RateLimitStore =
  | { kind: 'memory' }
  | { kind: 'redis'; client: import('ioredis').Redis };

type LimiterName =
  | 'loginByIp'
  | 'loginFailures'
  | 'registerByIp'
  | 'resetByIp'
  | 'resetByAccount'
  | 'api';

/** What a limiter reports: as rate-limiter-flexible's RateLimiterRes. */
interface Usage {
  remainingPoints: number;
  consumedPoints: number;
  msBeforeNext: number;
}

/** The part of a limiter we use; rate-limiter-flexible's limiters have this shape too. */
interface Limiter {
  readonly points: number;
  /** Resolves with the usage, or rejects with it (a RateLimiterRes) when over the limit. */
  consume(key: string): Promise<Usage>;
  get(key: string): Promise<Usage | null>;
  penalty(key: string, points: number): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

/**
 * Fixed windows in this process's memory, timed by the injected clock (rate-limiter-flexible's
 * memory limiter reads the wall clock). Expired windows are swept as keys come and go, and the
 * number of keys is bounded, so a flood of distinct keys cannot grow it without end.
 */
class MemoryLimiter implements Limiter {
  private readonly windows = new Map<string, { points: number; endsAt: number }>();
  private nextSweep = 0;

  constructor(
    readonly points: number,
    private readonly durationMs: number,
    private readonly clock: Clock,
    private readonly maxKeys = 100_000,
  ) {}

  private window(key: string, now: number) {
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (now >= this.nextSweep || this.windows.size >= this.maxKeys) this.sweep(now);
      window = { points: 0, endsAt: now + this.durationMs };
      this.windows.set(key, window);
    }
    return window;
  }

  private sweep(now: number) {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    // Still full of live windows: forget the oldest (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
    this.nextSweep = now + this.durationMs;
  }

  private usage(window: { points: number; endsAt: number }, now: number): Usage {
    return {
      remainingPoints: Math.max(this.points - window.points, 0),
      consumedPoints: window.points,
      msBeforeNext: window.endsAt - now,
    };
  }

  consume(key: string): Promise<Usage> {
    const now = this.clock.now().getTime();
    const window = this.window(key, now);
    window.points += 1;
    const usage = this.usage(window, now);
    if (window.points > this.points)
      return Promise.reject(new RateLimiterRes(0, usage.msBeforeNext, window.points));
    return Promise.resolve(usage);
  }

  get(key: string): Promise<Usage | null> {
    const now = this.clock.now().getTime();
    const window = this.windows.get(key);
    return Promise.resolve(window && window.endsAt > now ? this.usage(window, now) : null);
  }

  penalty(key: string, points: number): Promise<unknown> {
    this.window(key, this.clock.now().getTime()).points += points;
    return Promise.resolve();
  }

  delete(key: string): Promise<unknown> {
    this.windows.delete(key);
    return Promise.resolve();
  }
}

/**
 * Named limiters on one store: this process's memory by default, Redis when configured, so that
 * limits then hold across instances.
 */
export class RateLimits {
  private readonly limiters: Record<LimiterName, Limiter>;

  constructor(store: RateLimitStore, settings: RateLimitSettings, clock: Clock) {
    const make = (keyPrefix: string, points: number, duration: number): Limiter => {
      if (store.kind === 'redis') {
        // Redis keeps the windows (its TTLs), so the injected clock does not move them.
        return new RateLimiterRedis({
          keyPrefix,
          points,
          duration,
          storeClient: store.client,
        }) as RateLimiterAbstract & Limiter;
      }
      return new MemoryLimiter(points, duration * 1000, clock);
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

function setHeaders(ctx: Context, limit: number, result: Usage) {
  ctx.set('RateLimit-Limit', String(limit));
  ctx.set('RateLimit-Remaining', String(Math.max(result.remainingPoints, 0)));
  ctx.set('RateLimit-Reset', String(Math.ceil(Math.max(result.msBeforeNext, 0) / 1000)));
}

function tooMany(ctx: Context, limit: number, result: Usage): HttpError {
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
