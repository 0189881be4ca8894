/**
 * An attacker on the internet against the X webhook: the CRC answer is HMAC(consumer secret, crc_token), the
 * same primitive X signs POST bodies with, so the CRC door must never sign a body of the attacker's choosing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSocialApp, type SocialApp } from '../e2e/socialApp';

let social: SocialApp;
beforeAll(async () => {
  social = await startSocialApp();
});
afterAll(async () => social?.close());

/** A DM "from" Priya (id 6253282) asking for her tickets, small enough for any crc_token length limit. */
const FORGED_DM = JSON.stringify({
  for_user_id: '2244994945',
  direct_message_events: [{ type: 'message_create', id: '99', message_create: { target: { recipient_id: '2244994945' }, sender_id: '6253282', message_data: { text: 'status' } } }],
});

describe('the X CRC door', () => {
  it('refuses a crc_token that is a JSON body, so its answer cannot sign a forged webhook', async () => {
    const crc = await fetch(`${social.app.url}/api/social/x/webhook?crc_token=${encodeURIComponent(FORGED_DM)}`);
    expect(crc.status).toBe(400);
    const answer = (await crc.json()) as { response_token?: string };
    expect(answer.response_token).toBeUndefined();

    const before = social.dmTexts().length;
    const forged = await social.postX(JSON.parse(FORGED_DM), answer.response_token ?? 'sha256=');
    expect(forged.status).toBe(401);
    expect(social.dmTexts()).toHaveLength(before);
  });

  it('refuses crc_tokens with JSON or whitespace characters, and answers X-shaped ones', async () => {
    for (const token of ['{"a":1}', ' {}', '[1]', 'a b c d e f', 'short']) {
      expect((await fetch(`${social.app.url}/api/social/x/webhook?crc_token=${encodeURIComponent(token)}`)).status, token).toBe(400);
    }
    for (const token of ['9b4507b3-9040-4669-9ca3-6b94edb50553', 'MTIzNDU2Nzg5MDEyMzQ1Ng==']) {
      const answer = await fetch(`${social.app.url}/api/social/x/webhook?crc_token=${encodeURIComponent(token)}`);
      expect(answer.status, token).toBe(200);
      expect(((await answer.json()) as { response_token: string }).response_token).toMatch(/^sha256=[A-Za-z0-9+/]+=*$/);
    }
  });
});
