/** Quiet hours in a time zone: no follow-ups (except resolutions) between start and end, local time. */
import { MINUTE } from '../clock';

export interface QuietHours {
  startHour: number;
  endHour: number;
}

// Building an Intl formatter costs far more than using one; the sweeper asks thousands of times per sweep.
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function clockFormat(timeZone: string): Intl.DateTimeFormat {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, format);
  }
  return format;
}

/** A zone Intl understands, else the fallback (a typo in stored data must not stop the sweeper). */
export function safeTimeZone(zone: string | undefined, fallback: string): string {
  for (const candidate of [zone, fallback]) {
    if (!candidate) continue;
    try {
      clockFormat(candidate);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return 'UTC';
}

function localTime(at: Date, timeZone: string): { hour: number; minute: number } {
  const parts = clockFormat(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { hour: get('hour'), minute: get('minute') };
}

export function isQuiet(at: Date, timeZone: string, quiet: QuietHours): boolean {
  const { startHour, endHour } = quiet;
  if (startHour === endHour) return false;
  const { hour } = localTime(at, timeZone);
  return startHour < endHour ? hour >= startHour && hour < endHour : hour >= startHour || hour < endHour;
}

/** The first moment at or after `at` outside quiet hours. */
export function quietEndsAt(at: Date, timeZone: string, quiet: QuietHours): Date {
  if (!isQuiet(at, timeZone, quiet)) return at;
  const { hour, minute } = localTime(at, timeZone);
  let candidate = new Date(at.getTime() + ((((quiet.endHour - hour + 24) % 24) * 60 - minute) * MINUTE));
  candidate.setUTCSeconds(0, 0);
  // A daylight-saving change overnight moves local time by an hour: correct to the local end hour.
  const landed = localTime(candidate, timeZone);
  let drift = quiet.endHour * 60 - (landed.hour * 60 + landed.minute);
  if (drift > 720) drift -= 1440;
  if (drift < -720) drift += 1440;
  candidate = new Date(candidate.getTime() + drift * MINUTE);
  for (let i = 0; i < 12 && isQuiet(candidate, timeZone, quiet); i++) candidate = new Date(candidate.getTime() + 15 * MINUTE);
  return candidate;
}
