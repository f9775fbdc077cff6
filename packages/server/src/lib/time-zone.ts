import { badRequest } from '../http/problem.js';

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Berlin`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `zone`, or a 400 naming where it came from. */
export function checkTimeZone(zone: string, path: string): string {
  if (!isTimeZone(zone)) {
    throw badRequest(`Unknown time zone ${zone}`, [
      { path, message: 'must be an IANA time zone such as Europe/Berlin' },
    ]);
  }
  return zone;
}
