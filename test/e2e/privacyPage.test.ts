import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeInBrowser, launchChromium } from '../support/browser';
import type { App } from '../../index';
import { FakeChannel } from '../support/fakeChannel';
import { startTestApp } from '../support/testApp';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'priya.r@example.com';

describeInBrowser('the privacy page in a real browser', () => {
  let app: App;
  let channel: FakeChannel;
  let browser: Browser;
  let ticketRef: string;

  beforeAll(async () => {
    app = await startTestApp({ RETENTION_DAYS: '90' });
    channel = await new FakeChannel().start(`${app.url}/api/messages`);
    // A real DM conversation: ticket, transcript, bot state and contact e-mail, as a customer leaves them.
    const priya = channel.user('priya-77', 'Priya Raman');
    await priya.says("Hi, SMS says my parcel was delivered and collected by me personally. It wasn't. Order AB-2024117");
    await priya.says(`${EMAIL} or +91 98765 43210`);
    await priya.says('email');
    await priya.says('yes');
    ticketRef = /\*\*(CS-[A-Z0-9]{6})\*\*/.exec((await priya.says('yes')).join('\n'))![1]!;
    await app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    await app.agents.accounts.create({ email: 'ada@example.com', name: 'Ada Agent', role: 'agent', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await channel?.stop();
    await app?.close();
  });

  it('a supervisor follows the console link, looks a customer up by e-mail, downloads the export, erases with a typed confirmation, and the next lookup finds nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.url) && !request.url().startsWith('blob:')) outside.push(request.url());
    });
    const erasures: Array<{ csrf?: string; body: Record<string, unknown> }> = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/api/privacy/erase')) erasures.push({ csrf: request.headers()['x-csrf-token'], body: request.postDataJSON() });
    });
    expect((await page.request.post(`${app.url}/api/agent/login`, { data: { email: 'sam@example.com', password: PASSWORD } })).status()).toBe(200);
    await app.insight.sweepRetention();
    await page.goto(`${app.url}/agent`);
    await page.click('#nav a:has-text("Privacy")');
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#retention')).toContain('90 days ago');
    // What the last sweep aged out, of each kind it looks after.
    expect(await page.textContent('#retention')).toMatch(/0 ticket\(s\), 0 archived post\(s\), 0 alert\(s\)/);

    await page.fill('#value', EMAIL);
    await page.click('#lookup-submit');
    await page.waitForSelector('body[data-looked="true"]');
    expect(await page.textContent('#summary')).toContain(ticketRef);
    const holdings = await page.$$eval('#holdings tr', (rows) => Object.fromEntries(rows.slice(1).map((row) => [row.children[0]!.textContent, Number(row.children[1]!.textContent)])));
    expect(holdings.tickets).toBe(1);
    expect(holdings.transcripts).toBeGreaterThan(5);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { ticketRefs: string[]; data: { tickets: Array<{ contact?: { email?: string } }> } };
    expect(exported.ticketRefs).toEqual([ticketRef]);
    expect(exported.data.tickets[0]!.contact!.email).toBe(EMAIL);

    // The erase button stays disabled until the value is typed again exactly.
    await page.fill('#reason', 'GDPR art. 17 request #1182');
    await page.fill('#confirm', 'priya.r@example.co');
    expect(await page.isDisabled('#erase-submit')).toBe(true);
    await page.fill('#confirm', EMAIL);
    await page.screenshot({ path: artifactPath('privacy.png'), fullPage: true });
    await page.click('#erase-submit');
    await page.waitForSelector('body[data-erased="true"]');
    expect(await page.textContent('#erase-result')).toContain(`Erased. Tickets anonymised: ${ticketRef}`);
    expect(erasures).toHaveLength(1);
    expect(erasures[0]!.body).toMatchObject({ email: EMAIL, confirm: true, reason: 'GDPR art. 17 request #1182' });
    expect(erasures[0]!.csrf).toBeTruthy();
    expect((await app.tickets.get(ticketRef))!.erasedAt).toBeInstanceOf(Date);

    await page.click('#lookup-submit');
    await page.waitForFunction(() => document.getElementById('summary')!.textContent === 'Nothing is held about this customer.');
    expect(await page.getAttribute('#result', 'data-total')).toBe('0');
    expect(await page.isHidden('#erase-box')).toBe(true);
    const kinds = await page.$$eval('#requests tr', (rows) => rows.slice(1).map((row) => row.children[1]!.textContent));
    expect(kinds.slice(0, 3)).toEqual(['access', 'erasure', 'access']);
    expect(outside).toEqual([]);
    await page.screenshot({ path: artifactPath('privacy-after-erasure.png'), fullPage: true });
    await context.close();
  });

  it('an agent sees no Privacy link in the console and the privacy API answers 403', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    expect((await page.request.post(`${app.url}/api/agent/login`, { data: { email: 'ada@example.com', password: PASSWORD } })).status()).toBe(200);
    await page.goto(`${app.url}/agent`);
    await page.waitForSelector('#nav a');
    expect(await page.$$eval('#nav a', (links) => links.map((link) => link.textContent))).not.toContain('Privacy');
    const me = (await (await page.request.get(`${app.url}/api/agent/me`)).json()) as { csrfToken: string };
    const headers = { 'x-csrf-token': me.csrfToken };
    expect((await page.request.post(`${app.url}/api/privacy/access`, { data: { email: EMAIL }, headers })).status()).toBe(403);
    expect((await page.request.post(`${app.url}/api/privacy/erase`, { data: { email: EMAIL, confirm: true }, headers })).status()).toBe(403);
    expect((await page.request.get(`${app.url}/api/privacy/retention`)).status()).toBe(403);

    await page.goto(`${app.url}/agent/privacy`);
    await page.fill('#value', EMAIL);
    await page.click('#lookup-submit');
    await page.waitForSelector('#status.error');
    expect(await page.textContent('#status')).toBe('Privacy tools need the supervisor role.');
    await context.close();
  });
});
