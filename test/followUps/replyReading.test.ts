import { describe, expect, it } from 'vitest';
import { asksWhenReply, isAcknowledgement, parseRating, saysStillAProblem } from '../../services/followUps/replyReading';

describe('reading a satisfaction score', () => {
  it.each<[string, { score: number; comment?: string }]>([
    ['five stars', { score: 5 }],
    ['Four', { score: 4 }],
    ['4 stars', { score: 4 }],
    ['4.5', { score: 5 }],
    ['3.5 - ok', { score: 4, comment: 'ok' }],
    ['10/10', { score: 5 }],
    ['10 out of 10', { score: 5 }],
    ['7/10 slow but fine', { score: 4, comment: 'slow but fine' }],
    ['1/10', { score: 1 }],
    ['0/10', { score: 1 }],
    ['I would give it a 4', { score: 4 }],
    ["I'd give you 5 stars", { score: 5 }],
    ['my rating is 2', { score: 2 }],
    ['⭐️⭐️⭐️⭐️', { score: 4 }],
    ['⭐️⭐️⭐️⭐️⭐️ lovely', { score: 5, comment: 'lovely' }],
    ['5!!! thanks so much', { score: 5, comment: 'thanks so much' }],
    ['1.5', { score: 2 }],
  ])('reads "%s" as %o', (text, expected) => {
    expect(parseRating(text)).toEqual(expected);
  });

  it.each(['6', '0', '11/10', '6/5', 'great', '12345', '5th of March it came', '4.5.2'])('does not read "%s" as a score', (text) => {
    expect(parseRating(text)).toBeUndefined();
  });
});

describe('reading the customer\'s other replies', () => {
  it.each(['thanks', 'ok', 'great', '👍', '👍🏽', 'thank you so much!', 'ok thanks for letting me know', 'Cheers!', 'cool, thx'])('"%s" is an acknowledgement', (text) => {
    expect(isAcknowledgement(text)).toBe(true);
  });

  it.each(['also the box was wet', 'thanks but it is still broken', 'you', 'ok so the box was wet', '?'])('"%s" is not an acknowledgement', (text) => {
    expect(isAcknowledgement(text)).toBe(false);
  });

  it.each(['when will you reply?', 'how long will this take?', 'When will someone get back to me', 'is anyone there?', 'how much longer'])('"%s" asks when we reply', (text) => {
    expect(asksWhenReply(text)).toBe(true);
  });

  it.each(['when I opened the box it was wet', 'the courier was rude'])('"%s" does not ask when we reply', (text) => {
    expect(asksWhenReply(text)).toBe(false);
  });

  it.each(["no it's still broken", 'not fixed', 'never arrived', "didn't work", 'It arrived but the box is empty', 'the refund never came'])('"%s" says the problem is still there', (text) => {
    expect(saysStillAProblem(text)).toBe(true);
  });

  it.each(['good', 'it was ok i guess', 'meh', 'yes', '👍', 'thank you so much, great service', 'not bad at all', 'no problems, thanks'])('"%s" does not', (text) => {
    expect(saysStillAProblem(text)).toBe(false);
  });
});
