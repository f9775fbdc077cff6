import { describe, expect, it } from 'vitest';
import { dayArg, resolveDay } from '../src/dates.js';

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

  it('refuses what is not a day', () => {
    for (const bad of ['2026-02-30', 'someday', 'fr', '+3m', '']) {
      expect(() => dayArg(bad), bad).toThrow(/expected YYYY-MM-DD/);
    }
  });
});
