/**
 * A fresh install has no agent account: the start-up log and the console's sign-in page say how to create the
 * first one, and the hint goes away once any account exists. The hint's command is the CLI's real usage.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { createLogger } from '../../services/log';
import { redactCustomerText } from '../../services/recognition/customerDetails';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';
import { describeInBrowser, launchChromium } from '../support/browser';
import { startTestApp, tempDataDir } from '../support/testApp';
import { PASSWORD } from './agentClient';

const ROOT = path.join(__dirname, '..', '..');

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The app with the logger index.ts builds (the same redaction), its lines kept for the test to read. */
async function startLogged(env: Record<string, string> = {}): Promise<{ app: App; lines: Array<{ level: number; msg: string }> }> {
  const lines: Array<{ level: number; msg: string }> = [];
  const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);
  const logger = createLogger({ level: 'info', redact: (text) => redactCustomerText(text, orders), destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { app: await startTestApp(env, { logger }), lines };
}

const setup = async (url: string) => {
  const response = await fetch(`${url}/api/agent/setup`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the first agent account on a fresh install', () => {
  it('when no account exists, the start-up log says once how to create one, with the agent:add command and the bootstrap variables', async () => {
    const started = await startLogged();
    app = started.app;
    const hints = started.lines.filter((line) => line.msg.includes('No agent account exists yet'));
    expect(hints).toHaveLength(1);
    expect(hints[0]!.level).toBe(30);
    // The embedded store refuses the CLI while the bot holds DATA_DIR.
    expect(hints[0]!.msg).toContain('stop the bot, then run npm run agent:add -- --email <e-mail> --name "<name>" --role supervisor');
    expect(hints[0]!.msg).toContain('AGENT_BOOTSTRAP_EMAIL and AGENT_BOOTSTRAP_PASSWORD (12+ characters)');
  });

  it('when AGENT_BOOTSTRAP_* creates the first supervisor, or an account exists already, nothing is said', async () => {
    const dataDir = tempDataDir();
    let started = await startLogged({ DATA_DIR: dataDir, AGENT_BOOTSTRAP_EMAIL: 'lead@example.com', AGENT_BOOTSTRAP_PASSWORD: 'first-supervisor-pass' });
    app = started.app;
    expect(started.lines.map((line) => line.msg).join('\n')).not.toContain('No agent account exists yet');
    await app.close();
    started = await startLogged({ DATA_DIR: dataDir });
    app = started.app;
    expect(started.lines.map((line) => line.msg).join('\n')).not.toContain('No agent account exists yet');
    expect(await setup(app.url)).toEqual({ status: 200, body: { firstAccountNeeded: false } });
  });

  it('the sign-in page asks, unauthenticated, and gets the hint only while no account exists, and nothing else', async () => {
    app = await startTestApp();
    const fresh = await setup(app.url);
    expect(fresh.status).toBe(200);
    expect(Object.keys(fresh.body).sort()).toEqual(['firstAccountNeeded', 'hint']);
    expect(fresh.body).toMatchObject({ firstAccountNeeded: true, hint: expect.stringContaining('npm run agent:add -- --email') });

    await app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });
    expect(await setup(app.url)).toEqual({ status: 200, body: { firstAccountNeeded: false } });
  });

  it('the command in the hint, run as written, creates a supervisor who can sign in, and the hint goes away', async () => {
    const dataDir = tempDataDir();
    app = await startTestApp({ DATA_DIR: dataDir });
    const hint = String((await setup(app.url)).body.hint);
    await app.close();
    app = undefined;

    // "npm run agent:add -- <arguments>" runs services/agents/addAgentCli.ts with those arguments (package.json).
    const written = /npm run agent:add -- (.+?) \(prints/.exec(hint)![1]!;
    expect(written).toBe('--email <e-mail> --name "<name>" --role supervisor');
    // As a shell passes them once the placeholders are filled in.
    const argv = ['--email', 'lead@example.com', '--name', 'Lena Lead', '--role', 'supervisor'];
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'services/agents/addAgentCli.ts', ...argv], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Created supervisor Lena Lead <lead@example.com>/);

    app = await startTestApp({ DATA_DIR: dataDir });
    expect(await setup(app.url)).toEqual({ status: 200, body: { firstAccountNeeded: false } });
  });
});

describeInBrowser('the console sign-in page on a fresh install', () => {
  it('shows how to create the first account while none exists, and not once one does', async () => {
    app = await startTestApp();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${app.url}/agent`);
      const hint = page.locator('#signin-setup');
      await hint.waitFor({ state: 'visible' });
      expect(await hint.textContent()).toContain('npm run agent:add -- --email <e-mail> --name "<name>" --role supervisor');

      await app.agents.accounts.create({ email: 'asha@example.com', name: 'Asha Patel', role: 'agent', password: PASSWORD });
      const answered = page.waitForResponse((response) => response.url().endsWith('/api/agent/setup'));
      await page.reload();
      await answered;
      await page.locator('#signin').waitFor({ state: 'visible' });
      await expect.poll(() => page.isHidden('#signin-setup')).toBe(true);
      expect(await hint.textContent()).toBe('');
    } finally {
      await browser.close();
    }
  });
});
