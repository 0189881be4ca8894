import { beforeEach, describe, expect, it } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { CrisisService, type CrisisMode, type HeldReply } from '../../services/listening/crisis';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Document } from '../../services/store/types';

const SUPERVISOR = { kind: 'agent' as const, id: 'agt_sup', name: 'Sam' };

describe('replies held by the crisis cap', () => {
  let clock: ManualClock;
  let crisis: CrisisService;
  let held: Collection<HeldReply>;
  let released: string[];

  beforeEach(async () => {
    const db = await openNedbDatabase(':memory:');
    clock = new ManualClock('2026-03-02T10:00:00Z');
    held = db.collection<HeldReply>('crisisHeldReplies');
    released = [];
    crisis = new CrisisService(
      db.collection<CrisisMode>('crisisModes'),
      db.collection<Document & { topic: string; postKey: string; at: Date }>('crisisPublicReplies'),
      clock,
      { publicRepliesPerHour: 3, holdingStatementTemplate: 'About {topic}.', brandName: 'Acme', autoHours: 24, vocabulary: { products: [], keywords: [] } },
      undefined,
      held,
    );
    crisis.releaseHeldTo(async (postKey) => void released.push(postKey));
  });

  const post = (n: number) => ({ postKey: `x:${n}`, text: 'tracking stuck #AcmeDown' });

  it('when asked to hold, keeps replies over the cap and releases them oldest first as the hour slides on, within the cap', async () => {
    await crisis.activate('#acmedown', SUPERVISOR, 'outage');
    const decisions = [];
    for (let n = 0; n < 5; n++) decisions.push(await crisis.shouldReplyPublicly(post(n), { holdIfCapped: true }));
    expect(decisions.map((d) => d.held ?? false)).toEqual([false, false, false, true, true]);
    expect(await crisis.isHeld('x:3')).toBe(true);

    expect(await crisis.releaseHeld()).toBe(0);
    clock.advance(HOUR + MINUTE);
    expect(await crisis.releaseHeld()).toBe(2);
    expect(released).toEqual(['x:3', 'x:4']);
    expect(await held.countDocuments({})).toBe(0);
    // Released replies count against the cap like any other.
    expect((await crisis.shouldReplyPublicly(post(9))).reply).toBe(true);
    expect((await crisis.shouldReplyPublicly(post(10))).reply).toBe(false);
  });

  it('releases every held reply when a supervisor ends the crisis, and when automatic crisis mode runs out', async () => {
    await crisis.activate('#acmedown', SUPERVISOR, 'outage');
    for (let n = 0; n < 6; n++) await crisis.shouldReplyPublicly(post(n), { holdIfCapped: true });
    await crisis.deactivate('#acmedown', SUPERVISOR);
    expect(released).toEqual(['x:3', 'x:4', 'x:5']);

    clock.advance(2 * HOUR);
    await crisis.activate('#acmedown', 'auto', 'spike');
    for (let n = 10; n < 14; n++) await crisis.shouldReplyPublicly(post(n), { holdIfCapped: true });
    clock.advance(24 * HOUR + MINUTE);
    expect(await crisis.releaseHeld()).toBe(1);
    expect(released.at(-1)).toBe('x:13');
  });

  it('does not hold a reply the caller reaches another way (a Private Reply), nor twice for a redelivery', async () => {
    await crisis.activate('#acmedown', SUPERVISOR, 'outage');
    for (let n = 0; n < 3; n++) await crisis.shouldReplyPublicly(post(n));
    expect(await crisis.shouldReplyPublicly(post(3))).toMatchObject({ reply: false, reason: expect.stringMatching(/take the customer into a DM/) });
    expect(await held.countDocuments({})).toBe(0);
    await crisis.shouldReplyPublicly(post(4), { holdIfCapped: true });
    await crisis.shouldReplyPublicly(post(4), { holdIfCapped: true });
    expect(await held.countDocuments({})).toBe(1);
  });
});
