import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { CrisisService, type CrisisMode } from '../../services/listening/crisis';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Document } from '../../services/store/types';

const SUPERVISOR = { kind: 'agent' as const, id: 'agt_sup', name: 'Sam' };

describe('crisis mode pacing of public replies', () => {
  let clock: ManualClock;
  let crisis: CrisisService;
  let published: string[];

  beforeEach(async () => {
    const db = await openNedbDatabase(':memory:');
    clock = new ManualClock('2026-03-02T10:00:00Z');
    published = [];
    crisis = new CrisisService(
      db.collection<CrisisMode>('crisisModes'),
      db.collection<Document & { topic: string; postKey: string; at: Date }>('crisisPublicReplies'),
      clock,
      { publicRepliesPerHour: 3, holdingStatementTemplate: 'We know about {topic}. DM us. – {brand}', brandName: 'Acme', autoHours: 24, vocabulary: { products: ['acme one'], keywords: ['refund'] } },
      { publish: async (text) => (published.push(text), { url: 'https://x.com/acme/status/1' }) },
    );
  });

  const post = (n: number, text = 'Checkout broken again #AcmeDown') => ({ postKey: `x:${n}`, text });

  it('replies to everything while no topic is in crisis', async () => {
    for (let n = 0; n < 10; n++) expect((await crisis.shouldReplyPublicly(post(n))).reply).toBe(true);
  });

  it('when a topic is in crisis, allows the configured number of public replies per hour on it, then holds the rest back, and allows more as the hour slides on', async () => {
    await crisis.activate('#acmedown', SUPERVISOR, 'outage');
    const decisions = [];
    for (let n = 0; n < 8; n++) {
      decisions.push(await crisis.shouldReplyPublicly(post(n)));
      clock.advance(5 * MINUTE);
    }
    expect(decisions.map((d) => d.reply)).toEqual([true, true, true, false, false, false, false, false]);
    expect(decisions[3]).toMatchObject({ topic: '#acmedown', holdingStatement: 'We know about #acmedown. DM us. – Acme' });
    expect(decisions[3]!.reason).toMatch(/take the customer into a DM/);
    // 40 minutes in: the first reply (at 0) leaves the one-hour window at 60 minutes.
    clock.set('2026-03-02T11:00:01Z');
    expect((await crisis.shouldReplyPublicly(post(100))).reply).toBe(true);
    expect((await crisis.shouldReplyPublicly(post(101))).reply).toBe(false);
  });

  it('never holds back replies on other topics', async () => {
    await crisis.activate('#acmedown', SUPERVISOR, 'outage');
    for (let n = 0; n < 5; n++) await crisis.shouldReplyPublicly(post(n));
    expect(await crisis.shouldReplyPublicly(post(50, 'Where is my refund for the acme one?'))).toMatchObject({ reply: true, reason: 'no crisis on this topic' });
  });

  it('keeps the pace when many replies are asked for at the same moment', async () => {
    await crisis.activate('keyword:refund', SUPERVISOR, 'refund backlog');
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, n) => crisis.shouldReplyPublicly(post(n, 'still no refund'))));
    expect(decisions.filter((d) => d.reply)).toHaveLength(3);
  });

  it('automatic crisis mode ends by itself; switching off stops pacing at once', async () => {
    await crisis.activate('#acmedown', 'auto', 'spike');
    for (let n = 0; n < 3; n++) await crisis.shouldReplyPublicly(post(n));
    expect((await crisis.shouldReplyPublicly(post(9))).reply).toBe(false);
    clock.advance(24 * HOUR + MINUTE);
    expect((await crisis.shouldReplyPublicly(post(10))).reply).toBe(true);

    await crisis.activate('keyword:refund', SUPERVISOR, 'manual');
    for (let n = 0; n < 3; n++) await crisis.shouldReplyPublicly(post(n, 'refund'));
    await crisis.deactivate('keyword:refund', SUPERVISOR);
    expect((await crisis.shouldReplyPublicly(post(20, 'refund'))).reply).toBe(true);
  });

  it('suggests one holding statement, and posts it once through the publisher', async () => {
    const mode = await crisis.activate('#acmedown', SUPERVISOR, 'outage');
    expect(mode.holdingStatement).toEqual({ text: 'We know about #acmedown. DM us. – Acme', status: 'suggested' });
    await crisis.postHoldingStatement('#acmedown', SUPERVISOR);
    const again = await crisis.postHoldingStatement('#acmedown', SUPERVISOR);
    expect(published).toEqual(['We know about #acmedown. DM us. – Acme']);
    expect(again.holdingStatement).toMatchObject({ status: 'posted', url: 'https://x.com/acme/status/1' });
    expect(again.history.map((h) => h.action)).toEqual(['activated', 'holding_statement_posted']);
  });
});
