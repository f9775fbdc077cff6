import type { Role } from '@pmkit/sdk';
import { InvalidArgumentError } from 'commander';
import type { Clock } from './factory.js';

export const roles: readonly Role[] = ['owner', 'admin', 'manager', 'member', 'viewer'];

export function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** For repeatable options: `--scope a --scope b` → ['a', 'b']. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+)([mhdw])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export const TIME_HELP =
  'a date (2025-07-01, midnight UTC), a date-time (2025-07-01T09:00:00Z) or a duration (30m, 12h, 30d, 2w)';

/**
 * Parses a point in time as an ISO string: a date, a date-time with its zone, or a duration
 * counted from now, forward (`ago: false`, for expiries) or back (`ago: true`, for filters).
 */
export function parseTime(value: string, clock: Clock, ago: boolean): string {
  const duration = DURATION.exec(value);
  if (duration) {
    const ms = Number(duration[1]) * (units[duration[2] as string] as number);
    return new Date(clock.now().getTime() + (ago ? -ms : ms)).toISOString();
  }
  const text = DATE.test(value) ? `${value}T00:00:00Z` : value;
  const time = DATE_TIME.test(text) ? new Date(text) : undefined;
  if (!time || Number.isNaN(time.getTime()))
    throw new InvalidArgumentError(`expected ${TIME_HELP}`);
  return time.toISOString();
}

/** A commander option parser for `parseTime`. */
export const timeArg = (clock: Clock, ago: boolean) => (value: string) =>
  parseTime(value, clock, ago);
