/**
 * The customer closes their own ticket over real HTTP (fake channel → /api/messages, real store, the
 * follow-up sweeper on a manual clock, the agent API): confirm, resolve with the reason, no follow-up after,
 * out of the queue, untouched while an agent holds the chat, and reopened when it turns out broken after all.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../services/clock';
import type { OutboxRow } from '../../services/followUps/types';
import type { LiveEvent } from '../../services/handoff/liveEvents';
import { signedIn } from '../agents/agentClient';
import { followUpOf, startFollowUpApp } from '../followUps/support';
import { FakeChannel, type FakeUser } from '../support/fakeChannel';

const REF = /\*\*(CS-[A-Z0-9]{6})\*\*/;
const CONFIRM = /Glad it's sorted! Shall I close \*\*(CS-[A-Z0-9]{6})\*\*\? \(yes\/no\)/;

describe('a customer withdraws their ticket in the chat', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const { app, clock } = await startFollowUpApp({ CSAT_REOPEN_DAYS: '7' });
    const channel = await new FakeChannel().start(`${app.url}/api/messages`);
    cleanups.push(() => app.close(), () => channel.stop());
    return { app, clock, channel, priya: channel.user('user-priya', 'Priya Raman') };
  }

  /** Reports a problem in the chat and returns the ticket reference the bot gave. */
  async function report(priya: FakeUser): Promise<string> {
    await priya.says('My order AB-2024117 never arrived');
    await priya.says('here only');
    const done = (await priya.says('yes')).join('\n');
    return REF.exec(done)![1];
  }

  it('report → ticket → "never mind, it arrived" → confirm → yes: resolved with the reason, no follow-up later, and the console shows it', async () => {
    const { app, clock, priya } = await setup();
    const ref = await report(priya);

    const asked = (await priya.says('Never mind, it arrived after all 🙈')).join('\n');
    expect(CONFIRM.exec(asked)?.[1]).toBe(ref);
    expect((await app.tickets.get(ref))?.status).toBe('open');
    expect((await priya.says('yes')).join('\n')).toMatch(new RegExp(`closed \\*\\*${ref}\\*\\* as sorted[\\s\\S]*within 7 days`));

    const ticket = await app.tickets.get(ref);
    expect(ticket?.status).toBe('resolved');
    const resolved = (await app.tickets.audit.list(ref)).filter((event) => event.action === 'ticket.status_changed');
    expect(resolved).toEqual([expect.objectContaining({ actor: expect.objectContaining({ kind: 'customer', id: priya.userId }), after: { status: 'resolved' } })]);
    expect(resolved[0].note).toMatch(/^withdrawn by the customer/);

    // Neither the resolution notice nor a satisfaction question, nor any check-in, however long we wait.
    const before = priya.transcript().length;
    await app.followUps.sweepOnce();
    clock.advance(2 * DAY);
    await app.followUps.sweepOnce();
    clock.advance(10 * DAY);
    await app.followUps.sweepOnce();
    expect(priya.transcript().slice(before)).toEqual([]);
    expect(await app.db.collection<OutboxRow>('followUpOutbox').find({ ticketRef: ref })).toEqual([]);
    expect((await followUpOf(app, ref))?.csat).toBeUndefined();

    const asha = await signedIn(app, 'agent', 'Asha Patel');
    const view = await asha.json<{ ticket: { status: string }; audit: Array<{ action: string; note?: string; actor: { kind: string } }> }>('GET', `/api/agent/tickets/${ref}`);
    expect(view.ticket.status).toBe('resolved');
    expect(view.audit).toContainEqual(expect.objectContaining({ action: 'ticket.status_changed', actor: expect.objectContaining({ kind: 'customer' }), note: expect.stringMatching(/withdrawn by the customer/) }));
  });

  it('when the customer answers "no", the ticket stays open and the check-in still comes', async () => {
    const { app, clock, priya } = await setup();
    const ref = await report(priya);
    expect((await priya.says('you can close my ticket')).join('\n')).toMatch(CONFIRM);
    expect((await priya.says('no')).join('\n')).toContain(`**${ref}** stays open`);
    expect((await app.tickets.get(ref))?.status).toBe('open');
    clock.advance(25 * HOUR);
    await app.followUps.sweepOnce();
    expect(priya.transcript().at(-1)).toMatch(/Checking in/);
  });

  it('a customer waiting in the queue who withdraws leaves it once the ticket is resolved', async () => {
    const { app, priya } = await setup();
    const ref = REF.exec((await priya.says('agent')).join('\n'))![1];
    expect((await app.agents.queue.get(ref))?.state).toBe('waiting');
    expect(CONFIRM.exec((await priya.says('you can close my ticket, the parcel just turned up')).join('\n'))?.[1]).toBe(ref);
    expect((await priya.says('Yes')).join('\n')).toMatch(/as sorted/);
    expect((await app.tickets.get(ref))?.status).toBe('resolved');
    expect((await app.agents.queue.get(ref))?.state).toBe('ended');
  });

  it('while an agent holds the chat the words reach the agent and nothing closes; after the hand-back the bot offers to close it', async () => {
    const { app, priya } = await setup();
    const ref = REF.exec((await priya.says('agent')).join('\n'))![1];
    const asha = await signedIn(app, 'agent', 'Asha Patel');
    const live: LiveEvent[] = [];
    app.agents.events.subscribe((event) => live.push(event));
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});

    expect(await priya.says('never mind, it arrived after all')).toEqual([]);
    expect(live).toContainEqual(expect.objectContaining({ type: 'customer.message', ref, text: 'never mind, it arrived after all' }));
    expect((await app.tickets.get(ref))?.status).toBe('open');

    await asha.json('POST', `/api/agent/tickets/${ref}/handback`, {});
    expect(CONFIRM.exec((await priya.says('problem solved, you can close it')).join('\n'))?.[1]).toBe(ref);
    await priya.says('yes');
    expect((await app.tickets.get(ref))?.status).toBe('resolved');
  });

  it('when the customer withdrew and then writes "actually it\'s broken" within the reopen window, the same ticket reopens', async () => {
    const { app, clock, priya } = await setup();
    const ref = await report(priya);
    await priya.says('problem solved, thanks');
    await priya.says('yes');
    await app.followUps.sweepOnce();
    clock.advance(2 * DAY);

    expect((await priya.says("actually it's broken, the screen is cracked")).join('\n')).toContain(`reopened ${ref}`);
    expect(await app.tickets.get(ref)).toMatchObject({ status: 'open', reopenCount: 1 });
    expect(await app.tickets.listForCustomer({ channelId: 'emulator', userId: priya.userId })).toHaveLength(1);
  });
});
