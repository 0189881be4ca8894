/** A supervisor onboarding several people at once on the Team page, in a real browser against the real app. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AgentClient, PASSWORD } from '../agents/agentClient';
import { artifactPath, describeInBrowser, launchChromium, signInToConsole } from '../support/browser';
import { startTestApp } from '../support/testApp';
import type { App } from '../../index';

const NEWCOMERS = [
  { name: 'Asha Patel', email: 'asha.patel@example.com' },
  { name: 'Ben Okafor', email: 'ben.okafor@example.com' },
  { name: 'Chen Wei', email: 'chen.wei@example.com' },
];

describeInBrowser('onboarding three people on the team page (real browser)', () => {
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    await app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function teamPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1100 } });
    await signInToConsole(page, app.url, 'sam@example.com', PASSWORD);
    await page.goto(`${app.url}/agent/team`);
    await page.waitForSelector('body[data-ready="true"]');
    return page;
  }

  it("keeps every new colleague's one-time password on screen until Done, and 'Copied' never stands next to a password not copied", async () => {
    const page = await teamPage();
    try {
      const generated: string[] = [];
      for (const person of NEWCOMERS) {
        await page.fill('#add-name', person.name);
        await page.fill('#add-email', person.email);
        await page.click('#generate');
        generated.push(await page.inputValue('#add-password'));
        await page.click('#add-submit');
        await expect.poll(() => page.textContent('#add-message')).toContain(`can now sign in as ${person.email}`);
        expect(await page.textContent('#created-name')).toBe(person.name);
        expect(await page.inputValue('#created-password')).toBe(generated.at(-1));
        // The Copy button speaks of this password, not of the one copied before it.
        expect(await page.textContent('#copy-password')).toBe('Copy');
        await page.click('#copy-password');
        await expect.poll(() => page.textContent('#copy-password')).not.toBe('Copy');
      }
      // The first two, not yet handed over, are still there, each with its name.
      const earlier = page.locator('#created-earlier li');
      expect(await earlier.count()).toBe(2);
      expect(await earlier.nth(0).textContent()).toContain('Asha Patel');
      expect(await earlier.nth(0).locator('input').inputValue()).toBe(generated[0]);
      expect(await earlier.nth(1).textContent()).toContain('Ben Okafor');
      expect(await earlier.nth(1).locator('input').inputValue()).toBe(generated[1]);
      await page.screenshot({ path: artifactPath('team-onboarding-three.png'), fullPage: true });

      // Each shown password is the one that works.
      for (const [index, person] of NEWCOMERS.entries()) {
        expect((await new AgentClient(app.url).login(person.email, generated[index])).status).toBe(200);
      }

      // Done forgets them all.
      await page.click('#hide-password');
      expect(await page.isHidden('#created')).toBe(true);
      expect(await page.locator('#created-earlier li').count()).toBe(0);
      expect(await page.inputValue('#created-password')).toBe('');
    } finally {
      await page.close();
    }
  });
});
