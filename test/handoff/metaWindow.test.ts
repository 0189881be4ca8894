/**
 * Meta's messaging window for a person's replies: Messenger (and Instagram) take the bot's messages for 24 hours
 * after the customer's last message, and a human agent's own reply for 7 days with the HUMAN_AGENT tag.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../services/clock';
import { FakeChannel } from '../support/fakeChannel';
import { signedIn } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from './handoffTestKit';

describe("an agent's reply on Messenger, by the time since the customer last wrote", () => {
  let kit: Kit;
  let messenger: FakeChannel;

  beforeEach(async () => {
    kit = await startKit();
    messenger = await new FakeChannel('facebook').start(`${kit.app.url}/api/messages`);
  });
  afterEach(async () => {
    await messenger.stop();
    await kit.close();
  });

  const agentReplies = async (hoursLater: number) => {
    const { ref, customer } = await customerAsksForAPerson(kit, messenger.user());
    const asha = await signedIn(kit.app, 'agent', 'Asha Patel');
    await asha.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
    kit.clock.advance(hoursLater * HOUR);
    expect((await asha.login('asha.patel@example.com')).status).toBe(200);
    const before = customer.transcript().length;
    const response = await asha.request('POST', `/api/agent/tickets/${ref}/messages`, { text: 'Your refund is on its way.', clientMessageId: 'r1' });
    const sent = messenger.messagesFor(customer.conversationId).slice(before);
    return { response, sent };
  };

  it('within 24 hours it goes as a plain response', async () => {
    const { response, sent } = await agentReplies(2);
    expect(response.status).toBe(200);
    expect(sent.map((activity) => activity.text)).toEqual(['Your refund is on its way.']);
    expect(sent[0].channelData).toBeUndefined();
  });

  it('after 24 hours it goes with the HUMAN_AGENT tag', async () => {
    const { response, sent } = await agentReplies(30);
    expect(response.status).toBe(200);
    expect(sent).toHaveLength(1);
    expect(sent[0].channelData).toEqual({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('after 7 days it is refused with the reason, and nothing is sent', async () => {
    const { response, sent } = await agentReplies((7 * DAY) / HOUR + 1);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: 'CHANNEL_WINDOW_CLOSED', message: expect.stringMatching(/Messenger window closed.*e-mail or phone/) });
    expect(sent).toEqual([]);
  });
});
