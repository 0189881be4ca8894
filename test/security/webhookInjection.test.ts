/**
 * Operator injection through a platform payload: ids from a webhook body become customer identities and
 * store filters, so only plain ids get through (an object such as {"$ne": ""} would match anyone's tickets).
 */
import { describe, expect, it } from 'vitest';
import { parseGraphWebhook } from '../../services/social/meta/graphWebhook';
import { parseAccountActivity } from '../../services/social/x/accountActivity';
import { fixture } from '../support/fixtures';

const BRAND = '2244994945';

describe('X Account Activity ids', () => {
  it('a DM whose sender or event id is an object, not an id, is skipped', () => {
    const body = fixture('x/account-activity-dm.json');
    const [event] = body.direct_message_events;
    const bySender = structuredClone(body);
    bySender.direct_message_events[0].message_create.sender_id = { $ne: '' };
    const byEventId = structuredClone(body);
    byEventId.direct_message_events[0].id = { $gt: '' };
    for (const hostile of [bySender, byEventId]) {
      const parsed = parseAccountActivity(hostile, BRAND);
      expect(parsed.directMessages).toEqual([]);
      expect(parsed.skipped).toBe(1);
    }
    // The genuine event still reads as a DM from its sender.
    expect(parseAccountActivity(body, BRAND).directMessages).toMatchObject([{ senderId: event.message_create.sender_id, eventId: event.id }]);
  });

  it('a mention whose author id or post id is an object, not an id, is skipped', () => {
    const body = fixture('x/account-activity-mention.json');
    const byAuthor = structuredClone(body);
    byAuthor.tweet_create_events[0].user.id_str = { $ne: null };
    const byPost = structuredClone(body);
    byPost.tweet_create_events[0].id_str = { $regex: '.*' };
    for (const hostile of [byAuthor, byPost]) expect(parseAccountActivity(hostile, BRAND).posts).toEqual([]);
    expect(parseAccountActivity(body, BRAND).posts).toHaveLength(1);
  });
});

describe('Meta Graph comment ids', () => {
  it("a Page or Instagram comment whose author id is an object, not an id, is skipped", () => {
    const brand = { pageId: '104857600123456', instagramAccountId: '17841400000000001' };
    for (const name of ['meta/page-feed-comment.json', 'meta/instagram-comment.json']) {
      const body = fixture(name);
      expect(parseGraphWebhook(body, brand).posts, name).toHaveLength(1);
      const hostile = structuredClone(body);
      hostile.entry[0].changes[0].value.from.id = { $ne: '' };
      expect(parseGraphWebhook(hostile, brand).posts, name).toEqual([]);
    }
  });
});
