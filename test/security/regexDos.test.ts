/**
 * Regular-expression denial of service: text a customer controls (a DM around a DM-link token, an e-mail body)
 * goes through patterns tried at every position. Each case below took seconds to minutes before (quadratic
 * backtracking, blocking every conversation meanwhile) and now reads 150 KB in linear time. The assertions are
 * about the result; a regression shows as the test exceeding vitest's default timeout.
 */
import { describe, expect, it } from 'vitest';
import { withoutToken } from '../../bots/dmLinkInterceptor';
import { splitMail } from '../../services/recognition/mailText';

const SIZE = 150_000;
const TOKEN = 'AbCdEfGhIjKl.mabcd.AbCdEfGhIjKlMnOpQrStUv';

describe('customer text that used to backtrack', () => {
  it('a DM with a token-shaped string after a long run of spaces loses the token and keeps the words', () => {
    expect(withoutToken(`${' '.repeat(SIZE)}parcel AB-1 (ref ${TOKEN})${'\t'.repeat(SIZE)}!`)).toBe('parcel AB-1 !');
    expect(withoutToken(`Hi Acme,   about my post (ref ${TOKEN})  order AB-1\n\nthanks`)).toBe('Hi Acme, order AB-1 thanks');
  });

  it('an e-mail line of spaces or tabs ending in a character is tidied, not backtracked over', () => {
    expect(splitMail(`${' '.repeat(SIZE)}x\nMy parcel never came`).body).toBe('x\nMy parcel never came');
    expect(splitMail(`${'\t'.repeat(SIZE)}!`).body).toBe('!');
    expect(splitMail(`My parcel${' '.repeat(SIZE)}x${'\t'.repeat(SIZE)}`).body).toBe(`My parcel${' '.repeat(SIZE)}x`);
  });

  it('an e-mail line "On wrote wrote wrote …" is not read as an attribution, and short real ones still are', () => {
    const hostile = `On ${'wrote '.repeat(SIZE / 6)}`;
    expect(splitMail(hostile).body).toBe(hostile.trim());
    expect(splitMail('Still waiting.\n\nOn Mon, 2 Mar 2026 at 10:00, Acme <care@acme.example> wrote:\n> Your ticket is CS-7K3M9Q').body).toBe('Still waiting.');
  });
});
