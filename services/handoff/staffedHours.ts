/**
 * Staffed hours (the team's week in its time zone, minus holidays): when a person can answer.
 * Also the business-hours calendar SLA timers count on, so a promise made at night runs from the morning.
 */
import { describeWait } from '../../dialogs/messages';
import type { Config } from '../config';
import { CALENDAR_SLA_CLOCK, type SlaClock } from '../tickets/sla';
import type { WeekHours } from './weekHours';

export interface StaffedHours {
  /** Each day's shift (weekHours.ts); a night shift runs into the next morning. */
  week: WeekHours;
  timeZone: string;
  /** Local dates (YYYY-MM-DD) whose shift does not happen. */
  holidays?: readonly string[];
  /** Staffed around the clock, every day (SUPPORT_HOURS=24/7). */
  alwaysOpen?: boolean;
}

/** The staffed hours the settings describe (SUPPORT_HOURS, SUPPORT_TIME_ZONE, SUPPORT_HOLIDAYS). */
export function staffedHoursOf(config: Pick<Config, 'supportHours' | 'supportTimeZone' | 'supportHolidays'>): StaffedHours {
  return { ...config.supportHours, timeZone: config.supportTimeZone, holidays: config.supportHolidays };
}

/** The clock SLA timers run on: staffed time (SLA_CLOCK=business_hours) or every hour (calendar). */
export function slaClockOf(slaClock: Config['slaClock'], hours: StaffedHours): SlaClock {
  return slaClock === 'calendar' ? CALENDAR_SLA_CLOCK : staffedSlaClock(hours);
}

export function staffedSlaClock(hours: StaffedHours): SlaClock {
  if (hours.alwaysOpen) return CALENDAR_SLA_CLOCK;
  return {
    addCounted: (from, ms) => addStaffedTime(from, ms, hours),
    countedBetween: (from, to) => staffedTimeBetween(from, to, hours),
    runsAt: (at) => isStaffed(at, hours),
  };
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsIn(at: Date, timeZone: string): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/** UTC offset of the zone at `at`, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const p = partsIn(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant a local wall-clock hour happens in the zone (offset taken at that instant, so DST days are right). */
function localInstant(day: LocalDay, hour: number, timeZone: string): number {
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour);
  const guess = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(guess, timeZone);
}

/**
 * Every zone's offset is a whole number of quarter hours, so local midnight falls on a quarter hour of UTC and the
 * local day is the same all through one: SLA and wait sums ask for the day of "now" many times a turn, and
 * time-zone formatting is slow.
 */
const QUARTER_HOUR = 15 * 60_000;
const localDays = new Map<string, LocalDay>();

function localDayOf(at: Date, timeZone: string): LocalDay {
  return remembered(localDays, `${timeZone}|${Math.floor(at.getTime() / QUARTER_HOUR)}`, () => {
    const { year, month, day } = partsIn(at, timeZone);
    return { year, month, day };
  });
}

/** The local day `days` after (or, negative, before) this one. */
function dayAfter(day: LocalDay, days = 1): LocalDay {
  const moved = new Date(Date.UTC(day.year, day.month - 1, day.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

const isoDate = (day: LocalDay) => `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;

/** Each day's window, per calendar: SLA timers walk the same few days for every ticket, and time-zone formatting is slow. */
const windowsByCalendar = new WeakMap<StaffedHours, Map<string, [number, number] | undefined>>();
const REMEMBERED_DAYS = 1000;

/** The staffed window of one local day, if the team works that day. */
function windowOf(day: LocalDay, hours: StaffedHours): [number, number] | undefined {
  let known = windowsByCalendar.get(hours);
  if (!known) windowsByCalendar.set(hours, (known = new Map()));
  return remembered(known, isoDate(day), () => computeWindowOf(day, hours));
}

/** `compute()`, kept under `key`; a full memo starts over (the days in use are few and come back at once). */
function remembered<V>(memo: Map<string, V>, key: string, compute: () => V): V {
  if (memo.has(key)) return memo.get(key) as V;
  if (memo.size >= REMEMBERED_DAYS) memo.clear();
  const value = compute();
  memo.set(key, value);
  return value;
}

function computeWindowOf(day: LocalDay, hours: StaffedHours): [number, number] | undefined {
  const shift = hours.week[new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay()];
  if (!shift || hours.holidays?.includes(isoDate(day))) return undefined;
  const endDay = shift.endHour > shift.startHour ? day : dayAfter(day);
  return [localInstant(day, shift.startHour, hours.timeZone), localInstant(endDay, shift.endHour, hours.timeZone)];
}

// Every working day is found within this many days, or the calendar has no staffed time at all.
const SEARCH_DAYS = 3660;

/**
 * Staffed windows [start, end) that end after `from`, in order and never overlapping (a night shift that
 * runs into the next day's shift is counted once). Starts a day early: last night's shift may still be on.
 */
function* windowsFrom(from: Date, hours: StaffedHours): Generator<[number, number]> {
  let day = dayAfter(localDayOf(from, hours.timeZone), -1);
  let idle = 0;
  let lastEnd = -Infinity;
  while (idle < SEARCH_DAYS) {
    const window = windowOf(day, hours);
    day = dayAfter(day);
    if (!window || window[1] <= Math.max(from.getTime(), lastEnd)) {
      idle++;
      continue;
    }
    idle = 0;
    const start = Math.max(window[0], lastEnd);
    lastEnd = window[1];
    yield [start, window[1]];
  }
  throw new Error(`SUPPORT_HOURS leave no staffed time within ${SEARCH_DAYS} days of ${from.toISOString()}`);
}

export function isStaffed(at: Date, hours: StaffedHours): boolean {
  if (hours.alwaysOpen) return true;
  const today = localDayOf(at, hours.timeZone);
  // Today's shift, or last night's still running.
  return [today, dayAfter(today, -1)].some((day) => {
    const window = windowOf(day, hours);
    return Boolean(window && window[0] <= at.getTime() && at.getTime() < window[1]);
  });
}

/** The next moment the team is in (the start of the next staffed window); `at` itself when staffed. */
export function nextStaffedAt(at: Date, hours: StaffedHours): Date {
  if (isStaffed(at, hours)) return at;
  for (const [start] of windowsFrom(at, hours)) return new Date(Math.max(start, at.getTime()));
  return at;
}

/** The instant `ms` of staffed time after `from`: SLA due times that only run while the team is in. */
export function addStaffedTime(from: Date, ms: number, hours: StaffedHours): Date {
  if (hours.alwaysOpen || ms <= 0) return new Date(from.getTime() + Math.max(0, ms));
  let left = ms;
  for (const [start, end] of windowsFrom(from, hours)) {
    const begin = Math.max(start, from.getTime());
    if (left <= end - begin) return new Date(begin + left);
    left -= end - begin;
  }
  return from;
}

/** Staffed time between two instants (0 when `to` is not after `from`). */
export function staffedTimeBetween(from: Date, to: Date, hours: StaffedHours): number {
  if (to <= from) return 0;
  if (hours.alwaysOpen) return to.getTime() - from.getTime();
  let total = 0;
  for (const [start, end] of windowsFrom(from, hours)) {
    if (start >= to.getTime()) break;
    total += Math.min(end, to.getTime()) - Math.max(start, from.getTime());
  }
  return total;
}

/** "today at 08:00 (Europe/London)" or "on Monday at 08:00 (Europe/London)", seen from `now`. */
const MOMENT_PARTS = { date: { year: 'numeric', month: '2-digit', day: '2-digit' }, time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }, weekday: { weekday: 'long' } } as const;
/** Building an Intl.DateTimeFormat costs far more than using one: one per zone and part, kept. */
const momentFormatters = new Map<string, Intl.DateTimeFormat>();
function formatMoment(at: Date, timeZone: string, part: keyof typeof MOMENT_PARTS): string {
  const key = `${timeZone}|${part}`;
  let format = momentFormatters.get(key);
  if (!format) momentFormatters.set(key, (format = new Intl.DateTimeFormat('en-GB', { timeZone, ...MOMENT_PARTS[part] })));
  return format.format(at);
}

function describeMoment(moment: Date, now: Date, timeZone: string): string {
  const sameDay = formatMoment(moment, timeZone, 'date') === formatMoment(now, timeZone, 'date');
  return `${sameDay ? 'today' : `on ${formatMoment(moment, timeZone, 'weekday')}`} at ${formatMoment(moment, timeZone, 'time')} (${timeZone})`;
}

/** "on Monday at 08:00 (Europe/London)", as the customer is told when the team is away. */
export function describeNextStaffed(at: Date, hours: StaffedHours): string {
  return describeMoment(nextStaffedAt(at, hours), at, hours.timeZone);
}

/**
 * The wait a customer is promised, from `now`: "within about 20 minutes" when the team is in and the
 * wait ends before they leave; else "when the team is back on Monday at 08:00 (UTC)", never a rough
 * number of minutes that would run through a night or a weekend.
 */
export function promisedWait(now: Date, waitMs: number, hours: StaffedHours): string {
  if (hours.alwaysOpen) return describeWait(waitMs);
  const ready = addStaffedTime(now, waitMs, hours);
  if (isStaffed(now, hours) && ready.getTime() - now.getTime() === Math.max(0, waitMs)) return describeWait(waitMs);
  // The window the wait ends in opens when the team is back.
  for (const [start, end] of windowsFrom(now, hours)) {
    if (ready.getTime() <= end) return `when the team is back ${describeMoment(new Date(Math.max(start, now.getTime())), now, hours.timeZone)}`;
  }
  return `when the team is back ${describeNextStaffed(now, hours)}`;
}

/** promisedWait for a due time already set (an SLA timer): the staffed time until it is the wait. */
export function promisedBy(now: Date, due: Date, hours: StaffedHours): string {
  const waitMs = hours.alwaysOpen ? due.getTime() - now.getTime() : staffedTimeBetween(now, due, hours);
  return promisedWait(now, Math.max(0, waitMs), hours);
}
