import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeInBrowser, launchChromium } from '../support/browser';
import type { App } from '../../index';
import { startTestApp } from '../support/testApp';

const PASSWORD = 'correct horse battery staple';

describeInBrowser('listening alerts in the console, in a real browser', () => {
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    await app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    await app.agents.accounts.create({ email: 'ada@example.com', name: 'Ada Agent', role: 'agent', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function consoleFor(email: string) {
    const context = await browser.newContext({ viewport: { width: 1300, height: 800 } });
    const page = await context.newPage();
    expect((await page.request.post(`${app.url}/api/agent/login`, { data: { email, password: PASSWORD } })).status()).toBe(200);
    const connected = page.waitForResponse((response) => response.url().endsWith('/api/agent/events'));
    await page.goto(`${app.url}/agent`);
    await connected;
    return { page, context };
  }

  it("a crisis alert pops up live in a supervisor's console and not in an agent's", async () => {
    const supervisor = await consoleFor('sam@example.com');
    const agent = await consoleFor('ada@example.com');
    await app.insight.alerts.raise({
      _id: 'reach:x:42',
      kind: 'reach',
      severity: 'crisis',
      topic: 'post x:42',
      title: 'One complaint passed 25,000 impressions',
      summary: '31,400 impressions in 6 hours',
      numbers: { impressions: 31_400 },
      examples: [],
    });
    await supervisor.page.waitForSelector('.toast.listening.crisis');
    expect(await supervisor.page.textContent('.toast.listening')).toBe('One complaint passed 25,000 impressions — 31,400 impressions in 6 hours');
    await supervisor.page.screenshot({ path: artifactPath('console-alert.png') });

    // An ordinary event after the alert reaches both; by then the agent's console would show the alert if it had been sent.
    app.agents.events.publish({ type: 'alert', ref: 'CS-NONE00', level: 'hub', message: 'marker after the listening alert' });
    await agent.page.waitForSelector('.toast.hub');
    expect(await agent.page.$$('.toast.listening')).toHaveLength(0);
    await supervisor.context.close();
    await agent.context.close();
  });
});
