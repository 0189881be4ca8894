/** Logs are read by more people than the console: credentials and webhook signatures never reach them. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../services/log';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', redact: (text) => text, destination: new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) }) });
  return { logger, text: () => lines.join('') };
}

describe('log redaction of credentials', () => {
  it('when request headers are logged, cookies, API keys, CSRF tokens and webhook signatures are censored', () => {
    const { logger, text } = capture();
    const secrets = {
      authorization: 'Bearer sct_live-token-AAAA',
      cookie: 'sc_agent=session-BBBB',
      'set-cookie': 'sc_agent=session-CCCC; HttpOnly',
      'x-api-key': 'events-key-DDDD',
      'x-csrf-token': 'csrf-EEEE',
      'x-hub-signature-256': 'sha256=ffff0000meta',
      'x-twitter-webhooks-signature': 'sha256=GGGGxsig=',
      'x-twilio-signature': 'HHHHtwilio=',
    };
    logger.warn({ req: { method: 'POST', url: '/api/social/meta/webhook', headers: { ...secrets, 'content-type': 'application/json' } } }, 'request failed');
    logger.info({ result: { csrfToken: 'csrf-IIII', token: 'sct_JJJJ' } }, 'signed in');
    const logged = text();
    for (const value of [...Object.values(secrets), 'csrf-IIII', 'sct_JJJJ']) expect(logged).not.toContain(value);
    expect(logged).toContain('application/json');
    expect(logged).toContain('/api/social/meta/webhook');
  });
});
