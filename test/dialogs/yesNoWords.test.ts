/**
 * How customers say yes and no at the summary and at the consent question: the same words work at both,
 * including the ones the SDK's confirm recognizer misses ("sounds good", "of course", "fine").
 */
import { describe, expect, it } from 'vitest';
import { OPENED, SUMMARY, useDialogBench } from './dialogHarness';

const YES_WORDS = [
  'sounds good', 'perfect', 'all correct', 'that is correct', "that's fine", 'go for it', 'go on then', 'open it', 'submit',
  'looks fine', 'great thanks', 'yess', 'ya', 'yea', 'k', 'okey', 'of course', 'absolutely', 'fine', 'please do', 'Perfect, thank you!',
  // Start with "no" and hold "problem"/"not", yet mean yes (the SDK's confirm prompt read them as no).
  'no problem', 'No worries!', 'not a problem', 'sure, no problem',
];
const NO_WORDS = ['not quite', "no that's wrong", "that's not right", 'nah'];

const bench = useDialogBench();

async function atConsent(): Promise<void> {
  await bench.says('order AB-2024117 arrived broken, screen cracked');
  expect(await bench.says('priya.r@example.com')).toMatch(/okay for us to contact you/);
}

describe('at the summary', () => {
  it.each(YES_WORDS)('when the customer says "%s", then the ticket opens', async (answer) => {
    await atConsent();
    expect(await bench.says('yes')).toMatch(SUMMARY);
    expect(await bench.says(answer)).toMatch(OPENED);
    expect(await bench.allTickets()).toHaveLength(1);
  });

  it.each(NO_WORDS)('when the customer says "%s", then nothing opens and the bot asks what to change', async (answer) => {
    await atConsent();
    await bench.says('yes');
    expect(await bench.says(answer)).toMatch(/What would you like to change/);
    expect(await bench.allTickets()).toHaveLength(0);
  });

  it('when "no problem" comes with a change, then the change is asked for', async () => {
    await atConsent();
    await bench.says('yes');
    expect(await bench.says('no problem but change my email')).toMatch(/What e-mail address should we use\?/);
  });

  it('when a yes word comes with a change ("perfect but the email is wrong"), then the e-mail is asked again', async () => {
    await atConsent();
    await bench.says('yes');
    expect(await bench.says('perfect but the email is wrong')).toMatch(/What e-mail address should we use\?/);
  });
});

describe('at the consent question', () => {
  it.each(YES_WORDS)('when the customer says "%s", then consent is recorded without asking again', async (answer) => {
    await atConsent();
    const reply = await bench.says(answer);
    expect(reply).toMatch(SUMMARY);
    expect(reply).toContain('(preferred: email)');
    await bench.says('yes');
    expect((await bench.onlyTicket()).contact?.consent).toBe(true);
  });

  it.each(NO_WORDS)('when the customer says "%s", then the details are kept but not to be used', async (answer) => {
    await atConsent();
    expect(await bench.says(answer)).toMatch(/here in this chat only \(you asked us not to use/);
  });
});

describe('corrections with a typo', () => {
  it.each([
    ['change my emial', /What e-mail address should we use\?/],
    ['the emal is wrong', /What e-mail address should we use\?/],
    ['wrong oder number', /What's your order number\?/],
    ['fix the fone', /What phone number should we use\?/],
  ])('when the customer says "%s" at the summary, then that field is asked again', async (answer, question) => {
    await atConsent();
    await bench.says('yes');
    expect(await bench.says(answer)).toMatch(question);
  });
});
