import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../services/clock';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

const SUNDAY_AFTERNOON = '2026-03-08T14:00:00Z';

describe('SLA escalation on business hours', () => {
  let kit: Kit;
  afterEach(() => kit.close());

  it('a ticket opened on Sunday does not escalate overnight; its first response is at risk only near 09:00 on Monday', async () => {
    kit = await startKit({ SLA_POLICIES: 'normal=1h/8h' });
    kit.clock.set(SUNDAY_AFTERNOON);
    const { ref } = await customerAsksForAPerson(kit);
    const opened = await kit.app.tickets.require(ref);
    expect(new Date(opened.sla.firstResponseDueAt).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(new Date(opened.sla.resolutionDueAt).toISOString()).toBe('2026-03-09T16:00:00.000Z');

    for (const at of ['2026-03-08T15:30:00Z', '2026-03-08T23:30:00Z', '2026-03-09T03:00:00Z', '2026-03-09T08:00:00Z', '2026-03-09T08:44:00Z']) {
      kit.clock.set(at);
      expect(await kit.app.agents.escalations.sweep(), at).toEqual([]);
    }
    expect((await kit.app.tickets.require(ref)).tier ?? 'agent').toBe('agent');

    kit.clock.set('2026-03-09T08:46:00Z');
    expect(await kit.app.agents.escalations.sweep()).toEqual([ref]);
    expect((await kit.app.tickets.require(ref)).tier).toBe('supervisor');

    // Resolution: 8 staffed hours from Monday 08:00, at risk from 15:45.
    kit.clock.set('2026-03-09T15:40:00Z');
    expect(await kit.app.agents.escalations.sweep()).toEqual([]);
    kit.clock.set('2026-03-09T15:46:00Z');
    expect(await kit.app.agents.escalations.sweep()).toEqual([ref]);
    expect((await kit.app.tickets.require(ref)).tier).toBe('executive');
  });

  it('"at risk" counts staffed minutes: on Friday at 19:50 a timer due at 08:05 on Monday has 15 left and escalates', async () => {
    kit = await startKit({ SLA_POLICIES: 'normal=25m/8h' });
    kit.clock.set('2026-03-06T19:40:00Z');
    const { ref } = await customerAsksForAPerson(kit);
    expect(new Date((await kit.app.tickets.require(ref)).sla.firstResponseDueAt).toISOString()).toBe('2026-03-09T08:05:00.000Z');
    kit.clock.set('2026-03-06T19:49:00Z');
    expect(await kit.app.agents.escalations.sweep()).toEqual([]);
    kit.clock.set('2026-03-06T19:50:00Z');
    expect(await kit.app.agents.escalations.sweep()).toEqual([ref]);
  });

  it.each([
    ['SLA_CLOCK=calendar', { SLA_CLOCK: 'calendar' }],
    ['SUPPORT_HOURS=24/7', { SUPPORT_HOURS: '24/7' }],
  ])('with %s every hour counts, so a Sunday ticket escalates on Sunday as before', async (_name, env) => {
    kit = await startKit({ SLA_POLICIES: 'normal=1h/8h', ...env });
    kit.clock.set(SUNDAY_AFTERNOON);
    const { ref } = await customerAsksForAPerson(kit);
    expect(new Date((await kit.app.tickets.require(ref)).sla.firstResponseDueAt).toISOString()).toBe('2026-03-08T15:00:00.000Z');
    kit.clock.advance(46 * MINUTE);
    expect(await kit.app.agents.escalations.sweep()).toEqual([ref]);
  });
});
