import { describe, expect, it } from 'vitest';
import { streaks } from '../../../server/src/wellness-insights/streaks.js';

describe('habit streaks', () => {
  const days = ['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30'];

  it('keeps the current streak while today is still open, counts today once done, and breaks after a missed period', () => {
    expect(streaks(days, 'day', '2026-03-30')).toEqual({ current: 4, longest: 4 });
    expect(streaks(days, 'day', '2026-03-31')).toEqual({ current: 4, longest: 4 });
    expect(streaks(days, 'day', '2026-04-01')).toEqual({ current: 0, longest: 4 });
    expect(streaks([], 'day', '2026-04-01')).toEqual({ current: 0, longest: 0 });
  });

  it('counts the longest run apart from the current one, in weeks for weekly habits', () => {
    expect(streaks(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-10', '2026-03-11'], 'day', '2026-03-11')).toEqual({ current: 2, longest: 3 });
    // Mondays: 12, 19 and 26 October, then 9 November after a missed week.
    const weeks = ['2026-10-12', '2026-10-19', '2026-10-26', '2026-11-09'];
    expect(streaks(weeks, 'week', '2026-11-12')).toEqual({ current: 1, longest: 3 });
    expect(streaks(weeks, 'week', '2026-11-17')).toEqual({ current: 1, longest: 3 });
    expect(streaks(weeks, 'week', '2026-11-23')).toEqual({ current: 0, longest: 3 });
  });
});
