/** Triage of posts as customers really write them: sarcasm, thanks that name a problem, other languages, emoji, requests. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRIAGE_RULES, Triage } from '../../services/social/triage';
import type { PublicPost } from '../../services/social/types';

const triage = new Triage(DEFAULT_TRIAGE_RULES, { brandIds: ['2244994945'], brandHandles: ['acmesupport', 'acme'] });
const post = (text: string, extra: Partial<PublicPost> = {}): PublicPost => ({ platform: 'x', postId: '1', text, authorId: '6253282', postedAt: new Date(), onBrandSurface: true, ...extra });

describe('triage of realistic posts', () => {
  it.each([
    ['sarcastic praise with an upside-down face', 'great job losing my parcel again 🙃', /sarcasm/],
    ['"thanks for nothing"', 'thanks for nothing', /sarcasm \(thanks for nothing\)/],
    ['praise words around a failure repeating for days', 'love how my package is out for delivery for the 5th day. amazing.', /sarcasm about delivery/],
    ['emoji-only anger', '😡😡😡', /upset emoji/],
    ['emoji-only distress about a parcel', '📦❌😭', /upset emoji/],
    ['a request to be called, with a phone and an order number', 'please call me on 07700 900123 about order AB-2024117', /request about order \(call me\)/],
    ['a log-in problem', "I can't log in to my account", /complaint about account/],
    ['a log-in problem with a typographic apostrophe', 'I can’t log in to my account', /complaint about account/],
    ['an app that keeps crashing', 'your app keeps crashing', /complaint about account \(crashing\)/],
    ['a wish to cancel', 'I want to cancel my subscription', /request about account \(cancel\)/],
  ])('%s needs care', (_name, text, reason) => {
    const result = triage.decide(post(text));
    expect(result.decision).toBe('needs_care');
    expect(result.reason).toMatch(reason);
    expect(result.forPerson).toBeUndefined();
  });

  it.each([
    ['Spanish', 'mi pedido nunca llegó y nadie responde. Pésimo servicio', undefined],
    ['German', 'Mein Paket ist nie angekommen!!', undefined],
    ['Chinese', '我的包裹丢了', undefined],
    ['Spanish', '¿dónde está mi pedido?', 'es'],
    ['French', 'Mon colis n’est jamais arrivé, toujours rien', undefined],
    ['Portuguese', 'meu pedido nunca chegou', 'pt'],
    ['Italian', 'il mio pacco non è mai arrivato, vergogna', undefined],
    ['Japanese', '荷物が届かない', undefined],
  ])('a complaint in %s needs care and is marked for a person, not an English bot reply: %s', (language, text, tag) => {
    const result = triage.decide(post(text, tag ? { language: tag } : {}));
    expect(result.decision).toBe('needs_care');
    expect(result.forPerson).toBe(`written in ${language}`);
    expect(result.reason).toMatch(new RegExp(`in ${language}: for a person`));
  });

  it('a question in a language the rules do not know still goes to a person when the platform tags it', () => {
    const result = triage.decide(post('@AcmeSupport waar is mijn pakket?', { language: 'nl' }));
    expect(result).toMatchObject({ decision: 'needs_care', forPerson: 'written in nl' });
  });

  it.each([
    ['a thank-you that names the refund', '@AcmeSupport thank you so much for sorting my refund!', /thanks for sorting it/],
    ['plain praise', 'Thanks @AcmeSupport, parcel arrived early and I love it!', /thanks\/praise/],
    ['"love how" meant kindly', 'I love how quickly you sorted my refund, thank you!', /thanks for sorting it/],
    ['English praise with a word that is also German', 'super fast delivery, thanks!', /thanks\/praise/],
    ['happy tears with praise', 'great service, thanks! 😭❤️', /thanks\/praise/],
    ['thanks in Spanish', 'gracias @AcmeSupport, todo perfecto', /thanks\/praise \(gracias\)/],
  ])('%s is praise, so it gets no apology', (_name, text, reason) => {
    const result = triage.decide(post(text));
    expect(result.decision).toBe('praise');
    expect(result.reason).toMatch(reason);
  });

  it.each([
    ['thanks for one fix with a problem still open', 'thank you for sorting my refund, but the parcel is still missing'],
    ['thanks for a fix that broke again', 'thanks for fixing the app, crashing again already'],
  ])('%s still needs care', (_name, text) => {
    expect(triage.decide(post(text)).decision).toBe('needs_care');
  });

  it.each([
    ['a giveaway with sad emoji', '@AcmeSupport WIN A FREE phone 😭 click here', {}],
    ['a retweet of an angry post', 'RT @someone: 😡😡😡', {}],
    ['angry emoji not addressed to the brand', '😡😡😡', { onBrandSurface: false }],
    ['a Spanish giveaway', '@AcmeSupport sorteo gratis, click here', {}],
  ])('%s is noise', (_name, text, extra) => {
    expect(triage.decide(post(text, extra)).decision).toBe('noise');
  });

  it('an English complaint tagged English is answered by the bot', () => {
    const result = triage.decide(post('@AcmeSupport my parcel never arrived', { language: 'en' }));
    expect(result).toMatchObject({ decision: 'needs_care' });
    expect(result.forPerson).toBeUndefined();
  });
});
