import { describe, expect, it } from 'vitest';
import { smsStatusCallbackUrl } from '../../services/http/smsStatusRoute';
import { smsStatusReportOf } from '../../services/followUps/smsDelivery';

const SID = `SM${'0123456789abcdef'.repeat(2)}`;

describe('the StatusCallback address given to Twilio', () => {
  it('is the public address plus /api/sms/status', () => {
    expect(smsStatusCallbackUrl('https://bot.acme.example')).toBe('https://bot.acme.example/api/sms/status');
  });

  it.each(['http://127.0.0.1:3978', 'http://localhost:3978', 'http://[::1]:3978', ''])('is left out for %j, which Twilio could never reach', (base) => {
    expect(smsStatusCallbackUrl(base)).toBeUndefined();
  });
});

describe('reading a delivery report', () => {
  it('takes the sid, the status in lower case and the error code', () => {
    expect(smsStatusReportOf([['MessageSid', SID], ['MessageStatus', 'Undelivered'], ['ErrorCode', '30003']])).toEqual({ messageSid: SID, status: 'undelivered', errorCode: 30003 });
  });

  it('falls back to the older SmsSid/SmsStatus names and leaves out an empty error code', () => {
    expect(smsStatusReportOf([['SmsSid', SID], ['SmsStatus', 'delivered'], ['ErrorCode', '']])).toEqual({ messageSid: SID, status: 'delivered' });
  });

  it.each([
    [[['MessageStatus', 'failed']]],
    [[['MessageSid', 'not-a-sid'], ['MessageStatus', 'failed']]],
    [[['MessageSid', SID]]],
    [[['MessageSid', SID], ['MessageStatus', 'failed'], ['ErrorCode', '3e4']]],
  ] as Array<[Array<[string, string]>]>)('refuses %j as VALIDATION_FAILED', (params) => {
    expect(() => smsStatusReportOf(params)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});
