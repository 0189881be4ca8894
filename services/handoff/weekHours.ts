/**
 * The team's week as SUPPORT_HOURS writes it: "08:00-20:00" (Monday to Friday), or per day,
 * "mon-fri 08:00-20:00; sat 10:00-16:00", with night shifts ("sun-thu 22:00-06:00": until 06:00 the next
 * morning). Whole hours in the team's time zone.
 */

/** One day's shift; an end at or before the start runs into the next morning. `endHour` 24 = midnight. */
export interface Shift {
  startHour: number;
  endHour: number;
}

/** Index = day of the week as Date.getUTCDay() counts it (0 = Sunday); undefined = nobody in. */
export type WeekHours = ReadonlyArray<Shift | undefined>;

/** Monday to Friday, 08:00 to 20:00: the default week. */
export const OFFICE_WEEK: WeekHours = [undefined, ...Array<Shift>(5).fill({ startHour: 8, endHour: 20 }), undefined];

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const WEEKDAYS = [1, 2, 3, 4, 5];

/** The week a SUPPORT_HOURS value describes, or why it cannot be read. */
export function parseWeekHours(raw: string): { week: WeekHours } | { error: string } {
  const week: Array<Shift | undefined> = Array(7).fill(undefined);
  for (const entry of raw.split(/[;,]/).map((part) => part.trim().toLowerCase())) {
    if (!entry) continue;
    const match = /^(?:([a-z]+)(?:\s*-\s*([a-z]+))?\s+)?(\d{1,2}):00\s*-\s*(\d{1,2}):00$/.exec(entry);
    if (!match) return { error: `"${entry}" is not like "mon-fri 08:00-20:00"` };
    const [, from, to, start, end] = match;
    const days = from ? dayRange(from, to ?? from) : WEEKDAYS;
    if (!days) return { error: `"${entry}" names a day that is not mon, tue, wed, thu, fri, sat or sun` };
    const shift = { startHour: Number(start), endHour: Number(end) === 0 ? 24 : Number(end) };
    if (shift.startHour > 23 || shift.endHour > 24 || shift.startHour === shift.endHour) return { error: `"${entry}" is not a shift (whole hours, start and end differ)` };
    for (const day of days) {
      if (week[day]) return { error: `${DAY_NAMES[day]} is given twice` };
      week[day] = shift;
    }
  }
  if (week.every((shift) => !shift)) return { error: 'no staffed day at all' };
  return { week };
}

/** Days from one name to another, wrapping past Sunday ("fri-mon"); undefined for an unknown name. */
function dayRange(from: string, to: string): number[] | undefined {
  const first = DAYS.findIndex((day) => from.startsWith(day));
  const last = DAYS.findIndex((day) => to.startsWith(day));
  if (first < 0 || last < 0) return undefined;
  const days = [first];
  for (let day = first; day !== last; ) days.push((day = (day + 1) % 7));
  return days;
}

const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** "mon-fri 08:00-20:00; sat 10:00-16:00": the setting's own syntax, Monday first. */
export function formatWeekHours(week: WeekHours): string {
  return groups(week)
    .map(({ first, last, shift }) => `${DAYS[first]}${last === first ? '' : `-${DAYS[last]}`} ${clock(shift.startHour)}-${clock(shift.endHour % 24)}`)
    .join('; ');
}

/** "Monday to Friday 08:00–20:00, Saturday 10:00–16:00", for people. */
export function describeWeekHours(week: WeekHours): string {
  return groups(week)
    .map(({ first, last, shift }) => `${DAY_NAMES[first]}${last === first ? '' : ` to ${DAY_NAMES[last]}`} ${clock(shift.startHour)}–${clock(shift.endHour % 24)}`)
    .join(', ');
}

/** Runs of consecutive days (Monday first) with the same shift. */
function groups(week: WeekHours): Array<{ first: number; last: number; shift: Shift }> {
  const runs: Array<{ first: number; last: number; shift: Shift }> = [];
  for (const day of [1, 2, 3, 4, 5, 6, 0]) {
    const shift = week[day];
    if (!shift) continue;
    const run = runs.at(-1);
    const follows = run && (run.last + 1) % 7 === day && run.shift.startHour === shift.startHour && run.shift.endHour === shift.endHour;
    if (follows) run.last = day;
    else runs.push({ first: day, last: day, shift });
  }
  return runs;
}
