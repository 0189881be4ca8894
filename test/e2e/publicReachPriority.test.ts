import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import type { OpenTicketInput } from '../../services/tickets/ticketService';
import { startTestApp } from '../support/testApp';

const customer = { kind: 'customer' as const, id: 'u1' };
const ticketFrom = (publicReach: number | undefined): OpenTicketInput => ({
  customer: { channelId: 'x', userId: `u-${publicReach ?? 'dm'}` },
  source: publicReach === undefined ? 'dm' : 'public_post',
  description: 'Where is my parcel? It was due on Monday.',
  ...(publicReach !== undefined && {
    publicPost: { platform: 'x', postId: `p${publicReach}`, text: 'Where is my parcel?', authorId: 'a', followers: publicReach, postedAt: new Date() },
  }),
});

describe('public reach in priority, as the operator configures it', () => {
  let app: App | undefined;
  afterEach(async () => app?.close());

  it('by default, a post with 50,000 followers gets the same priority as a DM with the same story', async () => {
    app = await startTestApp();
    const fromPost = await app.tickets.open(ticketFrom(50_000), customer);
    const fromDm = await app.tickets.open(ticketFrom(undefined), customer);
    expect(fromPost.priority).toBe(fromDm.priority);
  });

  it('with PUBLIC_REACH_PRIORITY_STEPS=1, reach past the threshold adds exactly one step, and a smaller reach none', async () => {
    app = await startTestApp({ PUBLIC_REACH_PRIORITY_STEPS: '1', PUBLIC_REACH_THRESHOLD: '20000' });
    expect((await app.tickets.open(ticketFrom(50_000), customer)).priority).toBe('high');
    expect((await app.tickets.open(ticketFrom(5_000), customer)).priority).toBe('normal');
  });
});
