/**
 * The first message of a DM over real HTTP: a customer who already told us what happened gets a short
 * greeting (automated assistant, their problem acknowledged) and the next question; the menu is for "hi".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppWithChannel } from '../support/testApp';

const MENU = /1\. Report a problem|tell me what happened/i;

describe('the greeting fits the first message', () => {
  let kit: Awaited<ReturnType<typeof startTestAppWithChannel>>;
  beforeAll(async () => {
    kit = await startTestAppWithChannel();
  });
  afterAll(async () => kit.close());

  it.each([
    ['My order AB-2000123 arrived smashed to pieces, the box was crushed', /reach you/],
    ['Hi, my order AB-2000123 arrived smashed to pieces, the box was crushed', /reach you/],
    ['my parcel arrived with the lid broken and half the glasses smashed', /order number/],
    ['where is my order??', /order number/],
    ['never arrived', /order number/],
    ['wrong item sent', /order number/],
  ])('when the first message tells the story (%s), then a short greeting acknowledges it and the next question follows', async (first, nextQuestion) => {
    const replies = await kit.channel.user().says(first);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/automated assistant/);
    expect(replies[0]).toMatch(/sorry/i);
    expect(replies[0]).not.toMatch(MENU);
    expect(replies[1]).toMatch(nextQuestion);
  });

  it('when the first message asks for a person, then the greeting has no menu and the handoff answer follows', async () => {
    const replies = await kit.channel.user().says('I want to talk to a human');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/automated assistant/);
    expect(replies[0]).not.toMatch(MENU);
    expect(replies[1]).toMatch(/asked a person/);
  });

  it('when the first message only gives the order number, then the greeting has no menu and no apology, and the next question follows', async () => {
    const replies = await kit.channel.user().says('Hello, my order number is AB-2000123');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/automated assistant/);
    expect(replies[0]).not.toMatch(MENU);
    expect(replies[0]).not.toMatch(/sorry/i);
    expect(replies[1]).toMatch(/reach you/);
  });

  it.each(['hi', 'HI!!', 'Hello there 👋'])('when the first message is only a greeting (%s), then the menu greeting answers it alone', async (first) => {
    const replies = await kit.channel.user().says(first);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/automated assistant/);
    expect(replies[0]).toMatch(MENU);
  });

  it.each(['hey there, need help', 'what', 'help'])('when the first message is unclear (%s), then the greeting says who we are and the menu comes once, with its buttons', async (first) => {
    const replies = await kit.channel.user().says(first);
    expect(replies[0]).toMatch(/automated assistant/);
    expect(replies[0]).not.toMatch(MENU);
    expect(replies.at(-1)).toMatch(/How can I help/);
    expect(replies.filter((reply) => /report a problem/i.test(reply))).toHaveLength(1);
  });

  it.each(['broken', 'Damaged!', 'refund'])('when the first message is one word that something went wrong (%s), then the report starts: sorry, and the order number', async (first) => {
    const replies = await kit.channel.user().says(first);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/automated assistant[\s\S]*sorry/);
    expect(replies[1]).toMatch(/order number/i);
  });

  it('when the first message is only a photo, then the bot thanks, says who it is and asks what happened; the story after it is not greeted again', async () => {
    const priya = kit.channel.user();
    const photo = { text: undefined, attachments: [{ contentType: 'image/jpeg', contentUrl: 'http://127.0.0.1:9/photo.jpg', name: 'photo.jpg' }] };
    const replies = await priya.sendAndCollect(priya.activity(photo));
    expect(replies).toHaveLength(2);
    expect(replies[0]).toMatch(/only read text/);
    expect(replies[1]).toMatch(/automated assistant[\s\S]*tell me what happened/);
    const next = await priya.says('my lamp arrived broken, the shade is cracked');
    expect(next.join('\n')).not.toMatch(/automated assistant/);
    expect(next.join('\n')).toMatch(/order number/);
  });

  it.each([[['hi']], [['order AB-2000123 arrived broken', 'cancel']]])(
    'when a photo comes with nothing under way (after %j), then the bot asks what happened instead of going quiet',
    async (before) => {
      const priya = kit.channel.user();
      for (const line of before) await priya.says(line);
      const photo = { text: undefined, attachments: [{ contentType: 'image/jpeg', contentUrl: 'http://127.0.0.1:9/photo.jpg', name: 'photo.jpg' }] };
      const replies = await priya.sendAndCollect(priya.activity(photo));
      expect(replies).toEqual([expect.stringMatching(/only read text/), expect.stringMatching(/Tell me in a few words what happened/)]);
      expect((await priya.says('the lamp shade is cracked right through')).join('\n')).toMatch(/order number/);
    },
  );

  it('when a story comes after "hi", then no second greeting is sent', async () => {
    const priya = kit.channel.user();
    await priya.says('hi');
    const replies = await priya.says('My order AB-2000123 arrived smashed to pieces');
    expect(replies.join('\n')).not.toMatch(/automated assistant/);
    expect(replies.join('\n')).toMatch(/reach you/);
  });
});
