import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../services/clock';
import { DomainError } from '../../services/errors';
import { verifyChain } from '../../services/tickets/audit';
import { findTicketRef, newTicketRef, REF_ALPHABET } from '../../services/tickets/ticketRef';
import { TICKET_STATUSES, type TicketStatus } from '../../services/tickets/types';
import { ASHA, PRIYA, startTicketBench, type TicketBench } from './ticketBench';

let bench: TicketBench;
beforeEach(async () => {
  bench = await startTicketBench();
});
afterEach(async () => {
  await bench.db.close();
});

describe('ticket references', () => {
  it('are the prefix, a dash and six characters from an alphabet without look-alikes', () => {
    expect(REF_ALPHABET).not.toMatch(/[0158BILOS]/);
    const refs = Array.from({ length: 2000 }, () => newTicketRef('CS'));
    for (const ref of refs) expect(ref).toMatch(new RegExp(`^CS-[${REF_ALPHABET}]{6}$`));
    // Every character of the alphabet turns up: the draw is not stuck on a subset.
    expect(new Set(refs.join('').replace(/^CS-/gm, '').replace(/CS-/g, ''))).toEqual(new Set(REF_ALPHABET));
  });

  it('use the configured prefix on opened tickets and are unique across many tickets', async () => {
    const opened = await Promise.all(Array.from({ length: 200 }, (_, i) => bench.open({ customer: { channelId: 'emulator', userId: `u${i}` } })));
    expect(new Set(opened.map((ticket) => ticket.ref)).size).toBe(200);
    for (const ticket of opened) expect(ticket._id).toBe(ticket.ref);
  });

  it.each([
    ['where is cs 7k3m9q?', 'CS-7K3M9Q'],
    ['status of CS-7K3M9Q please', 'CS-7K3M9Q'],
    ['Cs-7k3m9q', 'CS-7K3M9Q'],
    ['where is CS-7K3M9O', undefined], // O is not in the alphabet: a typo, not a reference
    ['CS-7K3M9QX', undefined],
    ['my order AB-2024117', undefined],
  ])('finds the reference in "%s" → %s', (text, ref) => {
    expect(findTicketRef(text, 'CS')).toBe(ref);
  });
});

describe('status lifecycle', () => {
  const ALLOWED: Record<TicketStatus, TicketStatus[]> = {
    open: ['in_progress', 'waiting_on_customer', 'resolved', 'closed'],
    in_progress: ['waiting_on_customer', 'resolved', 'closed'],
    waiting_on_customer: ['in_progress', 'resolved', 'closed'],
    resolved: ['closed', 'open', 'in_progress'],
    closed: ['open', 'in_progress'],
  };
  const pairs = TICKET_STATUSES.flatMap((from) => TICKET_STATUSES.filter((to) => to !== from).map((to) => ({ from, to, allowed: ALLOWED[from].includes(to) })));

  /** Walks a fresh ticket to `status` through allowed transitions. */
  async function ticketIn(status: TicketStatus) {
    const ticket = await bench.open();
    const path: Record<TicketStatus, TicketStatus[]> = {
      open: [],
      in_progress: ['in_progress'],
      waiting_on_customer: ['waiting_on_customer'],
      resolved: ['resolved'],
      closed: ['closed'],
    };
    for (const step of path[status]) await bench.tickets.changeStatus(ticket.ref, step, ASHA);
    return bench.tickets.require(ticket.ref);
  }

  it.each(pairs.filter((pair) => pair.allowed))('$from → $to is allowed and audited with before and after', async ({ from, to }) => {
    const ticket = await ticketIn(from);
    const changed = await bench.tickets.changeStatus(ticket.ref, to, ASHA, 'checked with the courier');
    expect(changed.status).toBe(to);
    expect(changed.version).toBe(ticket.version + 1);
    const last = (await bench.tickets.audit.list(ticket.ref)).at(-1)!;
    expect(last).toMatchObject({ action: 'ticket.status_changed', actor: ASHA, before: { status: from }, after: { status: to }, note: 'checked with the courier' });
  });

  it.each(pairs.filter((pair) => !pair.allowed))('$from → $to is refused and changes nothing', async ({ from, to }) => {
    const ticket = await ticketIn(from);
    const eventsBefore = (await bench.tickets.audit.list(ticket.ref)).length;
    const error = await bench.tickets.changeStatus(ticket.ref, to, ASHA).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'TICKET_TRANSITION_INVALID' });
    expect(await bench.tickets.require(ticket.ref)).toEqual(ticket);
    expect(await bench.tickets.audit.list(ticket.ref)).toHaveLength(eventsBefore);
  });

  it('reopening counts the reopen and keeps when it was resolved; setting the same status again is a no-op', async () => {
    const ticket = await ticketIn('resolved');
    expect(ticket.resolvedAt).toEqual(bench.clock.now());
    const reopened = await bench.tickets.changeStatus(ticket.ref, 'open', PRIYA);
    expect(reopened.reopenCount).toBe(1);
    const events = (await bench.tickets.audit.list(ticket.ref)).length;
    expect(await bench.tickets.changeStatus(ticket.ref, 'open', PRIYA)).toEqual(reopened);
    expect(await bench.tickets.audit.list(ticket.ref)).toHaveLength(events);
  });

  it('a missing ticket is a TICKET_NOT_FOUND error', async () => {
    await expect(bench.tickets.changeStatus('CS-ZZZZZZ', 'closed', ASHA)).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
  });
});

describe('audit trail', () => {
  it('records who, what, when and before → after for every kind of change, in order', async () => {
    const ticket = await bench.open({ orderNumber: 'AB-2024117' });
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['ticket.details_changed', () => bench.tickets.updateDetails(ticket.ref, { orderNumber: 'CD-7654321' }, PRIYA)],
      ['ticket.human_requested', () => bench.tickets.requestHuman(ticket.ref, 'the customer asked for a person', PRIYA)],
      ['ticket.status_changed', () => bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA)],
      ['ticket.first_response', () => bench.tickets.recordFirstResponse(ticket.ref, ASHA)],
      ['ticket.priority_changed', () => bench.tickets.setPriority(ticket.ref, 'urgent', ASHA, 'customer is vulnerable')],
      ['ticket.note_internal', () => bench.tickets.addNote(ticket.ref, 'internal', 'courier photo shows the porch', ASHA)],
      ['ticket.note_public', () => bench.tickets.addNote(ticket.ref, 'public', 'a replacement is on its way', ASHA)],
    ];
    for (const [, change] of steps) {
      bench.clock.advance(HOUR);
      await change();
    }
    const events = await bench.tickets.audit.list(ticket.ref);
    expect(events.map((event) => event.action)).toEqual(['ticket.opened', ...steps.map(([action]) => action)]);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    events.forEach((event, index) => expect(event.at).toEqual(new Date(Date.parse('2026-03-02T10:00:00Z') + index * HOUR)));
    expect(events[1]).toMatchObject({ actor: PRIYA, before: { orderNumber: 'AB-2024117' }, after: { orderNumber: 'CD-7654321' } });
    expect(events[3]).toMatchObject({ actor: ASHA, before: { status: 'open' }, after: { status: 'in_progress' } });
    expect(events[5]).toMatchObject({ before: { priority: 'normal' }, after: { priority: 'urgent' }, note: 'customer is vulnerable' });
    expect(events[6].note).toBe('courier photo shows the porch');
    expect(verifyChain(events)).toEqual({ intact: true, events: 8 });
  });

  it('a change that changes nothing leaves no event', async () => {
    const ticket = await bench.open();
    await bench.tickets.recordFirstResponse(ticket.ref, ASHA);
    await bench.tickets.recordFirstResponse(ticket.ref, ASHA);
    await bench.tickets.setPriority(ticket.ref, ticket.priority, ASHA, 'same again');
    await bench.tickets.updateDetails(ticket.ref, {}, ASHA);
    expect((await bench.tickets.audit.list(ticket.ref)).map((event) => event.action)).toEqual(['ticket.opened', 'ticket.first_response']);
  });

  describe('the hash chain', () => {
    async function trail() {
      const ticket = await bench.open();
      await bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA);
      await bench.tickets.addNote(ticket.ref, 'internal', 'called the depot', ASHA);
      await bench.tickets.changeStatus(ticket.ref, 'resolved', ASHA);
      return bench.tickets.audit.list(ticket.ref);
    }

    it.each([
      ['a note rewritten', (events: any[]) => (events[2].note = 'nothing happened'), 3, 'content was changed'],
      ['an after value changed', (events: any[]) => (events[1].after = { status: 'closed' }), 2, 'content was changed'],
      ['the time moved', (events: any[]) => (events[1].at = new Date('2020-01-01T00:00:00Z')), 2, 'event fields were changed'],
      ['the actor swapped', (events: any[]) => (events[3].actor = { kind: 'agent', id: 'agent-mallory' }), 4, 'event fields were changed'],
      ['the action renamed', (events: any[]) => (events[1].action = 'ticket.note_internal'), 2, 'event fields were changed'],
      ['an event deleted', (events: any[]) => events.splice(1, 1), 3, 'expected event 2'],
      ['two events swapped', (events: any[]) => ([events[1], events[2]] = [events[2], events[1]]), 3, 'expected event 2'],
      ['an event and its hash forged', (events: any[]) => (events[1] = { ...events[1], hash: 'f'.repeat(64) }), 2, 'event fields were changed'],
    ])('detects %s, naming the first broken event', async (_what, tamper, seq, reason) => {
      const events = await trail();
      expect(verifyChain(events).intact).toBe(true);
      tamper(events);
      const verdict = verifyChain(events);
      expect(verdict.intact).toBe(false);
      expect(verdict.brokenAt?.seq).toBe(seq);
      expect(verdict.brokenAt?.reason).toMatch(reason);
    });

    it('detects a modification made in the store itself', async () => {
      const events = await trail();
      await bench.auditDocs.updateOne({ _id: events[2]._id }, { $set: { note: 'edited later' } });
      expect(verifyChain(await bench.tickets.audit.list(events[0].ticketRef))).toMatchObject({ intact: false, brokenAt: { seq: 3 } });
    });

    it('still verifies after personal data was erased from an event (content replaced, digest kept)', async () => {
      const events = await trail();
      events[2] = { ...events[2], note: '[erased]', erased: true };
      expect(verifyChain(events).intact).toBe(true);
    });
  });
});

describe('priority', () => {
  const SEVERE = 'the parcel arrived smashed';
  const PLAIN = 'the lid is a bit loose';

  it('repeat contact by the same customer, or about the same order, raises priority one step with a reason', async () => {
    const first = await bench.open({ description: PLAIN, orderNumber: 'AB-2024117' });
    expect(first.priority).toBe('normal');
    const again = await bench.open({ description: PLAIN });
    expect(again.priority).toBe('high');
    expect(again.priorityReasons.join()).toMatch(/repeat contact/);
    const sameOrderOtherChannel = await bench.open({ description: PLAIN, orderNumber: 'AB-2024117', customer: { channelId: 'facebook', userId: 'fb-priya' } });
    expect(sameOrderOtherChannel.priority).toBe('high');
  });

  it('contact after the repeat window is not a repeat', async () => {
    await bench.open({ description: PLAIN });
    bench.clock.advance(31 * 24 * HOUR);
    expect((await bench.open({ description: PLAIN })).priority).toBe('normal');
  });

  it('severity raises priority and sets the matching SLA', async () => {
    const ticket = await bench.open({ description: SEVERE });
    expect(ticket.priority).toBe('high');
    expect(ticket.sla.firstResponseDueAt.getTime() - ticket.createdAt.getTime()).toBe(HOUR);
  });

  const post = (followers: number, text: string) => ({
    platform: 'x' as const,
    postId: `post-${followers}-${text.length}`,
    text,
    authorId: 'x-author',
    followers,
    postedAt: new Date('2026-03-02T09:00:00Z'),
  });

  it.each([
    [PLAIN, false],
    [SEVERE, false],
    [PLAIN, true],
    [SEVERE, true],
  ])(
    'a customer who never went public ("%s", repeat contact: %s) is not behind one with a million followers and the same story',
    async (story, repeat) => {
      const rank = (priority: string) => ['low', 'normal', 'high', 'urgent'].indexOf(priority);
      if (repeat) {
        await bench.open({ description: 'earlier', customer: { channelId: 'emulator', userId: 'quiet' } }, { kind: 'customer', id: 'quiet' });
        await bench.open({ description: 'earlier', customer: { channelId: 'x', userId: 'loud' } }, { kind: 'customer', id: 'loud' });
      }
      const quiet = await bench.open({ description: story, customer: { channelId: 'emulator', userId: 'quiet' } }, { kind: 'customer', id: 'quiet' });
      const loud = await bench.open(
        { description: story, source: 'public_post', publicPost: post(1_000_000, story), customer: { channelId: 'x', userId: 'loud' } },
        { kind: 'customer', id: 'loud' },
      );
      expect(rank(quiet.priority)).toBeGreaterThanOrEqual(rank(loud.priority));
      expect(quiet.sla.firstResponseDueAt.getTime()).toBeLessThanOrEqual(loud.sla.firstResponseDueAt.getTime());
    },
  );

  it('when the public factor is turned on, reach adds one step at most, however large', async () => {
    const policy = { publicReachThreshold: 10_000, publicReachSteps: 1 as const };
    await bench.db.close();
    bench = await startTicketBench({ priorityPolicy: policy });
    const byReach = async (followers: number, story: string, userId: string) =>
      (await bench.open({ description: story, publicPost: post(followers, story), customer: { channelId: 'x', userId } }, { kind: 'customer', id: userId })).priority;
    expect(await byReach(9_999, PLAIN, 'a')).toBe('normal');
    expect(await byReach(10_000, PLAIN, 'b')).toBe('high');
    expect(await byReach(50_000_000, PLAIN, 'c')).toBe('high');
    // Already raised by what happened: reach adds nothing more.
    expect(await byReach(50_000_000, SEVERE, 'd')).toBe('high');
  });
});

describe('SLA while waiting on the customer', () => {
  it('stops the resolution clock while the ticket waits on the customer and adds the wait when it moves on', async () => {
    const ticket = await bench.open();
    const due = ticket.sla.resolutionDueAt.getTime();
    bench.clock.advance(HOUR);
    await bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA);
    await bench.tickets.changeStatus(ticket.ref, 'waiting_on_customer', ASHA);
    expect((await bench.tickets.get(ticket.ref))!.sla.pausedAt).toEqual(bench.clock.now());
    bench.clock.advance(30 * HOUR);
    const answered = await bench.tickets.addCustomerUpdate(ticket.ref, 'here is the photo of the box', PRIYA);
    expect(answered.status).toBe('in_progress');
    const stored = (await bench.tickets.get(ticket.ref))!;
    expect(stored.sla.resolutionDueAt.getTime()).toBe(due + 30 * HOUR);
    expect(stored.sla.pausedMs).toBe(30 * HOUR);
    expect(stored.sla.pausedAt ?? null).toBeNull();
    // The first response was ours to give before we waited: its clock never stops.
    expect(stored.sla.firstResponseDueAt).toEqual(ticket.sla.firstResponseDueAt);
  });

  it('adds every wait, and a priority change keeps the time already waited', async () => {
    const ticket = await bench.open();
    for (const hours of [5, 7]) {
      await bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA);
      await bench.tickets.changeStatus(ticket.ref, 'waiting_on_customer', ASHA);
      bench.clock.advance(hours * HOUR);
    }
    await bench.tickets.changeStatus(ticket.ref, 'resolved', ASHA);
    const resolved = (await bench.tickets.get(ticket.ref))!;
    expect(resolved.sla.pausedMs).toBe(12 * HOUR);
    expect(resolved.sla.resolutionDueAt.getTime() - ticket.sla.resolutionDueAt.getTime()).toBe(12 * HOUR);
    await bench.tickets.changeStatus(ticket.ref, 'in_progress', PRIYA);
    const raised = await bench.tickets.setPriority(ticket.ref, 'high', ASHA, 'customer is travelling tomorrow');
    expect(raised.sla.resolutionDueAt.getTime()).toBe(ticket.createdAt.getTime() + 24 * HOUR + 12 * HOUR);
  });
});

describe('concurrent writers', () => {
  it('concurrent changes to one ticket all land: none is lost, the trail stays one unbroken chain', async () => {
    const ticket = await bench.open();
    const writers = 25;
    await Promise.all(Array.from({ length: writers }, (_, i) => bench.tickets.addNote(ticket.ref, 'internal', `note ${i}`, ASHA)));
    const final = await bench.tickets.require(ticket.ref);
    expect(final.version).toBe(1 + writers);
    const events = await bench.tickets.audit.list(ticket.ref);
    expect(events).toHaveLength(1 + writers);
    expect(new Set(events.slice(1).map((event) => event.note))).toEqual(new Set(Array.from({ length: writers }, (_, i) => `note ${i}`)));
    expect(verifyChain(events).intact).toBe(true);
  });

  it('concurrent changes of different fields keep every field', async () => {
    const ticket = await bench.open({ orderNumber: 'AB-2024117' });
    await Promise.all([
      bench.tickets.changeStatus(ticket.ref, 'in_progress', ASHA),
      bench.tickets.requestHuman(ticket.ref, 'asked for a person', PRIYA),
      bench.tickets.updateDetails(ticket.ref, { description: 'also the lid is cracked' }, PRIYA),
      bench.tickets.setPriority(ticket.ref, 'urgent', ASHA, 'vulnerable customer'),
      bench.tickets.recordFirstResponse(ticket.ref, ASHA),
    ]);
    expect(await bench.tickets.require(ticket.ref)).toMatchObject({
      status: 'in_progress',
      humanRequested: { reason: 'asked for a person' },
      description: 'also the lid is cracked',
      priority: 'urgent',
      firstResponseAt: expect.any(Date),
      version: 6,
    });
  });

  it('the same inbound event opening a ticket many times at once opens exactly one, and every caller gets it', async () => {
    const calls = await Promise.all(Array.from({ length: 20 }, () => bench.open({ openedBy: 'emulator:conv-1:activity-7' })));
    expect(new Set(calls.map((ticket) => ticket.ref)).size).toBe(1);
    expect(await bench.ticketDocs.countDocuments({})).toBe(1);
    expect((await bench.tickets.audit.list(calls[0].ref)).map((event) => event.action)).toEqual(['ticket.opened']);
  });

  it('a retry of the same event later returns the first ticket unchanged', async () => {
    const first = await bench.open({ openedBy: 'emulator:conv-1:activity-7', description: 'first words' });
    bench.clock.advance(HOUR);
    const retry = await bench.open({ openedBy: 'emulator:conv-1:activity-7', description: 'different words' });
    expect(retry).toEqual(first);
  });
});
