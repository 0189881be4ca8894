/** What the console's ticket view needs to know about the customer's channel before an agent types a reply. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../services/clock';
import type { ReplyWindow } from '../../services/followUps/windows';
import type { Ticket } from '../../services/tickets/types';
import { SYSTEM_ACTOR } from '../../services/tickets/types';
import { FakeChannel } from '../support/fakeChannel';
import { signedIn } from './agentClient';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';

interface TicketView {
  ticket: Ticket;
  replyWindow: ReplyWindow | null;
}

describe('the ticket view for agents, by channel', () => {
  let kit: Kit;
  let messenger: FakeChannel;

  beforeEach(async () => {
    kit = await startKit({ SESSION_TTL_HOURS: '720' });
    messenger = await new FakeChannel('facebook').start(`${kit.app.url}/api/messages`);
  });
  afterEach(async () => {
    await messenger.stop();
    await kit.close();
  });

  it("says when a Messenger reply window closes, counted from the customer's latest message rather than the one that opened the ticket", async () => {
    const { ref, customer } = await customerAsksForAPerson(kit, messenger.user());
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const view = () => asha.json<TicketView>('GET', `/api/agent/tickets/${ref}`);

    expect((await view()).replyWindow).toMatchObject({ channel: 'Messenger', state: 'open', sinceMs: 0, closesInMs: 7 * DAY });

    kit.clock.advance(6 * DAY);
    await customer.says('Any news on my parcel?');
    kit.clock.advance(2 * DAY);
    // Eight days after the first message, two after the latest: a person's reply still goes, with the tag.
    expect((await view()).replyWindow).toMatchObject({ state: 'tagged', sinceMs: 2 * DAY, closesInMs: 5 * DAY });

    kit.clock.advance(5 * DAY + HOUR);
    const closed = (await view()).replyWindow!;
    expect(closed).toMatchObject({ state: 'closed', closesInMs: -HOUR, reason: expect.stringContaining('Messenger window closed') });
    // The view and the send path agree: the reply is refused with the same verdict.
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    const refused = await asha.request('POST', `/api/agent/tickets/${ref}/messages`, { text: 'Hello?', clientMessageId: 'late-1' });
    expect(refused.status).toBe(409);
    // The limit named is the one for a person's reply, not the bot's 24 hours.
    expect(((await refused.json()) as { message: string }).message).toMatch(/last wrote 169 h ago \(a person's replies: 7 days\)/);
  });

  it('has no reply window on channels without one', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    expect((await asha.json<TicketView>('GET', `/api/agent/tickets/${ref}`)).replyWindow).toBeNull();
  });

  it('shows a phone that opted out of SMS on a ticket opened after the STOP, as the follow-ups already treat it', async () => {
    const phone = '+447700900123';
    const customer = { channelId: 'emulator', userId: 'u-priya', name: 'Priya Raman' };
    const first = await kit.app.tickets.open({ customer, source: 'dm', contact: { phone, consent: true } }, SYSTEM_ACTOR);
    await kit.app.tickets.markSmsUnusable(phone, { reason: 'opted_out', code: 21610, at: kit.clock.now() }, SYSTEM_ACTOR);
    const later = await kit.app.tickets.open({ customer, source: 'dm', contact: { phone, consent: true }, description: 'another order' }, SYSTEM_ACTOR);
    const other = await kit.app.tickets.open({ customer, source: 'dm', contact: { phone: '+447700900999', consent: true } }, SYSTEM_ACTOR);

    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    const contactOf = async (ref: string) => (await asha.json<TicketView>('GET', `/api/agent/tickets/${ref}`)).ticket.contact;
    expect(await contactOf(first.ref)).toMatchObject({ smsBlocked: { reason: 'opted_out' } });
    expect(await contactOf(later.ref)).toMatchObject({ phone, smsBlocked: { reason: 'opted_out' } });
    expect((await contactOf(other.ref))?.smsBlocked).toBeUndefined();
    // Reading is not writing: the later ticket itself is unchanged.
    expect((await kit.app.tickets.require(later.ref)).contact?.smsBlocked).toBeUndefined();
  });
});

describe("the ticket view's transcript of a long-lived thread", () => {
  it("shows the newest lines of a conversation longer than the view's 500, oldest of them first", async () => {
    const kit = await startKit();
    try {
      const { ref } = await customerAsksForAPerson(kit);
      const conversationId = (await kit.app.tickets.require(ref)).conversation!.conversationId;
      for (let line = 1; line <= 520; line++) {
        kit.clock.advance(1000);
        await kit.app.transcripts.record({ conversationId, channelId: 'emulator', ticketRef: ref, direction: 'in', actor: { kind: 'customer', id: 'u' }, text: `line ${line}` });
      }
      const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
      const { transcript } = await asha.json<{ transcript: Array<{ text: string }> }>('GET', `/api/agent/tickets/${ref}`);
      expect(transcript).toHaveLength(500);
      expect(transcript.at(-1)!.text).toBe('line 520');
      expect(transcript[0].text).toBe('line 21');
    } finally {
      await kit.close();
    }
  });
});
