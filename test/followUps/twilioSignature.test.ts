/** The signature check against Twilio's published example, so neither the app nor the tests' signer only agree with each other. */
import { describe, expect, it } from 'vitest';
import { verifyTwilioSignature } from '../../services/followUps/twilioSignature';
import { twilioSignature } from './twilioWebhook';

// Twilio's documented example (webhooks security): auth token, URL with a query, five POST parameters.
const TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };
const PUBLISHED = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('X-Twilio-Signature', () => {
  it('the tests\' own signer reproduces Twilio\'s published example', () => {
    expect(twilioSignature(TOKEN, URL, PARAMS)).toBe(PUBLISHED);
  });

  it('accepts the published example whatever order the fields came in', () => {
    const shuffled = Object.entries(PARAMS).reverse();
    expect(verifyTwilioSignature(TOKEN, URL, shuffled, PUBLISHED)).toBe(true);
  });

  it('refuses a changed field, another URL, another token, a missing header and a header with junk after the digest', () => {
    const fields = Object.entries(PARAMS);
    expect(verifyTwilioSignature(TOKEN, URL, fields.map(([name, value]) => [name, name === 'Digits' ? '9999' : value] as const), PUBLISHED)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, 'https://mycompany.com/myapp.php?foo=1', fields, PUBLISHED)).toBe(false);
    expect(verifyTwilioSignature('54321', URL, fields, PUBLISHED)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, fields, undefined)).toBe(false);
    expect(verifyTwilioSignature(TOKEN, URL, fields, `${PUBLISHED}!!`)).toBe(false);
    expect(verifyTwilioSignature('', URL, fields, PUBLISHED)).toBe(false);
  });
});
