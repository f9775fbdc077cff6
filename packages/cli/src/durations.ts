import { InvalidArgumentError } from 'commander';
import parseDuration from 'parse-duration';

/** Seconds in a duration as people write it: `1h30m`, `90m`, `1.5h`, `45 min`. */
export function durationArg(value: string): number {
  const seconds = /^\s*\d+\s*$/.test(value) ? undefined : parseDuration(value, 's');
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('expected a duration such as 1h30m, 90m or 1.5h');
  }
  return Math.round(seconds);
}

/**
 * A moment as people give it for a timer: `17:30` (the last such time, today or yesterday),
 * `-20m` (before now), or an ISO date-time.
 */
export function resolveMoment(value: string, now: Date): Date {
  const text = value.trim();
  const clock = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (clock) {
    const [hours, minutes] = [Number(clock[1]), Number(clock[2])];
    if (hours > 23 || minutes > 59) throw new InvalidArgumentError(`not a time of day: ${value}`);
    const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes);
    if (at.getTime() > now.getTime()) at.setDate(at.getDate() - 1);
    return at;
  }
  if (text.startsWith('-')) {
    const seconds = parseDuration(text.slice(1), 's');
    if (seconds === null || seconds === undefined || !(seconds > 0)) {
      throw new InvalidArgumentError(`expected a time such as 17:30, -20m or an ISO date-time`);
    }
    return new Date(now.getTime() - seconds * 1000);
  }
  const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError('expected a time such as 17:30, -20m or an ISO date-time');
  }
  return at;
}

/** A commander parser that checks the words now and resolves them by the command's clock later. */
export function momentArg(value: string): string {
  resolveMoment(value, new Date());
  return value;
}

/** `1:05` for 65 minutes: hours and minutes, as a shell prompt or a report shows them. */
export function hoursMinutes(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
