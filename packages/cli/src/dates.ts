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

export function resolveDay(value: string, now: Date): string {
  const day = toDay(value, now);
  if (day === undefined) throw new InvalidArgumentError(`not a day: ${value}`);
  return day;
}

function toDay(value: string, now: Date): string | undefined {
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
  if (weekday >= 0) return shift((weekday - now.getDay() + 7) % 7);
  const offset = RELATIVE.exec(text);
  if (offset) {
    const n = Number(offset[2]) * (offset[3] === 'w' ? 7 : 1);
    return shift(offset[1] === '-' ? -n : n);
  }
  return undefined;
}

const format = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
