/** What operators get wrong when they deploy: each is refused at start with a message naming the variable, or read as meant. */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config';
import { tempDataDir } from '../support/testApp';

const ROOT = path.join(__dirname, '..', '..');
const AZURE = { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'client-secret', PUBLIC_BASE_URL: 'https://bot.example.com' };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('URLs', () => {
  it.each([
    ['PUBLIC_BASE_URL', 'bot.example.com:443'],
    ['PUBLIC_BASE_URL', 'localhost:3978'],
    ['SMS_API_BASE_URL', 'ftp://api.twilio.com'],
    ['META_GRAPH_BASE_URL', 'graph.facebook.com:443/v21.0'],
  ])('%s=%s (no http(s) scheme) is refused, naming the variable', (name, value) => {
    expect(refusal({ [name]: value })).toMatch(new RegExp(`${name} must be an http\\(s\\) URL`));
  });

  it('outside local mode, PUBLIC_BASE_URL must be https', () => {
    expect(refusal({ ...AZURE, PUBLIC_BASE_URL: 'http://bot.example.com' })).toMatch(/PUBLIC_BASE_URL must be https when MicrosoftAppId is set/);
  });

  it.each([
    ['MONGODB_URI', 'localhost:27017', /MONGODB_URI must start with mongodb:\/\/ or mongodb\+srv:\/\//],
    ['SMTP_URL', 'smtp.example.com', /SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
  ])('%s=%s (no scheme) is refused at start, not when the first connection fails', (name, value, message) => {
    expect(refusal({ [name]: value })).toMatch(message);
  });

  it('a secret that is refused is not echoed into the log', () => {
    const message = refusal({ ALERT_WEBHOOK_URL: 'hooks.slack.com/services/T000/B000/SECRETPART' });
    expect(message).toMatch(/ALERT_WEBHOOK_URL must be/);
    expect(message).not.toContain('SECRETPART');
  });
});

describe('Azure Bot credentials', () => {
  it('a password without an app id is refused (the bot would run in local mode, unauthenticated)', () => {
    expect(refusal({ MicrosoftAppPassword: 'client-secret' })).toMatch(/MicrosoftAppId must be set when MicrosoftAppPassword/);
  });

  it('an app id without a password is refused, except for a managed identity', () => {
    expect(refusal({ ...AZURE, MicrosoftAppPassword: '' })).toMatch(/MicrosoftAppPassword must be set when MicrosoftAppId is/);
    expect(loadConfig({ ...AZURE, MicrosoftAppPassword: '', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 'tenant' }).microsoftAppType).toBe('UserAssignedMSI');
  });

  it('a single-tenant app without its tenant id is refused', () => {
    expect(refusal({ ...AZURE, MicrosoftAppType: 'SingleTenant' })).toMatch(/MicrosoftAppTenantId must be set when MicrosoftAppType is SingleTenant/);
  });

  it('a complete set is accepted', () => {
    expect(loadConfig({ ...AZURE, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant' })).toMatchObject({ microsoftAppId: AZURE.MicrosoftAppId, microsoftAppTenantId: 'tenant' });
  });
});

describe('values pasted with spaces or quotes', () => {
  it('are read without them (docker --env-file and portals keep them literally)', () => {
    const config = loadConfig({ ...AZURE, MicrosoftAppId: ' "00000000-0000-0000-0000-000000000001" ', MicrosoftAppPassword: "'client-secret' ", LOG_LEVEL: 'debug ', PORT: '"8080"', PUBLIC_BASE_URL: '"https://bot.example.com/"' });
    expect(config).toMatchObject({ microsoftAppId: AZURE.MicrosoftAppId, microsoftAppPassword: 'client-secret', logLevel: 'debug', port: 8080, publicBaseUrl: 'https://bot.example.com' });
  });

  it('quotes inside a value are kept', () => {
    expect(loadConfig({ MAIL_FROM: '"Acme Support" <support@acme.example>' }).mailFrom).toBe('"Acme Support" <support@acme.example>');
  });

  it('only blanks mean the default', () => {
    expect(loadConfig({ DATA_DIR: '   ' }).dataDir).toBe('./data');
  });
});

describe('the bot process when it cannot start', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--disable-warning=DEP0111', '--import', 'tsx', 'index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: tempDataDir(), PORT: '0', LOCAL_TRY_IT: 'false', LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('with MongoDB unreachable, exits 1 with one line naming MONGODB_URI and the reason, no stack trace', () => {
    const run = start({ MONGODB_URI: 'mongodb://bot:hunter2-password@127.0.0.1:1/socialcare' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/The bot could not start: STORE_UNAVAILABLE: Could not connect to MongoDB.*ECONNREFUSED.*check MONGODB_URI/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('with PORT taken by another process, exits 1 saying so', async () => {
    const taken = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      const run = start({ PORT: String(port) });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/EADDRINUSE.*another process listens on PORT/);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      taken.close();
    }
  });
});
