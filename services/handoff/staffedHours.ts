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
