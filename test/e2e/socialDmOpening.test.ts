/**
 * How the DM that follows a public post opens, and what the ticket it becomes says, over real HTTP (signed X
 * webhook, loopback X API, NeDB): the customer's own words quoted back to them in private, never in logs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../services/log';
import { createOrderNumberRecognizer, DEFAULT_ORDER_NUMBER_PATTERN } from '../../services/recognition/orderNumber';
import { redactCustomerText } from '../../services/recognition/customerDetails';
import type { Ticket } from '../../services/tickets/types';
import { type SocialApp, startSocialApp } from './socialApp';

const EMAIL = 'priya@example.com';
const ORDER = 'AB-2024117';

describe('the opening of the DM after a public post', () => {
  let social: SocialApp | undefined;
  afterEach(async () => {
    await social?.close();
    social = undefined;
  });

  /** Priya posts `text` and is answered in public; returns the prefilled DM text of the reply's link. */
  const priyaPosts = async (text: string): Promise<string> => {
    const body = social!.fresh('x/account-activity-mention.json');
    body.tweet_create_events[0].text = text;
    expect((await social!.postX(body)).status).toBe(200);
    await social!.xApi.waitFor(() => social!.xApi.callsTo('POST', '/2/tweets').length === 1);
    const [reply] = social!.xApi.callsTo('POST', '/2/tweets');
    expect(reply.body.text).not.toContain(EMAIL);
    expect(reply.body.text).not.toContain(ORDER);
    return new URL(/https:\/\/x\.com\/messages\/compose\S+/.exec(reply.body.text)![0]).searchParams.get('text')!;
  };

  it("when the author opens the DM link, then the opening quotes their own post without placeholders, and no log line carries the post's e-mail or order number", async () => {
    const lines: string[] = [];
    // Redaction switched off: the lines must not carry the DM's words at all, not merely rely on the safety net.
    const logger = createLogger({ level: 'debug', redact: (text) => text, destination: { write: (line: string) => void lines.push(line) } });
    social = await startSocialApp({}, { logger });
    const prefilled = await priyaPosts(`@AcmeSupport order ${ORDER} never arrived, email me ${EMAIL}`);

    const [opening] = await social.xDm(prefilled);
    expect(opening).toBe(
      `I see your post on X about your delivery ("order ${ORDER} never arrived, email me ${EMAIL}"). I'm sorry about this, let's sort it out here, privately, so you don't have to repeat the story.`,
    );
    for (const answer of ['yes', 'yes']) await social.xDm(answer);
    expect(lines.length).toBeGreaterThan(0);
    const logged = lines.join('\n');
    expect(logged).not.toContain(EMAIL);
    expect(logged).not.toContain(ORDER);
    expect(logged).not.toContain('I see your post');
  });

  it('when the post also reached the logs through the real redactor, then the opening still reads naturally and the logs hold only placeholders', async () => {
    const orders = createOrderNumberRecognizer(DEFAULT_ORDER_NUMBER_PATTERN);
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', redact: (text) => redactCustomerText(text, orders), destination: { write: (line: string) => void lines.push(line) } });
    social = await startSocialApp({}, { logger });
    const opening = (await social.xDm(await priyaPosts(`@AcmeSupport my parcel ${ORDER} came smashed, call me +447700900123`))).join('\n');
    expect(opening).toContain(`("my parcel ${ORDER} came smashed, call me +447700900123")`);
    expect(opening).not.toMatch(/\[(order|phone|email)\]/);
    expect(lines.join('\n')).not.toMatch(/AB-2024117|7700 ?900123/);
  });

  it('when the post opens with @mentions, then the ticket\'s "What happened" leaves them out, keeps a mention mid-text, and the post stays verbatim on the ticket', async () => {
    social = await startSocialApp();
    const post = `@AcmeSupport @AcmeHelp my parcel ${ORDER} never arrived, @DPD_UK says it was delivered`;
    const story = `my parcel ${ORDER} never arrived, @DPD_UK says it was delivered`;
    await social.xDm(await priyaPosts(post));
    const summary = (await social.xDm('here only')).join('\n');
    expect(summary).toContain(`What happened: "${story}"`);
    const done = (await social.xDm('yes')).join('\n');
    const ref = /(CS-[A-Z0-9]{6})/.exec(done)?.[1];
    expect(ref, done).toBeDefined();
    const ticket = (await social.app.db.collection<Ticket>('tickets').findOne({ _id: ref! }))!;
    expect(ticket.description).toBe(story);
    expect(ticket.publicPost?.text).toBe(post);
  });
});
