import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config';
import { DomainError } from '../../services/errors';
import { tempDataDir } from '../support/testApp';
import { ENV_EXAMPLE_PATH, envNamesIn, README_PATH, readmeConfigTable, renderReadmeConfigTable, schemaEnvNames } from './envExample';

const ROOT = path.join(__dirname, '..', '..');

describe('configuration', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ORDER_NUMBER_PATTERN', '(['],
    ['LOG_LEVEL', 'loud'],
    ['LOCAL_TRY_IT', 'maybe'],
    ['TICKET_PREFIX', 'cs'],
    ['DEFAULT_PHONE_REGION', 'usa'],
    ['SUPPORT_HOURS', '9-5'],
    ['MAX_BODY_BYTES', '10'],
    ['MicrosoftAppType', 'AnyTenant'],
    ['PUBLIC_BASE_URL', 'not a url'],
  ])('%s=%s is refused with a message naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).toContain(value);
  });

  it('with an Azure Bot app id, requires PUBLIC_BASE_URL (links and the console cookie would otherwise point at 127.0.0.1)', () => {
    expect(() => loadConfig({ MicrosoftAppId: 'app-id' })).toThrow(/PUBLIC_BASE_URL must be set/);
    expect(loadConfig({ MicrosoftAppId: 'app-id', MicrosoftAppPassword: 'client-secret', PUBLIC_BASE_URL: 'https://bot.example.com' }).publicBaseUrl).toBe('https://bot.example.com');
    expect(loadConfig({}).publicBaseUrl).toBe('http://127.0.0.1:3978');
  });

  it('names every bad variable at once, so an operator fixes them in one go', () => {
    expect(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });

  it('empty values mean the default', () => {
    expect(loadConfig({ PORT: '', TICKET_PREFIX: '' })).toMatchObject({ port: 3978, ticketPrefix: 'CS' });
  });

  it.each([
    ['PORT', 'abc', /PORT must be a whole number/],
    ['ORDER_NUMBER_PATTERN', '([', /ORDER_NUMBER_PATTERN is not a valid regular expression/],
    ['ORDER_NUMBER_PATTERN', '^AB\\d+$', /ORDER_NUMBER_PATTERN must describe the number alone/],
  ])('the bot process with %s=%s stops at start-up, saying why', (name, value, message) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: tempDataDir(), PORT: '0', LOCAL_TRY_IT: 'false', [name]: value },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    expect(run.stderr).toMatch(message);
  });
});

describe('.env.example', () => {
  it('lists exactly the variables of the config schema, each once', () => {
    const listed = envNamesIn(readFileSync(ENV_EXAMPLE_PATH, 'utf8'));
    expect(new Set(listed).size).toBe(listed.length);
    const regenerate = `.env.example is out of date; regenerate it: npx tsx -e "require('./test/config/envExample').writeEnvExample()"`;
    expect([...listed].sort(), regenerate).toEqual([...schemaEnvNames()].sort());
  });

  it('loads in a shell as it is (set -a; . ./.env.example), and starts the bot with the defaults', () => {
    const loaded = execFileSync('bash', ['-c', `set -a; . '${ENV_EXAMPLE_PATH}'; set +a; env`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const env = Object.fromEntries(loaded.split('\n').filter((line) => line.includes('=')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    for (const name of schemaEnvNames()) expect(name in env, name).toBe(true);
    expect(() => loadConfig(Object.fromEntries(schemaEnvNames().map((name) => [name, env[name]])))).not.toThrow();
  });

  it('documents each variable in a comment right above it', () => {
    const lines = readFileSync(ENV_EXAMPLE_PATH, 'utf8').split('\n');
    for (const name of schemaEnvNames()) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[at - 1], name).toMatch(/^# \S/);
    }
  });
});

describe('README.md', () => {
  it('lists every variable with its default, exactly as the schema says', () => {
    const regenerate = `README's configuration table is out of date; regenerate it: npx tsx -e "require('./test/config/envExample').writeEnvExample()"`;
    expect(readmeConfigTable(readFileSync(README_PATH, 'utf8')), regenerate).toBe(renderReadmeConfigTable());
  });

  it('gives list and per-priority defaults in the syntax the variable takes, never as JSON', () => {
    const table = renderReadmeConfigTable();
    expect(table).toContain('| `FOLLOW_UP_CHECK_IN_HOURS` | 24 |');
    expect(table).toContain('| `SUPPORT_HOLIDAYS` | empty |');
    expect(table).toContain('| `SLA_POLICIES` | empty |');
    expect(table).not.toMatch(/^\| `[A-Za-z_]+` \| [[{]/m);
  });
});
