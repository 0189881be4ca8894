/**
 * A supervisor resolves a ticket an external agent hub holds: the resolved notice waits while the hub holds the
 * chat, and the hub handoff ending (handoff.hub_ended) makes it due at once, not at the planner's later recheck.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../services/clock';
import { followUpWriteHook } from '../../services/followUps/writeHook';
import { signedIn } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

describe('the follow-up notice after a hub-held ticket ends', () => {
  let kit: Kit;
  beforeEach(async () => {
    // No background sweeper: the test says when the follow-ups look.
    kit = await startKit({ HANDOFF_MODE: 'external', FOLLOW_UP_SWEEP_MS: '0' });
  });
  afterEach(() => kit.close());

  it('when the follow-ups looked while the hub still held the resolved ticket, the hub handoff ending makes the resolved notice due without waiting for the recheck', async () => {
    const { ref, customer } = await customerAsksForAPerson(kit);
    await kit.channel.post(customer.activity({ type: 'event', name: 'handoff.status', value: { state: 'accepted' } }));
    expect((await kit.app.tickets.require(ref)).heldBy).toBeTruthy();
    const heard = customer.transcript().length;

    // The ending runs after the status write: hold it back, so a sweep lands in between (a race in production).
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const records = kit.app.agents.queue.records;
    const write = records.findOneAndUpdate.bind(records);
    records.findOneAndUpdate = (async (filter: Record<string, unknown>, ...rest: unknown[]) => {
      if (filter.state === 'external') await gate;
      return (write as (...args: unknown[]) => unknown)(filter, ...rest);
    }) as typeof records.findOneAndUpdate;

    const sam = await signedIn(kit.app, 'supervisor', 'Sam Lee');
    expect((await sam.request('POST', `/api/agent/tickets/${ref}/status`, { status: 'resolved' })).status).toBe(200);
    kit.clock.advance(2 * MINUTE);
    await kit.app.followUps.sweepOnce();
    // The hub still holds the chat: the notice waits.
    expect(customer.transcript().slice(heard)).toEqual([]);

    release();
    await expect.poll(async () => (await kit.app.tickets.require(ref)).heldBy ?? null).toBeNull();
    expect((await kit.app.tickets.audit.list(ref)).map((event) => event.action)).toContain('handoff.hub_ended');
    // Well within the planner's 15-minute recheck of a held ticket.
    kit.clock.advance(2 * MINUTE);
    await kit.app.followUps.sweepOnce();
    await kit.channel.waitFor(() => customer.transcript().length > heard);
    const told = customer.transcript().slice(heard);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/is resolved/);
    expect(told[0]).toContain(ref);
  });
});

describe('which handoff endings wake the follow-ups', () => {
  const hook = followUpWriteHook({ low: 24, normal: 24, high: 24, urgent: 24 }, undefined, 90_000);
  const at = new Date('2026-03-02T10:00:00Z');
  const wake = (action: string) => hook({ before: { ref: 'CS-AAAAAA' } as never, patch: {}, action, at } as never);

  it.each(['handoff.handed_back', 'handoff.idle_returned', 'handoff.released_for_tier', 'handoff.ended_with_ticket', 'handoff.hub_ended', 'handoff.hub_completed', 'handoff.hub_failed'])(
    'a hold ending by %s makes the ticket due',
    (action) => {
      expect(wake(action)).toHaveProperty(['followUp.nextAt']);
    },
  );

  it('a hub handoff ended by the ticket ending settles with the status change, so a note typed right after joins the notice', () => {
    expect(wake('handoff.hub_ended')).toEqual({ 'followUp.nextAt': new Date(at.getTime() + 90_000) });
  });

  it('events that do not end a hold leave the schedule alone', () => {
    expect(wake('handoff.hub_status')).toBeUndefined();
    expect(wake('handoff.agent_replied')).toBeUndefined();
  });
});
