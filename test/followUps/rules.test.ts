import { describe, expect, it } from 'vitest';
import { parseRating } from '../../services/followUps/replyReading';
import { HOUR } from '../../services/clock';
import { isQuiet, quietEndsAt, safeTimeZone } from '../../services/followUps/quietHours';
import { dmWindow, RETIRED_MESSAGE_TAGS } from '../../services/followUps/windows';

const now = new Date('2026-05-01T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);

describe('channel windows', () => {
  it.each([
    ['facebook', 23, 'automated', true],
    ['facebook', 25, 'automated', false],
    ['facebook', 25, 'human', true],
    ['facebook', 24 * 7 + 1, 'human', false],
    ['instagram', 25, 'automated', false],
    ['emulator', 24 * 30, 'automated', true],
    ['msteams', 24 * 30, 'automated', true],
  ] as const)('on %s, %i h after the last customer message, a %s message may be sent: %s', (channelId, hours, author, open) => {
    expect(dmWindow({ channelId, lastCustomerMessageAt: ago(hours), now, author }).open).toBe(open);
  });

  it('uses HUMAN_AGENT only for a human reply past 24 h, and never a retired tag', () => {
    expect(dmWindow({ channelId: 'facebook', lastCustomerMessageAt: ago(30), now, author: 'human' })).toEqual({ open: true, tag: 'HUMAN_AGENT' });
    expect(dmWindow({ channelId: 'facebook', lastCustomerMessageAt: ago(1), now, author: 'human' })).toEqual({ open: true });
    expect(RETIRED_MESSAGE_TAGS.tags).toContain('POST_PURCHASE_UPDATE');
  });

  it('treats an unknown last message time on Messenger as closed', () => {
    expect(dmWindow({ channelId: 'facebook', now, author: 'automated' }).open).toBe(false);
  });
});

describe('quiet hours', () => {
  const quiet = { startHour: 21, endHour: 8 };

  it('are read in the customer\'s own zone', () => {
    expect(isQuiet(new Date('2026-03-02T17:00:00Z'), 'Asia/Kolkata', quiet)).toBe(true); // 22:30
    expect(isQuiet(new Date('2026-03-02T17:00:00Z'), 'Europe/London', quiet)).toBe(false); // 17:00
    expect(isQuiet(new Date('2026-03-02T07:59:00Z'), 'UTC', quiet)).toBe(true);
    expect(isQuiet(new Date('2026-03-02T08:00:00Z'), 'UTC', quiet)).toBe(false);
  });

  it('end at the local end hour, also across a daylight-saving change', () => {
    expect(quietEndsAt(new Date('2026-03-02T17:00:00Z'), 'Asia/Kolkata', quiet)).toEqual(new Date('2026-03-03T02:30:00Z'));
    // Europe/London moves to summer time on 29 March 2026: 08:00 local is 07:00 UTC that morning.
    expect(quietEndsAt(new Date('2026-03-28T22:00:00Z'), 'Europe/London', quiet)).toEqual(new Date('2026-03-29T07:00:00Z'));
  });

  it('are off when start equals end, and a bad zone falls back', () => {
    expect(isQuiet(new Date('2026-03-02T02:00:00Z'), 'UTC', { startHour: 0, endHour: 0 })).toBe(false);
    expect(safeTimeZone('Mars/Olympus', 'Europe/Paris')).toBe('Europe/Paris');
    expect(safeTimeZone(undefined, '')).toBe('UTC');
  });
});

describe('satisfaction answers', () => {
  it.each([
    ['5', { score: 5 }],
    ['4 - quick and kind', { score: 4, comment: 'quick and kind' }],
    ['3/5 ok I guess', { score: 3, comment: 'ok I guess' }],
    ['⭐⭐⭐⭐', { score: 4 }],
    ['2. Took too long', { score: 2, comment: 'Took too long' }],
  ])('reads "%s"', (text, expected) => {
    expect(parseRating(text)).toEqual(expected);
  });

  it.each(['6', '0', 'great', '12345', '5th of March', '11/10'])('does not read "%s" as a rating', (text) => {
    expect(parseRating(text)).toBeUndefined();
  });
});
