/** The console shows the language of a customer who writes in another language, as text, and no Language row otherwise. A real browser against the real app. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PASSWORD } from '../agents/agentClient';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { describeInBrowser, launchChromium, signInToConsole } from '../support/browser';

describeInBrowser('the console ticket details show the customer language (real browser)', () => {
  let kit: Kit;
  let browser: Browser;

  beforeAll(async () => {
    kit = await startKit();
    await kit.app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Lee', role: 'supervisor', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  it('when the bot handed over a Spanish DM, then its ticket shows "Language: Spanish (es)"; an English ticket shows no Language row', async () => {
    const [ack] = await kit.channel.user(undefined, 'Carmen Ruiz').says('Hola, mi pedido AB-2024117 llegó roto, necesito ayuda');
    const spanishRef = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec(ack!)![1]!;
    const english = await customerAsksForAPerson(kit, kit.channel.user(undefined, 'Mo English'));

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await signInToConsole(page, kit.app.url, 'sam@example.com', PASSWORD);
      const open = async (ref: string) => {
        await page.fill('#find-query', ref);
        await page.click('#find-submit');
        await expect.poll(() => page.locator('#conv-ref').textContent()).toBe(ref);
      };
      await open(spanishRef);
      await page.locator('#d-language').waitFor({ state: 'visible' });
      expect(await page.locator('#d-language-label').isVisible()).toBe(true);
      expect(await page.textContent('#d-language')).toBe('Spanish (es)');

      await open(english.ref);
      expect(await page.locator('#d-language').isHidden()).toBe(true);
      expect(await page.locator('#d-language-label').isHidden()).toBe(true);
    } finally {
      await page.close();
    }
  });
});
