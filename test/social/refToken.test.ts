import { describe, expect, it } from 'vitest';
import { newLinkId, RefTokens } from '../../services/social/refToken';

const HOUR = 3_600_000;
const now = new Date('2026-03-02T10:00:00Z');

describe('DM-link reference tokens', () => {
  const tokens = new RefTokens('a-server-secret-long-enough', 24 * HOUR);
  const linkId = newLinkId();

  it('verifies its own token until it expires, then not', () => {
    const token = tokens.sign(linkId, now);
    expect(tokens.verify(token, now)).toBe(linkId);
    expect(tokens.verify(token, new Date(now.getTime() + 23 * HOUR))).toBe(linkId);
    expect(tokens.verify(token, new Date(now.getTime() + 25 * HOUR))).toBeUndefined();
  });

  it('refuses a token signed with another secret, or with any part changed', () => {
    const token = tokens.sign(linkId, now);
    expect(new RefTokens('another-secret-long-enough!', 24 * HOUR).verify(token, now)).toBeUndefined();
    const [id, expires, signature] = token.split('.');
    const laterExpiry = (parseInt(expires, 36) + 86_400 * 30).toString(36);
    expect(tokens.verify(`${id}.${laterExpiry}.${signature}`, now)).toBeUndefined();
    expect(tokens.verify(`${newLinkId()}.${expires}.${signature}`, now)).toBeUndefined();
    expect(tokens.verify(`${id}.${expires}.${signature.slice(0, -2)}AA`, now)).toBeUndefined();
    expect(tokens.verify('', now)).toBeUndefined();
    expect(tokens.verify('garbage', now)).toBeUndefined();
    expect(tokens.verify(`${token} extra`, now)).toBeUndefined();
  });

  it('carries nothing but a random link id, an expiry and a signature, in characters Messenger accepts in ref', () => {
    const token = tokens.sign(linkId, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{12}\.[0-9a-z]+\.[A-Za-z0-9_-]{22}$/);
    expect(token.length).toBeLessThan(60);
  });

  it('finds a token inside a prefilled DM the customer typed around', () => {
    const token = tokens.sign(linkId, now);
    expect(RefTokens.find(`Hi Acme, about my post (ref ${token}) it's still missing`)).toBe(token);
    expect(RefTokens.find('no token here')).toBeUndefined();
  });

  it('refuses a short secret', () => {
    expect(() => new RefTokens('short', HOUR)).toThrow(/16/);
  });
});
