/** Staffed hours (Monday to Friday, in the team's time zone): when a person can answer. */
export interface StaffedHours {
  startHour: number;
  endHour: number;
  timeZone: string;
}

function localParts(at: Date, timeZone: string): { weekday: string; hour: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  return {
    weekday: parts.find((part) => part.type === 'weekday')?.value ?? 'Mon',
    hour: Number(parts.find((part) => part.type === 'hour')?.value ?? 0),
  };
}

export function isStaffed(at: Date, hours: StaffedHours): boolean {
  const { weekday, hour } = localParts(at, hours.timeZone);
  if (weekday === 'Sat' || weekday === 'Sun') return false;
  return hour >= hours.startHour && hour < hours.endHour;
}

/** "Monday to Friday, 08:00–20:00 (UTC)" */
export function describeStaffedHours(hours: StaffedHours): string {
  const pad = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
  return `Monday to Friday, ${pad(hours.startHour)}–${pad(hours.endHour)} (${hours.timeZone})`;
}

/** The next moment the team is in (the top of the first staffed hour after `at`); `at` itself when staffed. */
export function nextStaffedAt(at: Date, hours: StaffedHours): Date {
  if (isStaffed(at, hours)) return at;
  const probe = new Date(at);
  probe.setUTCMinutes(0, 0, 0);
  for (let step = 0; step < 24 * 8; step++) {
    probe.setUTCHours(probe.getUTCHours() + 1);
    if (isStaffed(probe, hours)) return probe;
  }
  return probe;
}

/** "on Monday at 08:00 (Europe/London)", as the customer is told when the team is away. */
export function describeNextStaffed(at: Date, hours: StaffedHours): string {
  const next = nextStaffedAt(at, hours);
  const format = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, ...options }).format(next);
  const sameDay = format({ year: 'numeric', month: '2-digit', day: '2-digit' }) === new Intl.DateTimeFormat('en-GB', { timeZone: hours.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const time = format({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${sameDay ? 'today' : `on ${format({ weekday: 'long' })}`} at ${time} (${hours.timeZone})`;
}
