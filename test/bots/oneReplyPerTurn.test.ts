import { type Activity, MessageFactory, TestAdapter, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { OneReplyPerTurn } from '../../bots/oneReplyPerTurn';

/** A turn that says three things, one of them with buttons, and shows typing in between. */
async function chatty(context: TurnContext): Promise<void> {
  await context.sendActivity('Thank you for writing.');
  await context.sendActivity({ type: 'typing' });
  await context.sendActivity(MessageFactory.suggestedActions(['yes', 'no'], 'Shall I open the ticket?'));
  await context.sendActivity('Your ticket is **CS-7K3M9Q**.');
}

function adapterOn(channelId: string, logic: (context: TurnContext) => Promise<void>) {
  const adapter = new TestAdapter(logic, { channelId, conversation: { id: 'thread-1' } } as never);
  adapter.use(new OneReplyPerTurn(new Map([['email', (activity: Partial<Activity>) => ({ ...activity, channelData: { shaped: true } })]])));
  return adapter;
}

describe('one reply per turn, for channels where every message is a letter', () => {
  it('when a turn on such a channel says several things, then one message goes out with them as paragraphs, buttons written as a "Reply with" line, typing dropped', async () => {
    const sent: Partial<Activity>[] = [];
    await adapterOn('email', chatty)
      .send('hello')
      .assertReply((activity) => void sent.push(activity))
      .startTest();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      type: 'message',
      text: 'Thank you for writing.\n\nShall I open the ticket?\n\nReply with: "yes" or "no"\n\nYour ticket is **CS-7K3M9Q**.',
      channelData: { shaped: true },
    });
    expect(sent[0].suggestedActions).toBeUndefined();
  });

  it('when the turn is on another channel, then every message goes out as it was said', async () => {
    await adapterOn('webchat', chatty)
      .send('hello')
      .assertReply('Thank you for writing.')
      .assertReply((activity) => expect(activity.type).toBe('typing'))
      .assertReply((activity) => expect(activity.suggestedActions?.actions).toHaveLength(2))
      .assertReply('Your ticket is **CS-7K3M9Q**.')
      .startTest();
  });

  it('when the turn fails, then nothing it held goes out, and what is said after it (the apology) goes out alone', async () => {
    const adapter = adapterOn('email', async (context) => {
      await context.sendActivity('Half an answer');
      throw new Error('store down');
    });
    adapter.onTurnError = async (context) => void (await context.sendActivity('Sorry, something went wrong.'));
    await adapter.send('hello').assertReply('Sorry, something went wrong.').assertNoReply('the held half answer never goes out', 50).startTest();
  });
});
