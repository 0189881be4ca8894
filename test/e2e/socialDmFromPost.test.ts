/**
 * The DM that follows a public post, as the customer lives it over real HTTP (X webhook, loopback X API):
 * what the post already said is not asked again, and opening the DM link a second time is met kindly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../../services/tickets/types';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from './socialApp';

describe('the DM after a public post', () => {
  let social: SocialApp;
  beforeEach(async () => {
    social = await startSocialApp();
  });
  afterEach(() => social.close());

  /** Priya posts `text` and is answered; returns the prefilled DM text of the reply's link. */
  const priyaPosts = async (text: string): Promise<string> => {
    const body = webhookFixture('x/account-activity-mention.json');
    body.tweet_create_events[0].text = text;
    expect((await social.postX(body)).status).toBe(200);
    await social.xApi.waitFor(() => social.xApi.callsTo('POST', '/2/tweets').length === 1);
    const [reply] = social.xApi.callsTo('POST', '/2/tweets');
    expect(reply.body.text).not.toMatch(/priya@example\.com|AB-2024117/);
    return new URL(/https:\/\/x\.com\/messages\/compose\S+/.exec(reply.body.text)![0]).searchParams.get('text')!;
  };

  it('when the post gave the order number and an e-mail, then the DM asks for neither: it only asks whether that e-mail may be used', async () => {
    const prefilled = await priyaPosts('@AcmeSupport order AB-2024117 never arrived. Email me at priya@example.com');
    const opening = (await social.xDm(prefilled)).join('\n');
    expect(opening).toMatch(/I see your post on X/);
    expect(opening).not.toMatch(/order number\?|How can we reach you/);
    expect(opening).toMatch(/contact you at p•+a@example\.com/);
    expect((await social.xDm('yes')).join('\n')).toMatch(/Order number: AB-2024117[\s\S]*e-mail p•+a@example\.com[\s\S]*Shall I open the ticket\?/);
    const done = (await social.xDm('yes')).join('\n');
    const ref = /(CS-[A-Z0-9]{6})/.exec(done)?.[1];
    expect(ref, done).toBeDefined();
    const ticket = (await social.app.db.collection<Ticket>('tickets').findOne({ _id: ref! }))!;
    expect(ticket).toMatchObject({ orderNumber: 'AB-2024117', contact: { email: 'priya@example.com' } });
  });

  it('when the customer opens the same DM link again after the ticket was opened, then they hear their ticket is open, and the prefilled line is not added to it', async () => {
    const prefilled = await priyaPosts('@AcmeSupport SMS says my parcel was delivered. It wasn\'t. Order AB-2024117');
    await social.xDm(prefilled);
    let done = '';
    for (const answer of ['here only', 'yes']) done = (await social.xDm(answer)).join('\n');
    const ref = /(CS-[A-Z0-9]{6})/.exec(done)?.[1];
    expect(ref, done).toBeDefined();
    const before = JSON.stringify(await social.app.tickets.get(ref!));

    const again = (await social.xDm(prefilled)).join('\n');
    expect(again).toMatch(new RegExp(`Welcome back\\. Your post is with us as ticket ${ref}`));
    const after = await social.app.tickets.get(ref!);
    expect(JSON.stringify(after)).not.toMatch(/about my post|\(ref /);
    expect(JSON.stringify(after)).toBe(before);
  });
});
