/** What a refused request leaves in the operator's logs: one short line, no stack, no credentials. */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { createLogger } from '../../services/log';
import { startTestApp } from '../support/testApp';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('request logs', () => {
  it("a client's mistake (404, malformed JSON) is logged as one line without a stack, and credentials sent with it are not logged", async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', redact: (text) => text, destination: { write: (line: string) => void lines.push(line) } });
    app = await startTestApp({}, { logger });
    const credentials = { authorization: 'Bearer tok-SECRET-123', 'x-api-key': 'key-SECRET-456', 'x-twilio-signature': 'sig-SECRET-789' };

    expect((await fetch(`${app.url}/wp-login.php`, { headers: credentials })).status).toBe(404);
    const malformed = await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { ...credentials, 'content-type': 'application/json' }, body: '{"type":' });
    expect(malformed.status).toBe(400);

    const refused = lines.filter((line) => line.includes('request failed'));
    expect(refused.map((line) => JSON.parse(line).status)).toEqual([404, 400]);
    for (const line of refused) expect(line).not.toContain('"stack"');
    expect(lines.join('\n')).not.toContain('SECRET');
  });
});
