/**
 * Answers to "How can we reach you?" that hold no address: the method alone ("email me"), a local phone
 * number without its country code, or nothing usable again and again.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CONTACT_ATTEMPTS } from '../../dialogs/contactDetailsDialog';
import { ASK_CONSENT, ASK_CONTACT, SUMMARY, useDialogBench } from './dialogHarness';

const STORY = 'order AB-2024117 arrived broken, screen cracked';
const RETRY_CONTACT = /couldn't find an e-mail address or a phone number/;

const bench = useDialogBench();

describe('the method without the address', () => {
  it.each([
    ['email me', /What e-mail address should we use\?/, 'priya.r@example.com', 'email'],
    ['Email', /What e-mail address should we use\?/, 'priya.r@example.com', 'email'],
    ['by e-mail please', /What e-mail address should we use\?/, 'priya.r@example.com', 'email'],
    ['yes email is fine', /What e-mail address should we use\?/, 'priya.r@example.com', 'email'],
    ['call me', /What phone number should we use\?/, '+44 7911 123456', 'phone'],
    ['text me pls', /What phone number should we use\?/, '(415) 555-0132', 'phone'],
    ['WhatsApp', /What phone number should we use\?/, '+91 98765 43210', 'phone'],
  ])('when the customer answers "%s", then the bot asks for that address and carries on with it', async (answer, question, address, method) => {
    expect(await bench.says(STORY)).toMatch(ASK_CONTACT);
    const reply = await bench.says(answer);
    expect(reply).toMatch(question);
    expect(reply).not.toMatch(RETRY_CONTACT);
    expect(await bench.says(address)).toMatch(ASK_CONSENT);
    expect(await bench.says('yes')).toMatch(SUMMARY);
    await bench.says('yes');
    const { contact } = await bench.onlyTicket();
    expect(contact).toMatchObject({ preferred: method, consent: true });
    expect(contact?.[method as 'email' | 'phone']).toBeDefined();
  });

  it.each(["don't email me", 'no email please', 'here only'])('when the customer answers "%s", then nothing is asked again and the chat is the contact', async (answer) => {
    await bench.says(STORY);
    expect(await bench.says(answer)).toMatch(SUMMARY);
  });
});

describe('a local phone number without its country code', () => {
  it.each(['07911 123456', '0151 23456789', '98765 43210', '(11) 98765-4321', '0412 345 678'])(
    'when a customer outside the default region sends "%s", then the bot asks for the country code instead of saying there is no number',
    async (local) => {
      await bench.says(STORY);
      const reply = await bench.says(local);
      expect(reply).toMatch(/looks like a phone number.*country code/);
      expect(reply).not.toMatch(RETRY_CONTACT);
    },
  );

  it('when the e-mail comes with a phone the bot cannot place, then the e-mail is kept and the customer is told the phone was left out', async () => {
    await bench.says(STORY);
    const reply = await bench.says('priya.r@example.com or 07911 123456');
    expect(reply).toMatch(/couldn't place in a country.*country code/);
    expect(reply).toMatch(ASK_CONSENT);
    expect(await bench.says('yes')).toContain('e-mail p•••••r@example.com');
  });

  it('when the e-mail comes with an order number, then nothing is said about a phone', async () => {
    await bench.says('my parcel arrived broken');
    await bench.says('AB-2024117');
    const reply = await bench.says('priya.r@example.com (about AB-2024117)');
    expect(reply).toMatch(ASK_CONSENT);
    expect(reply).not.toMatch(/couldn't place/);
  });
});

describe('no loop at the contact question', () => {
  it('when the answer is unusable every time, then after a few tries the bot keeps it to this chat and shows the summary', async () => {
    await bench.says(STORY);
    for (let attempt = 1; attempt < MAX_CONTACT_ATTEMPTS; attempt++) expect(await bench.says('yes')).toMatch(RETRY_CONTACT);
    const reply = await bench.says('yes');
    expect(reply).toMatch(/keep it to this chat/);
    expect(reply).toMatch(SUMMARY);
    expect(reply).toContain('Contact: here in this chat only');
  });
});

describe('corrections of a number from the summary', () => {
  const withPhone = async () => {
    await bench.says(STORY);
    expect(await bench.says('priya.r@example.com / +1 415 555 0132')).toMatch(/Which should we use first/);
    await bench.says('phone');
    expect(await bench.says('yes')).toMatch(SUMMARY);
  };

  it.each(['change my number', 'wrong number', 'my number is wrong', 'number is incorrect'])(
    'when the customer has given a phone and says "%s", then the phone is asked again',
    async (answer) => {
      await withPhone();
      expect(await bench.says(answer)).toMatch(/What phone number should we use\?/);
    },
  );

  it('when the customer has given no phone and says "wrong number", then the order number is asked again', async () => {
    await bench.says(STORY);
    await bench.says('priya.r@example.com');
    await bench.says('yes');
    expect(await bench.says('wrong number')).toMatch(/What's your order number\?/);
  });

  it('when only the phone is replaced, then the preference the customer chose is kept and only consent is asked again', async () => {
    await withPhone();
    await bench.says('change my phone');
    const reply = await bench.says('+1 415 555 0199');
    expect(reply).toMatch(ASK_CONSENT);
    expect(reply).not.toMatch(/Which should we use first/);
    expect(await bench.says('yes')).toContain('(preferred: phone)');
    await bench.says('yes');
    expect((await bench.onlyTicket()).contact).toMatchObject({ phone: '+14155550199', email: 'priya.r@example.com', preferred: 'phone', consent: true });
  });

  it('when an order number is typed at the phone question, then the bot does not call it a phone number without a country code', async () => {
    await withPhone();
    await bench.says('change my phone');
    const reply = await bench.says('AB-2024999');
    expect(reply).not.toMatch(/looks like a phone number/);
    expect(reply).toMatch(RETRY_CONTACT);
  });
});

describe('an e-mail address spelled out to dodge spam bots', () => {
  it.each([
    ['jane at example dot com', 'jane@example.com'],
    ['Jane.Doe at Example.com', 'Jane.Doe@example.com'],
    ['j.doe [at] mail [dot] example [dot] co [dot] uk', 'j.doe@mail.example.co.uk'],
    ['jane(at)example(dot)com', 'jane@example.com'],
  ])('when the customer answers "%s", then the ticket keeps %s', async (answer, email) => {
    await bench.says(STORY);
    expect(await bench.says(answer)).toMatch(ASK_CONSENT);
    await bench.says('yes');
    await bench.says('yes');
    expect((await bench.onlyTicket()).contact).toMatchObject({ email, consent: true });
  });

  it.each(['call me at home', 'I am at work. Sorry'])('when the customer answers "%s", then no address is made up', async (answer) => {
    await bench.says(STORY);
    expect(await bench.says(answer)).toMatch(RETRY_CONTACT);
  });
});

describe('no preference between e-mail and phone', () => {
  it.each(['either is fine', 'both', "I don't mind", 'whichever', "doesn't matter"])(
    'when the customer answers "%s" to which first, then e-mail is used first and the consent question follows',
    async (answer) => {
      await bench.says(STORY);
      expect(await bench.says('priya.r@example.com / +1 415 555 0132')).toMatch(/Which should we use first/);
      expect(await bench.says(answer)).toMatch(ASK_CONSENT);
      expect(await bench.says('yes')).toContain('(preferred: email)');
    },
  );

  it('when the answer is unclear twice, then the bot stops asking and the summary shows the choice it made', async () => {
    await bench.says(STORY);
    await bench.says('priya.r@example.com / +1 415 555 0132');
    expect(await bench.says('hmm')).toMatch(/Please pick e-mail, phone, or here in this chat/);
    expect(await bench.says('yes')).toMatch(ASK_CONSENT);
    expect(await bench.says('yes')).toContain('(preferred: email)');
  });
});
