import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../services/clock';
import { loadConfig } from '../../services/config';
import { isStaffed, promisedWait, slaClockOf, staffedHoursOf, staffedTimeBetween, type StaffedHours } from '../../services/handoff/staffedHours';
import { describeWeekHours, formatWeekHours, parseWeekHours, type WeekHours } from '../../services/handoff/weekHours';
import { DEFAULT_SLA_POLICIES, slaTimers } from '../../services/tickets/sla';

const weekOf = (raw: string): WeekHours => {
  const parsed = parseWeekHours(raw);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.week;
};
const at = (iso: string) => new Date(iso);

describe('SUPPORT_HOURS per day of the week', () => {
  it.each([
    ['08:00-20:00', 'mon-fri 08:00-20:00', 'Monday to Friday 08:00–20:00'],
    ['Mon-Fri 08:00-20:00; Sat 10:00-16:00', 'mon-fri 08:00-20:00; sat 10:00-16:00', 'Monday to Friday 08:00–20:00, Saturday 10:00–16:00'],
    ['monday 09:00-17:00, wednesday-friday 09:00-17:00', 'mon 09:00-17:00; wed-fri 09:00-17:00', 'Monday 09:00–17:00, Wednesday to Friday 09:00–17:00'],
    ['fri-mon 09:00-17:00', 'mon 09:00-17:00; fri-sun 09:00-17:00', 'Monday 09:00–17:00, Friday to Sunday 09:00–17:00'],
    ['sun-thu 22:00-06:00', 'mon-thu 22:00-06:00; sun 22:00-06:00', 'Monday to Thursday 22:00–06:00, Sunday 22:00–06:00'],
    ['sat 12:00-00:00', 'sat 12:00-00:00', 'Saturday 12:00–00:00'],
  ])('"%s" reads as "%s" (%s)', (raw, formatted, described) => {
    const week = weekOf(raw);
    expect(formatWeekHours(week)).toBe(formatted);
    expect(describeWeekHours(week)).toBe(described);
    expect(formatWeekHours(weekOf(formatted))).toBe(formatted);
  });

  it.each([
    ['mon-fri 08:00-20:00; fri 10:00-12:00', /Friday is given twice/],
    ['weekdays 08:00-20:00', /names a day/],
    ['mon 08:00-08:00', /not a shift/],
    ['mon 08:30-17:00', /not like/],
    ['', /no staffed day/],
  ])('"%s" is refused', (raw, why) => {
    expect(parseWeekHours(raw)).toEqual({ error: expect.stringMatching(why) });
  });

  it('a Saturday shift is staffed time: SLA timers run on Saturday and the customer is told Saturday', () => {
    const config = loadConfig({ SUPPORT_HOURS: 'mon-fri 08:00-20:00; sat 10:00-16:00', SUPPORT_TIME_ZONE: 'UTC' });
    const hours = staffedHoursOf(config);
    const policies = { ...DEFAULT_SLA_POLICIES, high: { firstResponseMs: HOUR, resolutionMs: 24 * HOUR } };
    // Saturday 15:30: half an hour today, the other half from Monday 08:00.
    expect(slaTimers('high', at('2026-03-07T15:30:00Z'), policies, {}, slaClockOf('business_hours', hours)).firstResponseDueAt.toISOString()).toBe('2026-03-09T08:30:00.000Z');
    expect(promisedWait(at('2026-03-06T21:00:00Z'), 20 * MINUTE, hours)).toBe('when the team is back on Saturday at 10:00 (UTC)');
    expect(promisedWait(at('2026-03-07T16:30:00Z'), 20 * MINUTE, hours)).toBe('when the team is back on Monday at 08:00 (UTC)');
  });

  it('a night shift runs into the next morning, and is staffed until it ends', () => {
    const hours: StaffedHours = { week: weekOf('sun-thu 22:00-06:00'), timeZone: 'UTC' };
    expect(isStaffed(at('2026-03-03T03:00:00Z'), hours)).toBe(true); // Tuesday 03:00: Monday night's shift
    expect(isStaffed(at('2026-03-06T03:00:00Z'), hours)).toBe(true); // Friday 03:00: Thursday night's shift
    expect(isStaffed(at('2026-03-07T03:00:00Z'), hours)).toBe(false); // Saturday 03:00: no Friday night shift
    expect(isStaffed(at('2026-03-06T12:00:00Z'), hours)).toBe(false);
    expect(isStaffed(at('2026-03-08T23:00:00Z'), hours)).toBe(true); // Sunday 23:00
    // Monday 00:00 to the next Monday 00:00: the end of Sunday night's shift (6 h), four full nights (8 h each), the start of the next Sunday night's (2 h).
    expect(staffedTimeBetween(at('2026-03-02T00:00:00Z'), at('2026-03-09T00:00:00Z'), hours)).toBe(6 * HOUR + 4 * 8 * HOUR + 2 * HOUR);
  });

  it('a night shift that runs into the next shift counts the overlap once', () => {
    const hours: StaffedHours = { week: weekOf('mon 20:00-08:00; tue 06:00-14:00'), timeZone: 'UTC' };
    expect(staffedTimeBetween(at('2026-03-02T00:00:00Z'), at('2026-03-04T00:00:00Z'), hours)).toBe(18 * HOUR);
  });

  it('a night shift across the change to summer time lasts the hours the clock shows', () => {
    // Europe/London springs forward on Sunday 29 March 2026 at 01:00 GMT: 22:00 GMT to 06:00 BST is 7 hours.
    const hours: StaffedHours = { week: weekOf('sat 22:00-06:00'), timeZone: 'Europe/London' };
    expect(staffedTimeBetween(at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'), hours)).toBe(7 * HOUR);
  });
});
