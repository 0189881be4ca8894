/**
 * A second problem reported in the same chat after a ticket opened, over real HTTP: the contact details the
 * customer already gave are offered again (consent asked afresh, it was for that ticket only), not asked for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUser } from '../support/fakeChannel';
import { startTestAppWithChannel } from '../support/testApp';

const REF = /\*\*(CS-[A-Z0-9]{6})\*\*/;

describe('a second report in the same chat', () => {
  let kit: Awaited<ReturnType<typeof startTestAppWithChannel>>;
  beforeAll(async () => {
    kit = await startTestAppWithChannel();
  });
  afterAll(async () => kit.close());

  async function firstTicket(customer: FakeUser, contact: string, ...answers: string[]): Promise<string> {
    await customer.says('order AB-2024117 arrived broken, screen cracked');
    await customer.says(contact);
    for (const answer of answers) await customer.says(answer);
    return REF.exec((await customer.says('yes')).join('\n'))![1];
  }

  it('when the customer reports another order, then the bot asks only for consent to the details given before and the new ticket keeps them', async () => {
    const priya = kit.channel.user();
    const first = await firstTicket(priya, 'priya.r@example.com / +1 415 555 0132', 'phone', 'yes');
    const reply = (await priya.says('my other order CD-3000444 is missing a cable')).join('\n');
    expect(reply).not.toMatch(/How can we reach you/);
    expect(reply).toMatch(/okay for us to contact you at p•+r@example\.com or \+1 •+ ••0132/);
    expect((await priya.says('yes')).join('\n')).toContain('(preferred: phone)');
    const second = REF.exec((await priya.says('yes')).join('\n'))![1];
    expect(second).not.toBe(first);
    expect((await kit.app.tickets.get(second))?.contact).toEqual({ email: 'priya.r@example.com', phone: '+14155550132', preferred: 'phone', consent: true });
  });

  it('when the customer said "here only" the first time, then the contact question is asked again', async () => {
    const priya = kit.channel.user();
    await priya.says('order AB-2024117 arrived broken, screen cracked');
    await priya.says('here only');
    await priya.says('yes');
    expect((await priya.says('my other order CD-3000444 is missing a cable')).join('\n')).toMatch(/How can we reach you/);
  });

  it('when another customer reports a problem, then nothing of the first customer\'s details is offered', async () => {
    await firstTicket(kit.channel.user(), 'priya.r@example.com', 'yes');
    const other = kit.channel.user('user-other', 'Sam Lee');
    expect((await other.says('my order CD-3000444 is missing a cable')).join('\n')).toMatch(/How can we reach you/);
  });
});
