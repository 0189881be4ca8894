import { afterEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../services/clock';
import { loadConfig, type Config } from '../../services/config';
import { addStaffedTime, isStaffed, nextStaffedAt, slaClockOf, staffedHoursOf, staffedSlaClock, staffedTimeBetween, type StaffedHours } from '../../services/handoff/staffedHours';
import { OFFICE_WEEK } from '../../services/handoff/weekHours';

const slaClockOfConfig = (config: Config) => slaClockOf(config.slaClock, staffedHoursOf(config));
import { CALENDAR_SLA_CLOCK, slaTimers } from '../../services/tickets/sla';
import { ASHA, PRIYA, startTicketBench, type TicketBench } from './ticketBench';

const UTC: StaffedHours = { week: OFFICE_WEEK, timeZone: 'UTC' };
const policies = {
  urgent: { firstResponseMs: 15 * MINUTE, resolutionMs: 4 * HOUR },
  high: { firstResponseMs: HOUR, resolutionMs: 24 * HOUR },
  normal: { firstResponseMs: 4 * HOUR, resolutionMs: 72 * HOUR },
  low: { firstResponseMs: 24 * HOUR, resolutionMs: 120 * HOUR },
};
const iso = (date: Date) => date.toISOString();

describe('SLA due times on business hours count staffed time only', () => {
  it.each([
    ['a Sunday ticket: 1 staffed hour after Monday 08:00', UTC, '2026-03-08T14:00:00Z', '2026-03-09T09:00:00.000Z'],
    ['Friday 19:30: half an hour on Friday, half an hour on Monday', UTC, '2026-03-06T19:30:00Z', '2026-03-09T08:30:00.000Z'],
    ['a weeknight: from the next morning', UTC, '2026-03-03T21:00:00Z', '2026-03-04T09:00:00.000Z'],
    ['inside staffed hours: the same as the calendar', UTC, '2026-03-02T10:00:00Z', '2026-03-02T11:00:00.000Z'],
    ['a holiday is skipped like a weekend', { ...UTC, holidays: ['2026-12-25'] }, '2026-12-24T19:30:00Z', '2026-12-28T08:30:00.000Z'],
    // New York: Friday 19:30 EST; the clocks go forward on Sunday, so Monday 08:00 is EDT (12:00Z), not 13:00Z.
    ['in the team\'s time zone, across a DST change', { ...UTC, timeZone: 'America/New_York' }, '2026-03-07T00:30:00Z', '2026-03-09T12:30:00.000Z'],
    // Kolkata is UTC+05:30: the team opens at 02:30Z, not at the top of a UTC hour.
    ['in a half-hour time zone', { ...UTC, timeZone: 'Asia/Kolkata' }, '2026-03-08T12:00:00Z', '2026-03-09T03:30:00.000Z'],
  ])('%s', (_name, hours, openedAt, due) => {
    const timers = slaTimers('high', new Date(openedAt), policies, {}, staffedSlaClock(hours));
    expect(iso(timers.firstResponseDueAt)).toBe(due);
  });

  it('a resolution target of several staffed days runs over the weekend without counting it', () => {
    const timers = slaTimers('high', new Date('2026-03-08T14:00:00Z'), policies, {}, staffedSlaClock(UTC));
    // 24 staffed hours = Monday and Tuesday, 08:00-20:00.
    expect(iso(timers.resolutionDueAt)).toBe('2026-03-10T20:00:00.000Z');
  });

  it('staffed time between two instants leaves out nights and weekends', () => {
    expect(staffedTimeBetween(new Date('2026-03-06T18:00:00Z'), new Date('2026-03-09T10:00:00Z'), UTC)).toBe(4 * HOUR);
    expect(staffedTimeBetween(new Date('2026-03-07T09:00:00Z'), new Date('2026-03-08T18:00:00Z'), UTC)).toBe(0);
    expect(iso(addStaffedTime(new Date('2026-03-06T18:00:00Z'), 4 * HOUR, UTC))).toBe('2026-03-09T10:00:00.000Z');
  });

  it('the team is in from 08:00 in a half-hour time zone, and the next opening is found there', () => {
    const kolkata = { ...UTC, timeZone: 'Asia/Kolkata' };
    expect(iso(nextStaffedAt(new Date('2026-03-08T12:00:00Z'), kolkata))).toBe('2026-03-09T02:30:00.000Z');
    expect(isStaffed(new Date('2026-03-09T02:29:00Z'), kolkata)).toBe(false);
    expect(isStaffed(new Date('2026-03-09T02:30:00Z'), kolkata)).toBe(true);
  });

  it('SLA_CLOCK=calendar and SUPPORT_HOURS=24/7 keep every hour counting, day and night', () => {
    const sunday = new Date('2026-03-08T14:00:00Z');
    for (const env of [{ SLA_CLOCK: 'calendar' }, { SUPPORT_HOURS: '24/7' }]) {
      const clock = slaClockOfConfig(loadConfig(env));
      expect(iso(slaTimers('high', sunday, policies, {}, clock).firstResponseDueAt)).toBe('2026-03-08T15:00:00.000Z');
      expect(clock.runsAt(sunday)).toBe(true);
    }
    // The default counts staffed time.
    expect(iso(slaTimers('high', sunday, policies, {}, slaClockOfConfig(loadConfig({}))).firstResponseDueAt)).toBe('2026-03-09T09:00:00.000Z');
  });
});

describe('SLA settings', () => {
  it('SUPPORT_HOURS, SUPPORT_HOLIDAYS and SLA_CLOCK are read as documented', () => {
    const config = loadConfig({ SUPPORT_HOURS: '09:00-24:00', SUPPORT_HOLIDAYS: '2026-12-25, 2026-12-26', SLA_CLOCK: 'calendar', SUPPORT_TIME_ZONE: 'Europe/London' });
    expect(config.supportHours).toEqual({ week: [undefined, ...Array(5).fill({ startHour: 9, endHour: 24 }), undefined] });
    expect(config.supportHolidays).toEqual(['2026-12-25', '2026-12-26']);
    expect(config.slaClock).toBe('calendar');
    expect(loadConfig({ SUPPORT_HOURS: '24/7' }).supportHours).toMatchObject({ alwaysOpen: true });
    expect(loadConfig({}).slaClock).toBe('business_hours');
  });

  it.each([
    ['SUPPORT_HOURS', '08:00-08:00'],
    ['SUPPORT_HOURS', 'mon-fri 08:00-20:00; fri 10:00-12:00'],
    ['SUPPORT_HOURS', 'weekdays 08:00-20:00'],
    ['SUPPORT_HOURS', '08:00-25:00'],
    ['SUPPORT_HOLIDAYS', 'christmas'],
    ['SUPPORT_HOLIDAYS', '2026-02-30'],
    ['SUPPORT_HOURS', '08:30-17:00'],
    ['SLA_CLOCK', 'wall'],
    ['SUPPORT_TIME_ZONE', 'Mars/Olympus'],
  ])('%s=%s is refused, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}[\\s\\S]*${value.replace(/[/]/g, '\\/')}`));
  });
});

describe('the pause while waiting on the customer, on business hours', () => {
  let bench: TicketBench;
  afterEach(() => bench.db.close());

  it('moves the resolution due time on by the staffed time waited only, and keeps it through a priority change', async () => {
    bench = await startTicketBench({ slaClock: staffedSlaClock(UTC), start: '2026-03-06T18:00:00Z' });
    const ticket = await bench.open();
    expect(ticket.priority).toBe('normal');
    // 4 staffed hours: Friday 18:00-20:00 and Monday 08:00-10:00; 72 staffed hours end the Monday after.
    expect(iso(ticket.sla.firstResponseDueAt)).toBe('2026-03-09T10:00:00.000Z');
    expect(iso(ticket.sla.resolutionDueAt)).toBe('2026-03-16T18:00:00.000Z');

    bench.clock.set('2026-03-06T19:00:00Z');
    await bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA);
    await bench.tickets.changeStatus(ticket.ref, 'waiting_on_customer', ASHA);
    bench.clock.set('2026-03-09T09:00:00Z');
    await bench.tickets.addCustomerUpdate(ticket.ref, 'here is the photo', PRIYA);
    const answered = await bench.tickets.require(ticket.ref);
    // Friday 19:00-20:00 and Monday 08:00-09:00: two staffed hours, not the 62 on the calendar.
    expect(answered.sla.pausedMs).toBe(2 * HOUR);
    expect(iso(new Date(answered.sla.resolutionDueAt))).toBe('2026-03-16T20:00:00.000Z');
    expect(new Date(answered.sla.firstResponseDueAt)).toEqual(ticket.sla.firstResponseDueAt);

    const raised = await bench.tickets.setPriority(ticket.ref, 'high', ASHA, 'customer is travelling');
    // 24 staffed hours + the 2 waited, from Friday 18:00: Friday 2h, Monday 12h, Tuesday 12h.
    expect(iso(new Date(raised.sla.resolutionDueAt))).toBe('2026-03-10T20:00:00.000Z');
  });

  it('a wait that lies wholly outside staffed hours moves nothing', async () => {
    bench = await startTicketBench({ slaClock: staffedSlaClock(UTC), start: '2026-03-06T19:00:00Z' });
    const ticket = await bench.open();
    await bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA);
    bench.clock.set('2026-03-06T20:30:00Z');
    await bench.tickets.changeStatus(ticket.ref, 'waiting_on_customer', ASHA);
    bench.clock.set('2026-03-09T07:45:00Z');
    await bench.tickets.addCustomerUpdate(ticket.ref, 'still broken', PRIYA);
    const answered = await bench.tickets.require(ticket.ref);
    expect(answered.sla.pausedMs ?? 0).toBe(0);
    expect(new Date(answered.sla.resolutionDueAt)).toEqual(ticket.sla.resolutionDueAt);
  });

  it('without a business-hours clock the pause counts every hour, as before', async () => {
    bench = await startTicketBench({ slaClock: CALENDAR_SLA_CLOCK, start: '2026-03-06T19:00:00Z' });
    const ticket = await bench.open();
    await bench.tickets.changeStatus(ticket.ref, 'waiting_on_customer', ASHA);
    bench.clock.set('2026-03-09T07:00:00Z');
    await bench.tickets.addCustomerUpdate(ticket.ref, 'back', PRIYA);
    expect((await bench.tickets.require(ticket.ref)).sla.pausedMs).toBe(60 * HOUR);
  });
});
