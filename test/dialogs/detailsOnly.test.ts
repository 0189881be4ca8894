/**
 * A message that only gives details ("Hello, my order number is AB-2024117") or only asks for help ("I need help
 * with my order") is not the description of the problem: "what went wrong?" is still asked. A story stays the description.
 */
import { describe, expect, it } from 'vitest';
import { ASK_DESCRIPTION, SUMMARY, useDialogBench } from './dialogHarness';


const bench = useDialogBench();

describe('details without the story', () => {
  it.each([
    ['Hello, my order number is AB-2024117', ['here only']],
    ['my order number is AB2024117 and my email is priya.r@example.com', ['yes']],
    ['Hi, I am Priya, order no. AB-2024117, you can reach me at priya.r@example.com', ['yes']],
    ['order ref AB-2024117, phone +1 415 555 0132, thanks', ['yes']],
  ])('when the first message is "%s", then the description is still asked and the ticket holds the answer', async (first, untilDescription) => {
    await bench.says(first);
    let reply = '';
    for (const line of untilDescription) reply = await bench.says(line);
    expect(reply).toMatch(ASK_DESCRIPTION);
    expect(await bench.says('the lid was cracked when it arrived')).toMatch(SUMMARY);
    await bench.says('yes');
    expect(await bench.onlyTicket()).toMatchObject({ orderNumber: 'AB-2024117', description: 'the lid was cracked when it arrived' });
  });

  it('when "order AB-2024117" answers the menu, then it is the order number and not the description', async () => {
    await bench.says('hi');
    await bench.says('what');
    await bench.says('order AB-2024117');
    expect(await bench.says('here only')).toMatch(ASK_DESCRIPTION);
  });
});

describe('a story with details', () => {
  it.each([
    'my order AB-2024117 never came',
    'Hello, my order number is AB-2024117 and it arrived broken',
    'order AB-2024117: wrong size sent',
    'Order no. AB-2024117 - the order came without the charger',
    'where is my order',
    // Short, but they say what went wrong.
    'never arrived',
    'wrong item sent',
    'Item missing!',
  ])('when the first message is "%s", then it is the description and not asked for again', async (first) => {
    await bench.says(first);
    const summary = await bench.play('AB-2024117', 'here only');
    expect(summary).toMatch(SUMMARY);
    expect(summary).toContain(`What happened: "${first}"`);
  });
});

describe('a request for help that does not say what happened', () => {
  it.each(['I need help with my order', 'Hi, can you help me with my order please?', 'I have a question about my delivery'])(
    'when the first message is "%s", then the report starts at the order number and "what went wrong?" is asked later',
    async (first) => {
      expect(await bench.says(first)).toMatch(/What's your order number\?/);
      const afterContact = await bench.play('AB-2024117', 'here only');
      expect(afterContact).toMatch(ASK_DESCRIPTION);
      await bench.says('the lamp arrived with a cracked shade');
      await bench.says('yes');
      expect((await bench.onlyTicket()).description).toBe('the lamp arrived with a cracked shade');
    },
  );

  it.each(['hey there, need help', 'can you help me please'])('when the first message is "%s", then the menu is offered', async (first) => {
    expect(await bench.says(first)).toMatch(/How can I help\?/);
  });

  it('when "I need help with my order" answers the menu, then it is not taken as the description', async () => {
    await bench.says('hi');
    await bench.says('what');
    await bench.says('I need help with my order');
    expect(await bench.play('AB-2024117', 'here only')).toMatch(ASK_DESCRIPTION);
  });

  it.each(['need help, my parcel never came', 'I need help, the lamp I got is broken'])('when help comes with the story ("%s"), then the story is the description', async (first) => {
    await bench.says(first);
    const summary = await bench.play('AB-2024117', 'here only');
    expect(summary).toContain(`What happened: "${first}"`);
  });
});
