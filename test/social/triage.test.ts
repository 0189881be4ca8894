import { describe, expect, it } from 'vitest';
import { DEFAULT_TRIAGE_RULES, rulesWithExtras, Triage } from '../../services/social/triage';
import type { PublicPost } from '../../services/social/types';
import { fixture } from '../support/fixtures';

const triage = new Triage(DEFAULT_TRIAGE_RULES, { brandIds: ['2244994945', '104857600123456'], brandHandles: ['acmesupport', 'acme'] });
const post = (text: string, extra: Partial<PublicPost> = {}): PublicPost => ({ platform: 'x', postId: '1', text, authorId: '6253282', postedAt: new Date(), ...extra });

describe('triage of public posts', () => {
  it.each([
    ['x mention', fixture('x/account-activity-mention.json').tweet_create_events[0].text, /complaint about delivery, order/],
    ['x mentions poll', fixture('x/mentions-v2.json').data[0].text, /complaint/],
    ['facebook comment', fixture('meta/page-feed-comment.json').entry[0].changes[0].value.message, /complaint about delivery, damage/],
    ['instagram comment', fixture('meta/instagram-comment.json').entry[0].changes[0].value.text, /complaint about delivery, order/],
  ])('the %s fixture needs care, with the reason in words', (_name, text, reason) => {
    const result = triage.decide(post(text, { onBrandSurface: true }));
    expect(result.decision).toBe('needs_care');
    expect(result.reason).toMatch(reason);
  });

  it('records negative sentiment for a complaint and positive for thanks', () => {
    expect(triage.decide(post('@AcmeSupport my parcel arrived smashed, terrible service')).sentiment.score).toBeLessThan(0);
    const thanks = triage.decide(post('Thanks @AcmeSupport, parcel arrived early and I love it!'));
    expect(thanks).toMatchObject({ decision: 'praise' });
    expect(thanks.sentiment.score).toBeGreaterThan(0);
  });

  it.each([
    ['a retweet', 'RT @someone: @AcmeSupport lost my parcel', {}, /repost/],
    ['spam', '@AcmeSupport WIN A FREE phone, click here', {}, /spam/],
    ["the brand's own post", 'We are sorry for the delays today', { authorId: '2244994945' }, /own post/],
    ['a post not addressed to the brand', 'my parcel never arrived, worst courier ever', {}, /not addressed/],
    ['a plain remark', '@AcmeSupport see you at the expo', {}, /nothing to act on/],
  ])('%s is noise', (_name, text, extra, reason) => {
    const result = triage.decide(post(text, extra));
    expect(result.decision).toBe('noise');
    expect(result.reason).toMatch(reason);
  });

  it('treats a question about an order as needing care', () => {
    expect(triage.decide(post('@AcmeSupport when will my order ship?')).decision).toBe('needs_care');
  });

  it('takes extra words from configuration', () => {
    const custom = new Triage(rulesWithExtras({ complaint: ['meh'], products: ['rocket skates'] }), { brandIds: [], brandHandles: ['acme'] });
    const result = custom.decide(post('@acme the rocket skates are meh'));
    expect(result.decision).toBe('needs_care');
    expect(result.topics.products).toEqual(['rocket skates']);
  });

  it('records hashtags as topics', () => {
    expect(triage.decide(post('@AcmeSupport where is my parcel #LateAgain')).topics.hashtags).toEqual(['lateagain']);
  });
});
