import { InvalidArgumentError } from 'commander';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const RELATIVE = /^([+-])(\d{1,4})([dw])$/;

/**
 * A day as people type it: `2026-12-01`, `today`, `tomorrow`, `yesterday`, a weekday (`friday`,
 * `fri`: the next one, today included), or an offset (`+3d`, `-2w`). The option parser checks the
 * words; {@link resolveDay} turns them into a date by the command's clock, in local time.
 */
export function dayArg(value: string): string {
  if (toDay(value, new Date()) === undefined) {
    throw new InvalidArgumentError(
      'expected YYYY-MM-DD, today, tomorrow, yesterday, a weekday (friday) or an offset (+3d, -1w)',
    );
  }
  return value;
}

/**
 * How a weekday reads: the next one, today included (a due date), or the one of this week,
 * Monday to Sunday (a report's period).
 */
export type Weekdays = 'next' | 'this-week';

export function resolveDay(value: string, now: Date, weekdays: Weekdays = 'next'): string {
  const day = toDay(value, now, weekdays);
  if (day === undefined) throw new InvalidArgumentError(`not a day: ${value}`);
  return day;
}

/** Monday and Sunday of the week `offset` weeks from now's (0 this week, -1 last week). */
export function weekOf(now: Date, offset = 0): { from: string; to: string } {
  const monday = now.getDate() - ((now.getDay() + 6) % 7) + offset * 7;
  const day = (n: number) => format(new Date(now.getFullYear(), now.getMonth(), n));
  return { from: day(monday), to: day(monday + 6) };
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** Monday and Sunday of an ISO week (`2026-W48`), or undefined when there is no such week. */
export function isoWeek(value: string): { from: string; to: string } | undefined {
  const match = ISO_WEEK.exec(value);
  if (!match) return undefined;
  const [year, week] = [Number(match[1]), Number(match[2])];
  // Week 1 is the one with the year's first Thursday, so the one holding 4 January.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() + 6) % 7) + (week - 1) * 7);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  if (week < 1 || week > (isLongYear(year) ? 53 : 52)) return undefined;
  return { from: day(monday), to: day(monday + 6 * 86_400_000) };
}

/** A year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on Wednesday. */
function isLongYear(year: number): boolean {
  const jan1 = new Date(Date.UTC(year, 0, 1)).getUTCDay();
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return jan1 === 4 || (leap && jan1 === 3);
}

function toDay(value: string, now: Date, weekdays: Weekdays = 'next'): string | undefined {
  const text = value.trim().toLowerCase();
  if (/^\d{4}-\d\d-\d\d$/.test(text)) {
    const parsed = new Date(`${text}T00:00:00Z`);
    return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text
      ? undefined
      : text;
  }
  const shift = (days: number) =>
    format(new Date(now.getFullYear(), now.getMonth(), now.getDate() + days));
  if (text === 'today') return shift(0);
  if (text === 'tomorrow') return shift(1);
  if (text === 'yesterday') return shift(-1);
  const weekday = WEEKDAYS.findIndex((d) => text.length >= 3 && d.startsWith(text));
  if (weekday >= 0) {
    if (weekdays === 'this-week') return shift(((weekday + 6) % 7) - ((now.getDay() + 6) % 7));
    return shift((weekday - now.getDay() + 7) % 7);
  }
  const offset = RELATIVE.exec(text);
  if (offset) {
    const n = Number(offset[2]) * (offset[3] === 'w' ? 7 : 1);
    return shift(offset[1] === '-' ? -n : n);
  }
  return undefined;
}

const format = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
