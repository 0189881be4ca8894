import { describe, expect, it } from 'vitest';
import { MINUTE } from '../../services/clock';
import { promisedWait, type StaffedHours } from '../../services/handoff/staffedHours';
import { OFFICE_WEEK } from '../../services/handoff/weekHours';

const UTC: StaffedHours = { week: OFFICE_WEEK, timeZone: 'UTC' };

describe('the wait a customer is promised', () => {
  it.each([
    ['Sunday 23:30 → when the team is back on Monday', '2026-03-08T23:30:00Z', 'when the team is back on Monday at 08:00 (UTC)'],
    ['Friday 19:50, the wait runs past closing → Monday', '2026-03-06T19:50:00Z', 'when the team is back on Monday at 08:00 (UTC)'],
    ['Tuesday 06:30 → the same morning', '2026-03-03T06:30:00Z', 'when the team is back today at 08:00 (UTC)'],
    ['a holiday → the next working day', '2026-12-25T10:00:00Z', 'when the team is back on Monday at 08:00 (UTC)'],
    ['Monday 10:00 → a rough number of minutes', '2026-03-02T10:00:00Z', 'within about 20 minutes'],
  ])('%s', (_name, at, told) => {
    expect(promisedWait(new Date(at), 20 * MINUTE, { ...UTC, holidays: ['2026-12-25'] })).toBe(told);
  });

  it('a team staffed around the clock always gives the rough wait', () => {
    expect(promisedWait(new Date('2026-03-08T23:30:00Z'), 20 * MINUTE, { ...UTC, alwaysOpen: true })).toBe('within about 20 minutes');
  });
});
