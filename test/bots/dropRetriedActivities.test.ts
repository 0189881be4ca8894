import type { TurnContext } from 'botbuilder';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DropRetriedActivities, type ProcessedActivity } from '../../bots/middleware';
import { ManualClock } from '../../services/clock';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Database } from '../../services/store/types';

const turnFor = (id: string) => ({ activity: { type: 'message', id, channelId: 'emulator', conversation: { id: 'conv-1' } } }) as unknown as TurnContext;

describe('dropping channel retries', () => {
  let db: Database;
  let middleware: DropRetriedActivities;

  beforeEach(async () => {
    db = await openNedbDatabase(':memory:');
    middleware = new DropRetriedActivities(db.collection<ProcessedActivity>('processedActivities'), new ManualClock());
  });
  afterEach(() => db.close());

  it('runs an activity once and drops its retry', async () => {
    const runs: string[] = [];
    await middleware.onTurn(turnFor('a1'), async () => void runs.push('first'));
    await middleware.onTurn(turnFor('a1'), async () => void runs.push('retry'));
    expect(runs).toEqual(['first']);
  });

  it('lets the retry of a turn that failed through, so the customer is not left unanswered', async () => {
    await expect(middleware.onTurn(turnFor('a2'), async () => Promise.reject(new Error('store hiccup')))).rejects.toThrow('store hiccup');
    const runs: string[] = [];
    await middleware.onTurn(turnFor('a2'), async () => void runs.push('retry'));
    expect(runs).toEqual(['retry']);
  });

  it('forgets ids older than the cut-off and keeps newer ones', async () => {
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    middleware = new DropRetriedActivities(db.collection<ProcessedActivity>('processedActivities'), clock);
    await middleware.onTurn(turnFor('old'), async () => undefined);
    clock.advance(2 * 86_400_000);
    await middleware.onTurn(turnFor('new'), async () => undefined);
    expect(await middleware.forgetOlderThan(new Date(clock.now().getTime() - 86_400_000))).toBe(1);
    const runs: string[] = [];
    await middleware.onTurn(turnFor('new'), async () => void runs.push('new again'));
    expect(runs).toEqual([]);
  });
});
