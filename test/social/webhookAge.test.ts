/** The replay age rule, and the event times the parsers read from the platforms' samples (seconds vs milliseconds). */
import { describe, expect, it } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { silentLogger } from '../../services/log';
import { parseGraphWebhook } from '../../services/social/meta/graphWebhook';
import { parseInstagramMessaging } from '../../services/social/meta/instagramMessaging';
import { dedupeRetentionMs, fromMillis, fromSeconds, FUTURE_SKEW_MS, WebhookAge } from '../../services/social/webhookAge';
import { parseAccountActivity } from '../../services/social/x/accountActivity';
import { fixture } from '../support/fixtures';
import { datedAt } from './webhookBodies';

const BRAND = { pageId: '104857600123456', instagramAccountId: '17841400000000001' };

describe('the webhook age rule', () => {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const age = new WebhookAge({ maxAgeMs: 48 * HOUR, clock, logger: silentLogger });
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);

  it('handles events up to the limit, and a platform clock a little ahead of ours', () => {
    expect(age.verdict(ago(48 * HOUR))).toBe('fresh');
    expect(age.verdict(ago(-30_000))).toBe('fresh');
    expect(age.verdict(ago(-FUTURE_SKEW_MS))).toBe('fresh');
  });

  it('leaves alone events older than the limit, and events dated beyond the skew margin in the future', () => {
    expect(age.verdict(ago(48 * HOUR + 1))).toBe('stale');
    expect(age.verdict(ago(-FUTURE_SKEW_MS - MINUTE))).toBe('future');
  });

  it('judges an undated event fresh: it meets the id dedupe as before', () => {
    expect(age.verdict(undefined)).toBe('fresh');
  });

  it('remembers handled ids longer than any event that may still be handled, however far ahead its clock', () => {
    for (const hours of [1, 24, 48, 720]) expect(dedupeRetentionMs(hours * HOUR)).toBeGreaterThan(hours * HOUR + FUTURE_SKEW_MS);
  });
});

describe('event times read from the samples', () => {
  it('X: a DM by created_timestamp (ms), a post by timestamp_ms (ms) and created_at', () => {
    const dm = parseAccountActivity(fixture('x/account-activity-dm.json'), '2244994945').directMessages[0];
    expect(dm.eventAt?.toISOString()).toBe(new Date(1581182146557).toISOString());
    const post = parseAccountActivity(fixture('x/account-activity-mention.json'), '2244994945').posts[0];
    expect(post.eventAt?.toISOString()).toBe('2020-02-08T13:42:07.000Z');
  });

  it('X: an edited post carries the edit\'s own time', () => {
    const edited = datedAt(fixture('x/account-activity-mention.json'), new Date('2026-03-02T10:00:00Z'));
    Object.assign(edited.tweet_create_events[0], { id_str: '1226143262385778699', edit_history: { initial_tweet_id: '1226143262385778690', edit_tweet_ids: ['1226143262385778690', '1226143262385778699'] } });
    expect(parseAccountActivity(edited, '2244994945').edits[0].edit.eventAt?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('Meta comments: entry.time and created_time in seconds', () => {
    expect(parseGraphWebhook(fixture('meta/page-feed-comment.json'), BRAND).posts[0].eventAt?.getTime()).toBe(1581169400 * 1000);
    expect(parseGraphWebhook(fixture('meta/instagram-comment.json'), BRAND).posts[0].eventAt?.getTime()).toBe(1581169500 * 1000);
  });

  it("Meta: a comment's edit is dated by entry.time, not by the comment's own created_time", () => {
    const body = fixture('meta/page-feed-comment.json');
    body.entry[0].time = 1772445600;
    body.entry[0].changes[0].value.verb = 'edited';
    expect(parseGraphWebhook(body, BRAND).edits[0].eventAt?.getTime()).toBe(1772445600 * 1000);
  });

  it('a unit slip (milliseconds for seconds, or seconds for milliseconds) still dates the event right, never millennia away', () => {
    expect(fromSeconds(1581169400)?.toISOString()).toBe(fromSeconds(1581169400000)?.toISOString());
    expect(fromMillis(1581182146)?.getTime()).toBe(1581182146000);
    expect([fromSeconds('soon'), fromMillis({ $gt: 0 }), fromSeconds(-1), fromMillis(''), fromMillis(1e20)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('Instagram DMs: messaging[].timestamp in milliseconds', () => {
    expect(parseInstagramMessaging(fixture('meta/instagram-dm.json'), BRAND.instagramAccountId).directMessages[0].eventAt?.getTime()).toBe(1581169899000);
  });
});
