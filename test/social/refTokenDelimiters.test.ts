/**
 * Every link id the server can generate must give a token that verifies and is found in a DM's text,
 * including ids starting or ending with "-" or "_" (base64url draws them in 1 of 32 positions each).
 */
import { describe, expect, it } from 'vitest';
import { withoutToken } from '../../bots/dmLinkInterceptor';
import { xDmLink } from '../../services/social/publicReply';
import { newLinkId, RefTokens } from '../../services/social/refToken';

const HOUR = 3_600_000;
const now = new Date('2026-03-02T10:00:00Z');
const tokens = new RefTokens('a-server-secret-long-enough', 24 * HOUR);

const EDGE_IDS = ['-bcdefghijkl', '_bcdefghijkl', 'abcdefghijk-', 'abcdefghijk_', '------------', '____________', '-_-_-_-_-_-_', 'a-b_c-d_e-f_'];

/** What the customer's DM says after opening the public reply's compose link. */
function prefilledText(token: string): string {
  return new URL(xDmLink('2244994945', 'Acme', token)).searchParams.get('text')!;
}

describe('DM-link tokens for every possible link id', () => {
  it('signs, verifies and finds a token whose link id starts or ends with "-" or "_"', () => {
    for (const linkId of EDGE_IDS) {
      const token = tokens.sign(linkId, now);
      expect(tokens.verify(token, now), linkId).toBe(linkId);
      expect(RefTokens.find(`Hi Acme, about my post (ref ${token})`), linkId).toBe(token);
      expect(RefTokens.find(prefilledText(token)), linkId).toBe(token);
      expect(RefTokens.find(`ref:${token} still missing`), linkId).toBe(token);
    }
  });

  it('verifies and finds the token of every one of 5,000 generated link ids, and strips it from the DM text', () => {
    let edgy = 0;
    for (let i = 0; i < 5_000; i++) {
      const linkId = newLinkId();
      if (/^[-_]|[-_]$/.test(linkId)) edgy++;
      const token = tokens.sign(linkId, now);
      expect(tokens.verify(token, now), linkId).toBe(linkId);
      const dm = `${prefilledText(token)} Order AB-2024117`;
      expect(RefTokens.find(dm), linkId).toBe(token);
      expect(withoutToken(dm), linkId).toBe('Hi Acme, Order AB-2024117');
    }
    // The sample really covered the edge: about 1 id in 16 starts or ends with "-" or "_".
    expect(edgy).toBeGreaterThan(100);
  });

  it('does not find a token glued to other token characters on either side', () => {
    const token = tokens.sign('-bcdefghijkl', now);
    expect(RefTokens.find(`x${token}`)).toBeUndefined();
    expect(RefTokens.find(`${token}-`)).toBeUndefined();
    expect(tokens.verify(` ${token} `, now)).toBe('-bcdefghijkl');
  });
});
