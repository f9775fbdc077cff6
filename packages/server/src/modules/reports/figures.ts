import type { Rounding } from './request.js';

/** A duration rounded to `minutes` the way asked; unchanged when not rounding. */
export function roundSeconds(seconds: number, rounding: Rounding, minutes: number): number {
  if (rounding === 'none' || minutes <= 0) return seconds;
  const unit = minutes * 60;
  const units = seconds / unit;
  const whole =
    rounding === 'up'
      ? Math.ceil(units)
      : rounding === 'down'
        ? Math.floor(units)
        : Math.round(units);
  return whole * unit;
}

const pad2 = (n: number | bigint) => String(n).padStart(2, '0');

/** `1:30`: hours and minutes, to the nearest minute. */
export function hoursMinutes(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}:${pad2(minutes % 60)}`;
}

/** `1.50`: decimal hours, two places. */
export function decimalHours(seconds: number): string {
  const hundredths = Math.round(seconds / 36);
  return `${Math.floor(hundredths / 100)}.${pad2(hundredths % 100)}`;
}

/** Cents of a decimal string such as `135.5` or `90.00`; money is counted in whole cents. */
export function toCents(amount: string): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  return BigInt(whole) * 100n + BigInt(`${fraction}00`.slice(0, 2));
}

export const formatCents = (cents: bigint): string => `${cents / 100n}.${pad2(cents % 100n)}`;

/** What `seconds` of work cost at an hourly `rate` (a decimal string), half a cent rounded up. */
export function amountAt(seconds: number, rate: string): bigint {
  return (BigInt(seconds) * toCents(rate) * 2n + 3600n) / 7200n;
}
