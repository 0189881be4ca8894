/** Starts the real app (real HTTP server, real store) on port 0 for end-to-end tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type App, type AppOverrides } from '../../index';
import { loadConfig } from '../../services/config';
import { silentLogger } from '../../services/log';
import { FakeChannel } from './fakeChannel';

export function tempDataDir(prefix = 'bot-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Environment variables as an operator would set them; defaults suit tests (port 0, no try-it page, quiet logs). */
export async function startTestApp(env: Record<string, string> = {}, overrides: AppOverrides = {}): Promise<App> {
  const config = loadConfig({ PORT: '0', LOCAL_TRY_IT: 'false', DATA_DIR: env.DATA_DIR ?? tempDataDir(), SHUTDOWN_GRACE_MS: '2000', ...env });
  return startApp(config, { logger: silentLogger, ...overrides });
}

/** The app plus a fake Bot Framework channel talking to its /api/messages; close() stops both. */
export async function startTestAppWithChannel(
  env: Record<string, string> = {},
  overrides: AppOverrides = {},
): Promise<{ app: App; channel: FakeChannel; close(): Promise<void> }> {
  const app = await startTestApp(env, overrides);
  const channel = await new FakeChannel().start(`${app.url}/api/messages`);
  return {
    app,
    channel,
    close: async () => {
      await channel.stop();
      await app.close();
    },
  };
}
