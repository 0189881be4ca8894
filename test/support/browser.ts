/**
 * Real-browser tests drive Debian's Chromium through playwright-core (never a downloaded browser).
 * Where Chromium is missing the suites are skipped with a banner saying so: CI installs it, so there they run.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { PASSWORD } from '../agents/agentClient';
import { type Kit, startKit } from '../handoff/handoffTestKit';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts');

export const hasChromium = existsSync(CHROMIUM);

/** `describe` for suites that need the browser; loud when it cannot run them. */
export function describeInBrowser(name: string, suite: () => void): void {
  if (!hasChromium) {
    console.warn(
      `\n${'*'.repeat(100)}\n*** Browser suite SKIPPED: "${name}". ${CHROMIUM} is missing; install it with: apt-get update && apt-get install -y chromium. This is NOT a pass. ***\n${'*'.repeat(100)}\n`,
    );
  }
  describe.skipIf(!hasChromium)(name, suite);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // Without the background-networking flags Chromium tries to reach Google's services, which this network refuses.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Where screenshots go (gitignored), for a person to look at after a run. */
export function artifactPath(file: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, file);
}

/**
 * Signs in with a password a supervisor handed over: the console asks for the person's own one first (the handed-over
 * one is not asked again) and shows itself once it is saved.
 */
export async function signInWithHandedOverPassword(page: Page, appUrl: string, email: string, handedOver: string, own: string): Promise<void> {
  await page.goto(`${appUrl}/agent`);
  await page.fill('#login-email', email);
  await page.fill('#login-password', handedOver);
  await page.click('#login-submit');
  await page.locator('#password').waitFor({ state: 'visible' });
  if (!(await page.isHidden('#password-current-row'))) throw new Error('the handed-over password was asked for again');
  await page.fill('#password-new', own);
  await page.fill('#password-repeat', own);
  await page.click('#password-submit');
  await page.locator('#app').waitFor({ state: 'visible' });
}

/** Signs `page` into the console at `appUrl` with the form, as a person does; resolves once the console shows. */
export async function signInToConsole(page: Page, appUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${appUrl}/agent`);
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.locator('#app').waitFor({ state: 'visible' });
}

/** The console suites' set-up: a kit (the real app on a manual clock, a fake channel), the supervisor Sam Lee, and Chromium. */
export interface ConsoleKit extends Kit {
  browser: Browser;
  /** A new console page signed in as Sam; `prepare` runs before the sign-in (page.clock.install(), say). */
  signInAsSupervisor(prepare?: (page: Page) => Promise<void>): Promise<Page>;
}

export async function startConsoleKit(env: Record<string, string> = {}): Promise<ConsoleKit> {
  const kit = await startKit(env);
  try {
    await kit.app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Lee', role: 'supervisor', password: PASSWORD });
    const browser = await launchChromium();
    return {
      ...kit,
      browser,
      signInAsSupervisor: async (prepare) => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        await prepare?.(page);
        await signInToConsole(page, kit.app.url, 'sam@example.com', PASSWORD);
        return page;
      },
      close: async () => {
        await browser.close();
        await kit.close();
      },
    };
  } catch (error) {
    await kit.close();
    throw error;
  }
}

/** Opens a ticket in the signed-in console by its reference, with Find. */
export async function openTicket(page: Page, ref: string): Promise<void> {
  await page.fill('#find-query', ref);
  await page.click('#find-submit');
  await expect.poll(() => page.locator('#conv-ref').textContent()).toBe(ref);
}
