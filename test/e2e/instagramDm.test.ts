/**
 * Instagram DMs as a channel, over real HTTP: signed Instagram Messaging webhooks into the real app, a
 * loopback fake of the Graph API that records every call, the real store. Comment → Private Reply with an
 * ig.me link → DM → dialogs → ticket on channel `instagram`; agent replies and follow-ups reach it later.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import { OutcomeUnknownError } from '../../services/followUps/outcomeUnknown';
import { signMetaBody } from '../../services/social/meta/signature';
import type { Ticket } from '../../services/tickets/types';
import { API_KEY, postEvent } from '../followUps/support';
import type { FakePlatformApi, RecordedCall } from '../social/fakePlatformApi';
import { webhookFixture } from '../social/webhookBodies';
import { type SocialApp, startSocialApp } from './socialApp';

const ACCOUNT = '17841400000000001';
const SHOE_LOVER = '17841455555555555';
const STRANGER = '17841466666666666';
const COMMENT = '17865799348089039';
const TICKET_REF = /(CS-[A-Z0-9]{6})/;
const AGENT = { _id: 'agent-asha', email: 'asha@acme.example', name: 'Asha', role: 'agent' as const };

describe('Instagram DMs as a channel', () => {
  let app: App;
  let graph: FakePlatformApi;
  let postMeta: SocialApp['postMeta'];
  let posts: SocialApp['posts'];
  let close: () => Promise<void>;
  let seq = 0;

  beforeEach(async () => {
    ({ app, graph, postMeta, posts, close } = await startSocialApp({
      INSTAGRAM_USERNAME: 'acme',
      TICKET_EVENTS_API_KEY: API_KEY,
      FOLLOW_UP_SWEEP_MS: '0',
      // News goes at the next sweep (the suite sweeps right after the change).
      FOLLOW_UP_NEWS_SETTLE_SECONDS: '0',
      SOCIAL_API_TIMEOUT_MS: '300',
    }));
  });

  afterEach(async () => {
    await close();
  });

  /** Graph calls that sent an Instagram DM, to `to` only when given. */
  const dmCalls = (to?: string): RecordedCall[] => graph.callsTo('POST', `/${ACCOUNT}/messages`).filter((call) => !to || call.body.recipient?.id === to);
  const dmTexts = (to?: string) => dmCalls(to).map((call) => call.body.message.text as string);

  /** One Instagram Messaging webhook event (from the fixture's shape); returns the texts the bot sent back to the sender. */
  const send = async (event: Record<string, unknown>, from = SHOE_LOVER): Promise<string[]> => {
    const body = webhookFixture('meta/instagram-dm.json');
    body.entry[0].messaging[0] = { sender: { id: from }, recipient: { id: ACCOUNT }, timestamp: Date.now(), ...event };
    const before = dmTexts(from).length;
    const response = await postMeta(body);
    expect(response.status).toBe(200);
    return dmTexts(from).slice(before);
  };
  const says = (text: string, from = SHOE_LOVER) => send({ message: { mid: `m_${Date.now()}_${++seq}`, text } }, from);
  const opensLink = (ref: string, from = SHOE_LOVER) => {
    const body = webhookFixture('meta/instagram-dm-referral.json');
    return send({ referral: { ...body.entry[0].messaging[0].referral, ref } }, from);
  };

  /** Answers the dialog's questions until it opens a ticket; returns the ticket's reference. */
  const talkToATicket = async (first: string[], from = SHOE_LOVER): Promise<string> => {
    let said = first.join('\n');
    for (const answer of ['here only', 'yes', 'yes']) {
      if (TICKET_REF.test(said)) break;
      said = (await says(answer, from)).join('\n');
    }
    const ref = TICKET_REF.exec(said)?.[1];
    expect(ref, said).toBeDefined();
    return ref!;
  };

  it('when a customer DMs the brand on Instagram, then the whole dialog runs there, every reply goes to Graph /{account}/messages for that customer, and the ticket is on channel instagram', async () => {
    const fromFixture = webhookFixture('meta/instagram-dm.json');
    fromFixture.entry[0].messaging[0].message.text = 'My order AB-2024117 never arrived';
    expect((await postMeta(fromFixture)).status).toBe(200);
    expect(dmTexts(SHOE_LOVER).join('\n')).toMatch(/reach you/);
    const ref = await talkToATicket([]);

    const ticket = (await app.db.collection<Ticket>('tickets').findOne({ _id: ref }))!;
    expect(ticket.customer).toMatchObject({ channelId: 'instagram', userId: SHOE_LOVER });
    expect(ticket.conversation).toMatchObject({ channelId: 'instagram', conversationId: `${SHOE_LOVER}-${ACCOUNT}`, userId: SHOE_LOVER });
    expect(ticket.orderNumber).toBe('AB-2024117');
    for (const call of dmCalls()) {
      expect(call.body.recipient).toEqual({ id: SHOE_LOVER });
      expect(call.body.messaging_type).toBe('RESPONSE');
      expect(call.headers.authorization).toBe('Bearer page-token');
      expect([...call.body.message.text].length).toBeLessThanOrEqual(1000);
    }
    // Nothing went to Messenger's Page endpoint: Instagram DMs are sent from the Instagram account.
    expect(graph.callsTo('POST', '/104857600123456/messages')).toHaveLength(0);
  });

  it("when the bot offers choices, then they are Instagram quick replies (titles of 20 characters at most), and a tap answers with the whole choice", async () => {
    await says('hi', STRANGER);
    const conversation = (await app.directory.get('instagram', `${STRANGER}-${ACCOUNT}`))!;
    await app.sender.send(conversation, { text: 'What would you like to do?', idempotencyKey: 'menu-1', suggestions: ['Report a problem', "Check a ticket's status", 'Talk to a person'] });
    const menu = dmCalls(STRANGER).at(-1)!;
    expect(menu.body.message.text).toBe('What would you like to do?');
    const quickReplies = menu.body.message.quick_replies as Array<{ content_type: string; title: string; payload: string }>;
    expect(quickReplies.map((reply) => reply.payload)).toEqual(['Report a problem', "Check a ticket's status", 'Talk to a person']);
    for (const reply of quickReplies) {
      expect(reply.content_type).toBe('text');
      expect([...reply.title].length).toBeLessThanOrEqual(20);
    }
    const status = quickReplies[1];
    expect(status.title).not.toBe(status.payload);
    // Instagram sends the (shortened) title as the text and our payload beside it.
    const answer = await send({ message: { mid: `m_tap_${++seq}`, text: status.title, quick_reply: { payload: status.payload } } }, STRANGER);
    expect(answer.join('\n')).toMatch(/ticket/i);
    expect(await app.db.collection('transcripts').countDocuments({ direction: 'in', text: "Check a ticket's status" })).toBe(1);
  });

  it('when the commenter opens the ig.me link of the Private Reply, then the DM opens with the post and the ticket holds it; someone else with the same link sees nothing of it', async () => {
    const comment = webhookFixture('meta/instagram-comment.json');
    comment.entry[0].time = Math.floor(Date.now() / 1000);
    expect((await postMeta(comment)).status).toBe(200);
    await graph.waitFor(() => graph.callsTo('POST', '/104857600123456/messages').length === 1);
    const [privateReply] = graph.callsTo('POST', '/104857600123456/messages');
    expect(privateReply.body.recipient).toEqual({ comment_id: COMMENT });
    const link = new URL(/https:\/\/ig\.me\/m\/\S+/.exec(privateReply.body.message.text)![0]);
    expect(link.pathname).toBe('/m/acme');
    const token = link.searchParams.get('ref')!;

    const strangerSees = (await opensLink(token, STRANGER)).join('\n');
    expect(strangerSees).not.toMatch(/I see your post|trail runners|tracking/);
    expect((await posts().findOne({ _id: `instagram:${COMMENT}` }))!.dmLinkedAt).toBeUndefined();
    const strangerRef = await talkToATicket(await says('My order AB-2024999 is late', STRANGER), STRANGER);
    expect((await app.tickets.get(strangerRef))!.publicPost).toBeUndefined();

    const opening = await opensLink(token);
    expect(opening[0]).toMatch(/I see your post on Instagram/);
    expect(opening.join('\n')).toMatch(/order number/);
    const ref = await talkToATicket(await says('AB-2024117'));
    const ticket = (await app.tickets.get(ref))!;
    expect(ticket.source).toBe('public_post');
    expect(ticket.customer.channelId).toBe('instagram');
    expect(ticket.publicPost).toMatchObject({ platform: 'instagram', postId: COMMENT, authorId: SHOE_LOVER, authorHandle: 'shoe_lover_88' });
    const archived = await posts().findOne({ _id: `instagram:${COMMENT}` });
    expect(archived).toMatchObject({ ticketRef: ref });
    expect(archived!.dmLinkedAt).toBeInstanceOf(Date);
  });

  it('when the webhook brings echoes of our own messages, read receipts, reactions and deletions, then nothing runs and nothing is sent', async () => {
    const mid = 'm_already_seen';
    const events = [
      { message: { mid: 'm_echo', text: 'Hi! I am the automated assistant', is_echo: true } },
      { sender: { id: ACCOUNT }, recipient: { id: SHOE_LOVER }, message: { mid: 'm_ours', text: 'Sent from the Instagram app by the team' } },
      { read: { mid } },
      { reaction: { mid, action: 'react', reaction: 'love', emoji: '❤️' } },
      { message: { mid, is_deleted: true } },
    ];
    const body = webhookFixture('meta/instagram-dm.json');
    body.entry[0].messaging = events.map((event) => ({ sender: { id: SHOE_LOVER }, recipient: { id: ACCOUNT }, timestamp: Date.now(), ...event }));
    const response = await postMeta(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ directMessages: 0, ignored: { echo: 2, read: 1, reaction: 1, deleted: 1 } });
    expect(graph.calls).toHaveLength(0);
    expect(await app.db.collection('transcripts').countDocuments({})).toBe(0);
    expect(await app.directory.get('instagram', `${SHOE_LOVER}-${ACCOUNT}`)).toBeNull();
  });

  it('when Meta redelivers a message (same mid), then it is answered once and recorded once', async () => {
    const body = webhookFixture('meta/instagram-dm.json');
    body.entry[0].messaging[0].timestamp = Date.now();
    expect((await postMeta(body)).status).toBe(200);
    const answered = dmCalls().length;
    expect(answered).toBeGreaterThan(0);
    expect((await postMeta(body)).status).toBe(200);
    expect(dmCalls()).toHaveLength(answered);
    expect(await app.db.collection('transcripts').countDocuments({ direction: 'in' })).toBe(1);
  });

  it('refuses an Instagram DM with a forged signature (401) and runs nothing; the same DM correctly signed is answered', async () => {
    const body = webhookFixture('meta/instagram-dm.json');
    expect((await postMeta(body, signMetaBody('not-the-app-secret', JSON.stringify(body)))).status).toBe(401);
    expect((await postMeta(body, 'sha256=00')).status).toBe(401);
    expect(graph.calls).toHaveLength(0);
    expect(await app.db.collection('transcripts').countDocuments({})).toBe(0);
    expect((await postMeta(body)).status).toBe(200);
    expect(dmCalls(SHOE_LOVER).length).toBeGreaterThan(0);
  });

  it("when an agent answers and a follow-up goes out, then both reach the customer's Instagram conversation, and a 1500-character reply arrives as two messages split at a sentence", async () => {
    const ref = await talkToATicket(await says('My order AB-2024117 never arrived'));

    await app.agents.takeover.claim(ref, AGENT);
    await app.agents.takeover.reply(ref, AGENT, 'Hi, Asha here. I have asked the courier.', 'c1');
    expect(dmTexts(SHOE_LOVER).at(-1)).toBe('Hi, Asha here. I have asked the courier.');

    const sentence = 'The courier confirmed that your parcel left the depot this morning and is on its way. ';
    const long = sentence.repeat(Math.ceil(1500 / sentence.length)).slice(0, 1500).trim();
    const before = dmCalls().length;
    await app.agents.takeover.reply(ref, AGENT, long, 'c2');
    const parts = dmTexts(SHOE_LOVER).slice(before);
    expect(parts).toHaveLength(2);
    for (const part of parts) expect([...part].length).toBeLessThanOrEqual(1000);
    expect(parts[0]).toMatch(/way\.$/);
    expect(parts.join(' ')).toBe(long);

    await app.agents.takeover.handBack(ref, AGENT);
    expect((await postEvent(app, ref, { status: 'in_progress', publicNote: 'The courier is on it.' })).status).toBe(200);
    const beforeFollowUp = dmCalls().length;
    expect(await app.followUps.sweepOnce()).toMatchObject({ sent: 1 });
    const [update] = dmTexts(SHOE_LOVER).slice(beforeFollowUp);
    expect(update).toContain(`Update on your ticket ${ref}`);
    expect(dmCalls().slice(beforeFollowUp).every((call) => call.body.recipient.id === SHOE_LOVER)).toBe(true);
  });

  it('when Graph does not answer a send in time, then the message is not sent again and the caller is told the outcome is unknown', async () => {
    const ref = await talkToATicket(await says('My order AB-2024117 never arrived'));
    const ticket = (await app.tickets.get(ref))!;
    graph.answerNext('POST', `/${ACCOUNT}/messages`, { status: 200, body: { message_id: 'late' }, delayMs: 1_000 });
    const before = dmCalls().length;
    await expect(app.sender.send(ticket.conversation!, { text: 'Your refund is on its way.', idempotencyKey: 'refund-1' })).rejects.toBeInstanceOf(OutcomeUnknownError);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(dmCalls().length - before).toBe(1);
  });
});
