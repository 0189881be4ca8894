import { describe, expect, it } from 'vitest';
import { describeNextStaffed, nextStaffedAt } from '../../services/handoff/staffedHours';
import { OFFICE_WEEK } from '../../services/handoff/weekHours';
import { customerAsksForAPerson, startKit } from './handoffTestKit';

const hours = { week: OFFICE_WEEK, timeZone: 'Europe/London' };

describe('when the team is next in', () => {
  it.each([
    ['Saturday afternoon → Monday 08:00', '2026-03-07T15:30:00Z', '2026-03-09T08:00:00.000Z', 'on Monday at 08:00 (Europe/London)'],
    ['Tuesday 06:10 → the same morning', '2026-03-03T06:10:00Z', '2026-03-03T08:00:00.000Z', 'today at 08:00 (Europe/London)'],
    ['Friday 21:00 → Monday', '2026-03-06T21:00:00Z', '2026-03-09T08:00:00.000Z', 'on Monday at 08:00 (Europe/London)'],
    ['during staffed hours → now', '2026-03-04T12:00:00Z', '2026-03-04T12:00:00.000Z', 'today at 12:00 (Europe/London)'],
  ])('%s', (_name, at, next, told) => {
    expect(nextStaffedAt(new Date(at), hours).toISOString()).toBe(next);
    expect(describeNextStaffed(new Date(at), hours)).toBe(told);
  });
});

describe('a customer asking for a person outside staffed hours', () => {
  it('is told when the team is back, and still waits in the queue', async () => {
    const kit = await startKit();
    try {
      kit.clock.set('2026-03-07T15:30:00Z');
      const { ref, reply } = await customerAsksForAPerson(kit);
      expect(reply).toContain("Our team is away right now; they're back on Monday at 08:00 (UTC)");
      expect((await kit.app.agents.queue.list()).waiting.map((item) => item.ref)).toEqual([ref]);
    } finally {
      await kit.close();
    }
  });
});
