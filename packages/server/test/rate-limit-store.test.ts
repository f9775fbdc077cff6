import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Context } from 'koa';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../src/config.js';
import { type RateLimitStore, RateLimits } from '../src/http/rate-limit.js';

const headers: Record<string, string> = {};
const ctx = { set: (name: string, value: string) => (headers[name] = value) } as unknown as Context;
const settings = { ...DEFAULT_RATE_LIMITS, apiPerMinute: 3 };
const clock = { at: Date.parse('2026-01-01T00:00:00Z'), now: () => new Date(clock.at) };

/** Two instances on one store: the fourth request, made on the other instance, is refused. */
async function limitsHoldAcrossInstances(a: RateLimitStore, b: RateLimitStore) {
  const first = new RateLimits(a, settings, clock);
  const second = new RateLimits(b, settings, clock);
  const key = `user:${randomUUID()}`;
  await first.consume('api', key, ctx);
  await second.consume('api', key, ctx);
  await first.consume('api', key, ctx);
  const refused = await second.consume('api', key, ctx).catch((error: unknown) => error);
  expect(refused).toMatchObject({ status: 429 });
  expect(
    Number((refused as { headers: Record<string, string> }).headers['Retry-After']),
  ).toBeGreaterThan(0);
  expect(headers['RateLimit-Remaining']).toBe('0');
}

describe('rate limits shared between instances', () => {
  const redisUrl = process.env.PM_TEST_REDIS_URL;
  const clients: Redis[] = [];
  afterAll(() => {
    for (const client of clients) client.disconnect();
  });
  it.skipIf(!redisUrl)(
    'hold across instances on Redis (set PM_TEST_REDIS_URL to run)',
    async () => {
      for (let i = 0; i < 2; i++) clients.push(new Redis(redisUrl!, { maxRetriesPerRequest: 1 }));
      await limitsHoldAcrossInstances(
        { kind: 'redis', client: clients[0]! },
        { kind: 'redis', client: clients[1]! },
      );
    },
  );

  it('are per instance in memory (the single-process PGlite default)', async () => {
    const one = new RateLimits({ kind: 'memory' }, settings, clock);
    const other = new RateLimits({ kind: 'memory' }, settings, clock);
    const key = `user:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await one.consume('api', key, ctx);
    await expect(one.consume('api', key, ctx)).rejects.toMatchObject({ status: 429 });
    await other.consume('api', key, ctx);
  });

  it('in memory, open a new window when the injected clock passes the old one', async () => {
    const limits = new RateLimits({ kind: 'memory' }, settings, clock);
    const key = `user:${randomUUID()}`;
    for (let i = 0; i < 3; i++) await limits.consume('api', key, ctx);
    clock.at += 30_000;
    const refused = await limits.consume('api', key, ctx).catch((error: unknown) => error);
    expect((refused as { headers: Record<string, string> }).headers['Retry-After']).toBe('30');
    clock.at += 30_000;
    await limits.consume('api', key, ctx);
    expect(headers['RateLimit-Remaining']).toBe('2');
  });

  it('in memory, keep a bounded number of keys', async () => {
    const limits = new RateLimits({ kind: 'memory' }, settings, clock);
    for (let i = 0; i < 1000; i++) await limits.consume('api', `user:${i}`, ctx);
    const windows = (limits as unknown as { limiters: { api: { windows: Map<string, unknown> } } })
      .limiters.api.windows;
    expect(windows.size).toBe(1000);
    clock.at += 61_000;
    await limits.consume('api', 'user:late', ctx);
    expect(windows.size).toBe(1);
  });
});
