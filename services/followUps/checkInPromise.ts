/**
 * When the next check-in is promised. Under SLA_CLOCK=business_hours the SLA counts staffed time only, so a
 * promise may not fall due while nobody is in: one that lands at night, on a weekend or a holiday moves to
 * when the team is back (an empty "no news yet" on a Sunday helps nobody). The cadence itself stays calendar.
 */
import { HOUR } from '../clock';
import { nextStaffedAt, type StaffedHours } from '../handoff/staffedHours';

export function checkInPromise(from: Date, checkInHours: number, staffed?: StaffedHours): Date {
  const due = new Date(from.getTime() + checkInHours * HOUR);
  return staffed ? nextStaffedAt(due, staffed) : due;
}
