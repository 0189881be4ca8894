/**
 * The same customer complains again in a new post after the once-per-author window, and opens the new post's
 * DM link in the conversation that already has a ticket. Real app over HTTP (signed X webhook, loopback X API),
 * NeDB, ManualClock: while the earlier ticket is active the new post goes onto it; once it is resolved, the new
 * post starts a new report as a first post does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock } from '../../services/clock';
import type { AuditRecord } from '../../services/tickets/audit';
import type { Ticket } from '../../services/tickets/types';
import { type SocialApp, startSocialApp } from './socialApp';

const FIRST_POST = '1226143262385778690';
const NEW_POST = '1226143262385800001';
const NEW_TEXT = '@AcmeSupport the replacement kettle for order AB-2024999 arrived broken too. Really fed up now';
const AGENT = { kind: 'agent' as const, id: 'agent-jo', name: 'Jo' };

describe('a new post from a customer whose DM already has a ticket', () => {
  let clock: ManualClock;
  let social: SocialApp;

  beforeEach(async () => {
    clock = new ManualClock(new Date());
    social = await startSocialApp({}, { clock });
  });
  afterEach(() => social.close());

  /** Priya posts `text` as post `id`; returns the prefilled DM text of the public reply's link. */
  const priyaPosts = async (id: string, text: string): Promise<string> => {
    const body = social.fresh('x/account-activity-mention.json');
    Object.assign(body.tweet_create_events[0], { id: Number(id), id_str: id, text });
    expect((await social.postX(body)).status).toBe(200);
    await social.xApi.waitFor(() => social.tweets().some((call) => call.body.reply.in_reply_to_tweet_id === id));
    const reply = social.tweets().find((call) => call.body.reply.in_reply_to_tweet_id === id)!;
    return new URL(/https:\/\/x\.com\/messages\/compose\S+/.exec(reply.body.text)![0]).searchParams.get('text')!;
  };
  const refIn = (text: string) => /(CS-[A-Z0-9]{6})/.exec(text)?.[1];
  /** The first complaint, its DM, and its ticket; then a day and more passes, and Priya posts again. */
  const ticketThenNewPost = async (): Promise<{ ref: string; prefilled: string }> => {
    await social.xDm(await priyaPosts(FIRST_POST, "@AcmeSupport SMS says my parcel was delivered. It wasn't. Order AB-2024117"));
    let done = '';
    for (const answer of ['here only', 'yes']) done = (await social.xDm(answer)).join('\n');
    const ref = refIn(done);
    expect(ref, done).toBeDefined();
    clock.advance(25 * HOUR);
    return { ref: ref!, prefilled: await priyaPosts(NEW_POST, NEW_TEXT) };
  };
  const tickets = () => social.app.db.collection<Ticket>('tickets');
  const notesOn = async (ref: string) =>
    (await social.app.db.collection<AuditRecord>('auditEvents').find({ ticketRef: ref, action: 'ticket.note_internal' })).map((event) => event.note ?? '');

  it('when the earlier ticket is still active, then the new post is added to it as an audited note, the customer hears so, and the post is marked as on that ticket', async () => {
    const { ref, prefilled } = await ticketThenNewPost();

    const answer = (await social.xDm(prefilled)).join('\n');
    expect(answer).toContain(`I've added your new post to ticket ${ref} — the team will see it`);
    expect(answer).not.toMatch(/I see your post|Shall I open/);
    const notes = await notesOn(ref);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(NEW_TEXT);
    expect(notes[0]).toContain(`https://x.com/priya_r/status/${NEW_POST}`);
    expect(await tickets().countDocuments({})).toBe(1);
    expect(await social.posts().findOne({ _id: `x:${NEW_POST}` })).toMatchObject({ ticketRef: ref, dmLinkedAt: expect.any(Date) });

    // The same link opened again: welcomed back, no second note.
    expect((await social.xDm(prefilled)).join('\n')).toContain(`Welcome back. Your post is with us as ticket ${ref}`);
    expect(await notesOn(ref)).toHaveLength(1);
  });

  it('when the earlier ticket was resolved, then the new post opens with its own context and becomes a new ticket with the order number from the post', async () => {
    const { ref, prefilled } = await ticketThenNewPost();
    await social.app.tickets.changeStatus(ref, 'resolved', AGENT);

    const opening = (await social.xDm(prefilled)).join('\n');
    expect(opening).toMatch(/I see your post on X about the damage \("the replacement kettle for order AB-2024999 arrived broken too\. Really…"\)/);
    const summary = (await social.xDm('here only')).join('\n');
    expect(summary).toMatch(/Order number: AB-2024999[\s\S]*Shall I open the ticket\?/);
    const done = (await social.xDm('yes')).join('\n');
    const newRef = refIn(done);
    expect(newRef, done).toBeDefined();
    expect(newRef).not.toBe(ref);

    const ticket = (await tickets().findOne({ _id: newRef! }))!;
    expect(ticket).toMatchObject({ orderNumber: 'AB-2024999', source: 'public_post', publicPost: { postId: NEW_POST, text: NEW_TEXT } });
    expect(ticket.description).toBe('the replacement kettle for order AB-2024999 arrived broken too. Really fed up now');
    expect((await tickets().findOne({ _id: ref }))!.status).toBe('resolved');
    expect(await notesOn(ref)).toHaveLength(0);
    await expect.poll(async () => (await social.posts().findOne({ _id: `x:${NEW_POST}` }))?.ticketRef).toBe(newRef);
  });
});
