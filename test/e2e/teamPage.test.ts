import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerAsksForAPerson, type Kit, startKit } from '../handoff/handoffTestKit';
import { PASSWORD } from '../agents/agentClient';
import { artifactPath, describeInBrowser, launchChromium, signInToConsole, signInWithHandedOverPassword } from '../support/browser';

const ASHA = 'asha.patel@example.com';
const ASHA_OWN = 'asha chose this herself';

describeInBrowser('the team page in a real browser', () => {
  let kit: Kit;
  let browser: Browser;

  beforeAll(async () => {
    kit = await startKit();
    await kit.app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    await kit.app.agents.accounts.create({ email: 'eve@example.com', name: 'Eve Executive', role: 'executive', password: PASSWORD });
    await kit.app.agents.accounts.create({ email: 'ada@example.com', name: 'Ada Agent', role: 'agent', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await kit?.close();
  });

  async function signIn(context: BrowserContext, email: string, password = PASSWORD): Promise<Page> {
    const page = await context.newPage();
    await signInToConsole(page, kit.app.url, email, password);
    return page;
  }

  const row = (page: Page, name: string) => page.locator('#accounts tr', { hasText: name });
  const cells = (page: Page, name: string) => row(page, name).locator('td').allTextContents();

  async function confirmIn(page: Page, expected: string): Promise<void> {
    await page.locator('#confirm').waitFor({ state: 'visible' });
    expect(await page.textContent('#confirm-text')).toContain(expected);
    await page.click('#confirm-yes');
  }

  it('a supervisor adds an agent who signs in with the shown password and chooses their own, disables them (their session and held conversation end), re-enables them, and creates and revokes an integration token', async () => {
    const { ref } = await customerAsksForAPerson(kit);
    const supervisorContext = await browser.newContext({ viewport: { width: 1300, height: 1100 } });
    const sam = await signIn(supervisorContext, 'sam@example.com');
    const outside: string[] = [];
    const writes: Array<{ url: string; csrf?: string }> = [];
    sam.on('request', (request) => {
      if (!request.url().startsWith(kit.app.url)) outside.push(request.url());
      if (request.method() === 'POST' && request.url().includes('/api/agent/')) writes.push({ url: request.url(), csrf: request.headers()['x-csrf-token'] });
    });
    await sam.click('#nav a:has-text("Team")');
    await sam.waitForSelector('body[data-ready="true"]');
    expect(sam.url()).toBe(`${kit.app.url}/agent/team`);
    // A supervisor may not create an executive, so the form does not offer it.
    expect(await sam.$$eval('#add-role option', (options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual(['agent', 'supervisor']);
    // No buttons for yourself or for someone who outranks you.
    expect(await row(sam, 'Sam Supervisor').locator('button').count()).toBe(0);
    expect(await row(sam, 'Eve Executive').locator('button').count()).toBe(0);

    // Too short a password is refused next to the form, before anything is sent.
    await sam.fill('#add-name', 'Asha Patel');
    await sam.fill('#add-email', ASHA);
    await sam.fill('#add-password', 'short');
    await sam.click('#add-submit');
    expect(await sam.textContent('#add-message')).toContain('at least 12 characters');

    await sam.click('#generate');
    const typed = await sam.inputValue('#add-password');
    expect(typed.length).toBeGreaterThanOrEqual(12);
    await sam.click('#add-submit');
    await sam.locator('#created').waitFor({ state: 'visible' });
    const shown = await sam.inputValue('#created-password');
    expect(shown).toBe(typed);
    expect(await sam.textContent('#add-message')).toContain(`can now sign in as ${ASHA}`);
    expect(await cells(sam, 'Asha Patel')).toEqual(expect.arrayContaining(['Asha Patel', ASHA, 'agent', 'active, own password not chosen yet', '—', '0']));
    await sam.screenshot({ path: artifactPath('team-added.png'), fullPage: true });
    await sam.click('#hide-password');
    expect(await sam.isHidden('#created')).toBe(true);

    // The same e-mail again: the API's refusal is shown next to the form.
    await sam.fill('#add-name', 'Asha Again');
    await sam.fill('#add-email', ASHA);
    await sam.fill('#add-password', 'another long password');
    await sam.click('#add-submit');
    await expect.poll(() => sam.textContent('#add-message')).toContain('already exists');
    expect(await sam.getAttribute('#add-message', 'role')).toBe('status');

    // The new agent signs in with the password shown, chooses their own (Sam saw the first), and takes the waiting conversation.
    const ashaContext = await browser.newContext();
    const asha = await ashaContext.newPage();
    await signInWithHandedOverPassword(asha, kit.app.url, ASHA, shown, ASHA_OWN);
    await expect.poll(() => asha.locator('#me').textContent()).toContain('Asha Patel');
    const ashaCsrf = ((await (await asha.request.get(`${kit.app.url}/api/agent/me`)).json()) as { csrfToken: string }).csrfToken;
    expect((await asha.request.post(`${kit.app.url}/api/agent/tickets/${ref}/takeover`, { data: {}, headers: { 'x-csrf-token': ashaCsrf } })).status()).toBe(200);

    await sam.reload();
    await sam.waitForSelector('body[data-ready="true"]');
    const [, , , , lastSignIn, held] = await cells(sam, 'Asha Patel');
    expect(lastSignIn).toMatch(/^2026-03-02 10:00 UTC$/);
    expect(held).toBe('1');

    await sam.click('button[aria-label="Disable Asha Patel"]');
    await confirmIn(sam, "Asha Patel's 1 conversation goes back to the queue");
    await expect.poll(() => cells(sam, 'Asha Patel')).toContain('disabled');
    expect(await sam.textContent('#status')).toBe('Asha Patel is disabled.');
    expect((await asha.request.get(`${kit.app.url}/api/agent/me`)).status()).toBe(401);
    expect(await kit.app.agents.queue.get(ref)).toMatchObject({ state: 'waiting' });
    expect((await asha.request.post(`${kit.app.url}/api/agent/login`, { data: { email: ASHA, password: ASHA_OWN } })).status()).toBe(401);

    await sam.click('button[aria-label="Re-enable Asha Patel"]');
    await confirmIn(sam, 'can sign in again');
    await expect.poll(() => cells(sam, 'Asha Patel')).toContain('active');
    expect((await asha.request.post(`${kit.app.url}/api/agent/login`, { data: { email: ASHA, password: ASHA_OWN } })).status()).toBe(200);
    expect((await asha.request.post(`${kit.app.url}/api/agent/login`, { data: { email: ASHA, password: shown } })).status()).toBe(401);

    // An integration token: shown once with a warning, works as a Bearer token, then revoked.
    await sam.fill('#token-label', 'CRM sync');
    await sam.click('#token-submit');
    await sam.locator('#token-created').waitFor({ state: 'visible' });
    const secret = await sam.inputValue('#token-secret');
    expect(await sam.textContent('#token-created')).toContain('never shown again');
    const tokenRow = sam.locator('#tokens tr', { hasText: 'CRM sync' });
    await tokenRow.waitFor();
    const [label, shortId, createdBy, , revoked] = await tokenRow.locator('td').allTextContents();
    expect([label, createdBy, revoked]).toEqual(['CRM sync', 'Sam Supervisor', '—']);
    expect(secret).not.toContain(shortId!);
    const asIntegration = () => fetch(`${kit.app.url}/api/agent/me`, { headers: { authorization: `Bearer ${secret}` } });
    const me = await asIntegration();
    expect(me.status).toBe(200);
    expect(((await me.json()) as { agent: { name: string } }).agent.name).toBe('Sam Supervisor');
    await sam.screenshot({ path: artifactPath('team-token.png'), fullPage: true });

    await sam.click('#hide-token');
    expect(await sam.inputValue('#token-secret')).toBe('');
    await sam.click('button[aria-label="Revoke CRM sync"]');
    await confirmIn(sam, `token ${shortId}`);
    await expect.poll(async () => (await tokenRow.locator('td').allTextContents())[4]).toMatch(/UTC$/);
    expect((await asIntegration()).status).toBe(401);

    expect(writes.length).toBeGreaterThanOrEqual(5);
    expect(writes.filter((write) => !write.csrf)).toEqual([]);
    expect(outside).toEqual([]);
    await supervisorContext.close();
    await ashaContext.close();
  });

  it('a supervisor resets a forgotten password (shown once, the old session ends) and the agent signs in with it and chooses their own, then promotes an agent who sees the Team link at once', async () => {
    await kit.app.agents.accounts.create({ email: 'raj@example.com', name: 'Raj Reset', role: 'agent', password: PASSWORD });
    await kit.app.agents.accounts.create({ email: 'pia@example.com', name: 'Pia Promoted', role: 'agent', password: PASSWORD });
    const rajContext = await browser.newContext();
    const rajBefore = await signIn(rajContext, 'raj@example.com');
    const supervisorContext = await browser.newContext({ viewport: { width: 1300, height: 1100 } });
    const sam = await signIn(supervisorContext, 'sam@example.com');
    await sam.goto(`${kit.app.url}/agent/team`);
    await sam.waitForSelector('body[data-ready="true"]');
    // Nothing to reset or promote on yourself or on someone above you.
    expect(await row(sam, 'Eve Executive').locator('button').count()).toBe(0);
    expect(await row(sam, 'Sam Supervisor').locator('button').count()).toBe(0);

    await sam.click('button[aria-label="Reset password of Raj Reset"]');
    await confirmIn(sam, 'signed out everywhere');
    await sam.locator('#reset-done').waitFor({ state: 'visible' });
    await expect.poll(() => cells(sam, 'Raj Reset')).toContain('active, own password not chosen yet');
    const fresh = await sam.inputValue('#reset-password');
    expect(fresh.length).toBeGreaterThanOrEqual(16);
    expect(await sam.textContent('#reset-done')).toContain('Raj Reset');
    expect(await sam.textContent('#status')).toContain('password is reset');
    expect(await sam.getAttribute('#status', 'role')).toBe('status');
    await sam.screenshot({ path: artifactPath('team-reset.png'), fullPage: true });
    await sam.click('#hide-reset');
    expect(await sam.inputValue('#reset-password')).toBe('');

    expect((await rajBefore.request.get(`${kit.app.url}/api/agent/me`)).status()).toBe(401);
    expect((await rajBefore.request.post(`${kit.app.url}/api/agent/login`, { data: { email: 'raj@example.com', password: PASSWORD } })).status()).toBe(401);
    const rajAfterContext = await browser.newContext();
    const raj = await rajAfterContext.newPage();
    // Two different new passwords are caught before anything is sent; then Raj's own one opens the console.
    await raj.goto(`${kit.app.url}/agent`);
    await raj.fill('#login-email', 'raj@example.com');
    await raj.fill('#login-password', fresh);
    await raj.click('#login-submit');
    await raj.locator('#password').waitFor({ state: 'visible' });
    expect(await raj.textContent('#password-title')).toBe('Choose your own password');
    await raj.fill('#password-new', 'raj picked this one');
    await raj.fill('#password-repeat', 'raj picked this 0ne');
    await raj.click('#password-submit');
    await expect.poll(() => raj.textContent('#password-error')).toBe('The two new passwords are not the same.');
    await raj.fill('#password-repeat', 'raj picked this one');
    await raj.click('#password-submit');
    await raj.locator('#app').waitFor({ state: 'visible' });
    await sam.reload();
    await sam.waitForSelector('body[data-ready="true"]');
    expect(await cells(sam, 'Raj Reset')).toContain('active');
    await expect.poll(() => raj.locator('#me').textContent()).toContain('Raj Reset');

    const piaContext = await browser.newContext();
    const pia = await signIn(piaContext, 'pia@example.com');
    await pia.waitForSelector('#nav a');
    expect(await pia.$$eval('#nav a', (links) => links.map((link) => link.textContent))).not.toContain('Team');

    await sam.click('button[aria-label="Change role of Pia Promoted"]');
    await sam.locator('#confirm').waitFor({ state: 'visible' });
    // A supervisor may give agent or supervisor, not executive.
    expect(await sam.$$eval('#confirm-role option', (options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual(['agent', 'supervisor']);
    await sam.getByLabel('New role').selectOption('supervisor');
    await sam.click('#confirm-yes');
    await expect.poll(() => cells(sam, 'Pia Promoted')).toContain('supervisor');
    expect(await sam.textContent('#status')).toBe('Pia Promoted is now a supervisor.');

    // Pia's open console picks the new role up without signing in again.
    await expect.poll(() => pia.$$eval('#nav a', (links) => links.map((link) => link.textContent)), { timeout: 15_000 }).toContain('Team');
    await pia.click('#nav a:has-text("Team")');
    await pia.waitForSelector('body[data-ready="true"]');
    expect(await row(pia, 'Raj Reset').locator('button[aria-label="Change role of Raj Reset"]').count()).toBe(1);

    for (const context of [rajContext, rajAfterContext, supervisorContext, piaContext]) await context.close();
  });

  it('an agent sees no Team link, and the team page’s API calls answer 403', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, 'ada@example.com');
    await page.waitForSelector('#nav a');
    expect(await page.$$eval('#nav a', (links) => links.map((link) => link.textContent))).not.toContain('Team');

    const answers = new Map<string, number>();
    page.on('response', (response) => answers.set(new URL(response.url()).pathname, response.status()));
    await page.goto(`${kit.app.url}/agent/team`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(answers.get('/api/agent/accounts')).toBe(403);
    expect(answers.get('/api/agent/tokens')).toBe(403);
    expect(await page.textContent('#status')).toBe('The team page needs the supervisor role.');
    expect(await page.$$eval('#add-role option', (options) => options.map((option) => (option as HTMLOptionElement).value))).toEqual(['agent']);

    const csrf = ((await (await page.request.get(`${kit.app.url}/api/agent/me`)).json()) as { csrfToken: string }).csrfToken;
    const headers = { 'x-csrf-token': csrf };
    expect((await page.request.post(`${kit.app.url}/api/agent/agents`, { data: { email: 'x@example.com', name: 'X', role: 'agent', password: PASSWORD }, headers })).status()).toBe(403);
    expect((await page.request.post(`${kit.app.url}/api/agent/tokens`, { data: { label: 'mine' }, headers })).status()).toBe(403);
    await context.close();
  });

  it('an agent changes their own password from the console header, and a handed-over password sends the team page to the console to choose one', async () => {
    await kit.app.agents.accounts.create({ email: 'olu@example.com', name: 'Olu Own', role: 'agent', password: PASSWORD });
    const context = await browser.newContext();
    const olu = await signIn(context, 'olu@example.com');
    await olu.click('#change-password');
    await olu.locator('#password').waitFor({ state: 'visible' });
    expect(await olu.textContent('#password-title')).toBe('Change your password');
    await olu.click('#password-cancel');
    await olu.locator('#app').waitFor({ state: 'visible' });

    await olu.click('#change-password');
    await olu.fill('#password-current', 'not my password at all');
    await olu.fill('#password-new', 'olu has a new one now');
    await olu.fill('#password-repeat', 'olu has a new one now');
    await olu.click('#password-submit');
    await expect.poll(() => olu.textContent('#password-error')).toBe('The current password is not right');
    await olu.fill('#password-current', PASSWORD);
    await olu.click('#password-submit');
    await olu.locator('#app').waitFor({ state: 'visible' });
    await expect.poll(() => olu.textContent('#toasts')).toContain('Your password is changed.');
    expect((await olu.request.post(`${kit.app.url}/api/agent/login`, { data: { email: 'olu@example.com', password: 'olu has a new one now' } })).status()).toBe(200);

    await kit.app.agents.accounts.create({ email: 'tom@example.com', name: 'Tom Temp', role: 'supervisor', password: PASSWORD, temporary: true });
    const tomContext = await browser.newContext();
    const tom = await tomContext.newPage();
    expect((await tom.request.post(`${kit.app.url}/api/agent/login`, { data: { email: 'tom@example.com', password: PASSWORD } })).status()).toBe(200);
    await tom.goto(`${kit.app.url}/agent/team`);
    await tom.waitForURL(`${kit.app.url}/agent`);
    await tom.locator('#password').waitFor({ state: 'visible' });
    // Not typed on this page: the current password is asked for.
    expect(await tom.isVisible('#password-current-row')).toBe(true);
    expect(await tom.isHidden('#app')).toBe(true);
    for (const c of [context, tomContext]) await c.close();
  });

  it('without a session the team page sends the visitor to sign in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${kit.app.url}/agent/team`);
    await page.waitForURL(`${kit.app.url}/agent`);
    await page.locator('#signin').waitFor({ state: 'visible' });
    await context.close();
  });
});
