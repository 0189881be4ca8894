/** The console shows the language of a customer who writes in another language, as text, and no Language row otherwise. A real browser against the real app. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson } from '../handoff/handoffTestKit';
import { type ConsoleKit, describeInBrowser, openTicket, startConsoleKit } from '../support/browser';

describeInBrowser('the console ticket details show the customer language (real browser)', () => {
  let kit: ConsoleKit;

  beforeAll(async () => {
    kit = await startConsoleKit();
  });

  afterAll(async () => {
    await kit?.close();
  });

  it('when the bot handed over a Spanish DM, then its ticket shows "Language: Spanish (es)"; an English ticket shows no Language row', async () => {
    const [ack] = await kit.channel.user(undefined, 'Carmen Ruiz').says('Hola, mi pedido AB-2024117 llegó roto, necesito ayuda');
    const spanishRef = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(ack!)![1]!;
    const english = await customerAsksForAPerson(kit, kit.channel.user(undefined, 'Mo English'));

    const page = await kit.signInAsSupervisor();
    try {
      await openTicket(page, spanishRef);
      await page.locator('#d-language').waitFor({ state: 'visible' });
      expect(await page.locator('#d-language-label').isVisible()).toBe(true);
      expect(await page.textContent('#d-language')).toBe('Spanish (es)');

      await openTicket(page, english.ref);
      expect(await page.locator('#d-language').isHidden()).toBe(true);
      expect(await page.locator('#d-language-label').isHidden()).toBe(true);
    } finally {
      await page.close();
    }
  });
});
