import { describe, expect, it } from 'vitest';
import { dayArg, isoWeek, resolveDay, weekOf } from '../src/dates.js';

// Wednesday 2026-11-25, late in the evening local time.
const now = new Date(2026, 10, 25, 23, 30);

describe('days as people type them', () => {
  it('reads dates, words, weekdays and offsets by the given clock', () => {
    expect(resolveDay('2026-12-01', now)).toBe('2026-12-01');
    expect(resolveDay('today', now)).toBe('2026-11-25');
    expect(resolveDay('Tomorrow', now)).toBe('2026-11-26');
    expect(resolveDay('yesterday', now)).toBe('2026-11-24');
    expect(resolveDay('friday', now)).toBe('2026-11-27');
    expect(resolveDay('wed', now)).toBe('2026-11-25');
    expect(resolveDay('tue', now)).toBe('2026-12-01');
    expect(resolveDay('+3d', now)).toBe('2026-11-28');
    expect(resolveDay('-1w', now)).toBe('2026-11-18');
  });

  it("reads weekdays as this week's, Monday to Sunday, for a report's period", () => {
    expect(resolveDay('monday', now, 'this-week')).toBe('2026-11-23');
    expect(resolveDay('wed', now, 'this-week')).toBe('2026-11-25');
    expect(resolveDay('sunday', now, 'this-week')).toBe('2026-11-29');
    expect(resolveDay('-1w', now, 'this-week')).toBe('2026-11-18');
    const sunday = new Date(2026, 10, 29, 8);
    expect(resolveDay('monday', sunday, 'this-week')).toBe('2026-11-23');
    expect(weekOf(sunday)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(weekOf(now, -1)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
    // Across a month and a year.
    expect(weekOf(new Date(2027, 0, 1))).toEqual({ from: '2026-12-28', to: '2027-01-03' });
  });

  it('reads ISO weeks, week 1 holding 4 January', () => {
    expect(isoWeek('2026-W48')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(isoWeek('2026-W01')).toEqual({ from: '2025-12-29', to: '2026-01-04' });
    expect(isoWeek('2026-W53')).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(isoWeek('2027-W53')).toBeUndefined();
    expect(isoWeek('2020-W53')).toEqual({ from: '2020-12-28', to: '2021-01-03' });
    expect(isoWeek('2026-W00')).toBeUndefined();
    expect(isoWeek('2026-48')).toBeUndefined();
  });

  it('refuses what is not a day', () => {
    for (const bad of ['2026-02-30', 'someday', 'fr', '+3m', '']) {
      expect(() => dayArg(bad), bad).toThrow(/expected YYYY-MM-DD/);
    }
  });
});
