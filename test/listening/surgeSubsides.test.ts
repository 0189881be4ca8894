/** An alert's surge ends: the alert subsides once its topic is back to usual, says so once, and ends automatic crisis mode. */
import { describe, expect, it } from 'vitest';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import { subsidedPayload } from '../../services/listening/webhook';
import { archivedPost, BUCKET, useListeningBench, type ListeningBench } from './listeningBench';

const SUPERVISOR = { kind: 'agent' as const, id: 'agt_sup', name: 'Sam' };

/** One window of `people` distinct people on #AcmeDown (`repeat` of them: the same people as in an earlier window), then a tick. */
async function surgeWindow(bench: ListeningBench, people: number, repeat: string[] = []): Promise<void> {
  const start = bench.clock.now().getTime();
  const authors = [...repeat, ...Array.from({ length: people - repeat.length }, () => undefined)];
  await bench.posts.insertMany(
    authors.map((id, i) => archivedPost(new Date(start + i * 5000), 'Checkout down again, card declined #AcmeDown', { hashtags: ['acmedown'], ...(id && { author: { id, handle: id, followers: 100 } }) })),
  );
  bench.clock.advance(BUCKET);
  await bench.monitor.tick();
  await bench.alerts.drain();
}

const surgeAlerts = (bench: ListeningBench): Promise<ListeningAlert[]> => bench.alertDocs.find({ topic: '#acmedown' }, { sort: { at: 1 } });
const followUps = (bench: ListeningBench) => bench.hook.calls.filter((call) => call.alertId?.endsWith(':subsided'));
const REGULARS = Array.from({ length: 10 }, (_, i) => `regular${i}`);

describe('an alert says when the surge is over', () => {
  const bench = useListeningBench({ publicRepliesPerHour: 1, holdingStatementTemplate: 'About {topic}: we are on it.', reachThreshold: 0, redact: (text) => text, onDisk: true });

  it('when a surge rises and falls, raises one alert that stays active while the topic is high and subsides after two windows back to usual, with its peak, its distinct people and one webhook follow-up', async () => {
    await bench.steady(20);
    const subsided: ListeningAlert[] = [];
    bench.alerts.onSubsided((alert) => subsided.push(alert));

    await surgeWindow(bench, 60, REGULARS);
    await surgeWindow(bench, 80, REGULARS);
    await surgeWindow(bench, 12);
    await surgeWindow(bench, 3);
    // One window back to usual is not yet the end.
    expect((await surgeAlerts(bench))[0]!.surge).toMatchObject({ state: 'active', quietWindows: 1 });
    await surgeWindow(bench, 0);

    const alerts = await surgeAlerts(bench);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.surge).toMatchObject({
      state: 'subsided',
      peak: { count: 80, windowStart: new Date('2026-03-02T05:15:00Z') },
      quietSince: new Date('2026-03-02T05:45:00Z'),
      subsidedAt: new Date('2026-03-02T06:15:00Z'),
      // 60 + 80 + 12 posters, the 10 regulars counted once.
      people: 142,
      followUp: { status: 'sent', attempts: 1 },
    });
    const line = 'Subsided: #acmedown — back to usual levels since 05:45 UTC; peak 80 people at 05:15; 142 people in all.';
    expect(followUps(bench).map((call) => (call.body as { text: string }).text)).toEqual([line]);
    expect(subsided.map((alert) => alert.surge?.subsidedSummary)).toEqual([line]);

    // The same windows evaluated again, and quiet windows after, neither re-announce nor reopen it.
    await bench.monitor.tick();
    await bench.steady(4);
    await bench.alerts.drain();
    expect(followUps(bench)).toHaveLength(1);
    expect(subsided).toHaveLength(1);
    expect((await surgeAlerts(bench)).map((alert) => alert.surge?.state)).toEqual(['subsided']);
  });

  it('when the spike switched crisis mode on by itself, subsiding switches it off and releases the replies it held', async () => {
    await bench.steady(20);
    await surgeWindow(bench, 60);
    expect((await bench.crisis.active()).map((mode) => mode.topic)).toEqual(['#acmedown']);
    const gate = (n: number) => bench.crisis.shouldReplyPublicly({ postKey: `x:held${n}`, text: 'still down #AcmeDown' }, { holdIfCapped: true });
    expect((await gate(1)).reply).toBe(true);
    expect(await gate(2)).toMatchObject({ reply: false, held: true });

    await surgeWindow(bench, 2);
    expect(await bench.crisis.active()).toHaveLength(1);
    await surgeWindow(bench, 1);

    expect(await bench.crisis.active()).toEqual([]);
    expect(bench.released).toEqual(['x:held2']);
    const mode = (await bench.crisis.list())[0]!;
    expect(mode.history.at(-1)).toMatchObject({ action: 'deactivated', by: 'auto', reason: expect.stringMatching(/surge subsided/) });
  });

  it("never switches off a supervisor's crisis mode, whether switched on before the spike or taken over from the automatic one", async () => {
    await bench.crisis.activate('keyword:refund', SUPERVISOR, 'refund backlog');
    await bench.steady(20);
    await surgeWindow(bench, 60);
    // The supervisor keeps the automatic crisis mode the spike started.
    await bench.crisis.activate('#acmedown', SUPERVISOR, 'keep it while we post updates');
    await surgeWindow(bench, 0);
    await surgeWindow(bench, 0);

    expect((await surgeAlerts(bench))[0]!.surge?.state).toBe('subsided');
    expect((await bench.crisis.active()).map((mode) => mode.topic).sort()).toEqual(['#acmedown', 'keyword:refund']);
  });

  it('a surge that goes on for hours stays one alert; a new surge on the topic after it subsided is a new alert', async () => {
    await bench.steady(20);
    for (let w = 0; w < 8; w++) await surgeWindow(bench, 60);
    expect(await surgeAlerts(bench)).toHaveLength(1);
    expect((await surgeAlerts(bench))[0]!.surge).toMatchObject({ state: 'active', peak: { count: 60, windowStart: new Date('2026-03-02T05:00:00Z') } });

    await surgeWindow(bench, 0);
    await surgeWindow(bench, 0);
    expect((await surgeAlerts(bench))[0]!.surge?.state).toBe('subsided');
    // Two hours later a second, larger wave (the baseline learnt from the first, so it takes more to stand out).
    await bench.steady(8);
    await surgeWindow(bench, 150);

    const alerts = await surgeAlerts(bench);
    expect(alerts.map((alert) => alert.surge?.state)).toEqual(['subsided', 'active']);
    expect(alerts[1]!._id).toBe('spike:#acmedown:2026-03-02T09:30:00.000Z');
    expect(bench.hook.calls.filter((call) => call.alertId === alerts[1]!._id)).toHaveLength(1);
    expect(followUps(bench)).toHaveLength(1);
  });

  it('when the service restarts between windows (and misses some while down), the alert still subsides once, and a restart after that sends nothing again', async () => {
    await bench.steady(20);
    await surgeWindow(bench, 60, REGULARS);
    await surgeWindow(bench, 80, REGULARS);
    await surgeWindow(bench, 12);
    await surgeWindow(bench, 3);
    await bench.restart();
    // 05:45–06:15 closes while the service is down; only the next tick sees it, replayed from the archive.
    await bench.posts.insertMany(Array.from({ length: 2 }, (_, i) => archivedPost(new Date(bench.clock.now().getTime() + i * 1000), 'still #AcmeDown', { hashtags: ['acmedown'] })));
    bench.clock.advance(2 * BUCKET);
    await bench.monitor.tick();
    await bench.alerts.drain();

    const [alert] = await surgeAlerts(bench);
    expect(alert!.surge).toMatchObject({ state: 'subsided', subsidedAt: new Date('2026-03-02T06:15:00Z'), people: 142, peak: { count: 80 } });
    expect(followUps(bench)).toHaveLength(1);

    await bench.restart();
    bench.clock.advance(BUCKET);
    await bench.monitor.tick();
    await bench.alerts.drain();
    expect(followUps(bench)).toHaveLength(1);
    expect(await surgeAlerts(bench)).toHaveLength(1);
  });
});

describe('the follow-up message', () => {
  it('is one line in Slack and in a Teams Adaptive Card, under its own id so a receiver that drops retries keeps both messages', () => {
    const summary = 'Subsided: #x — back to usual levels since 11:15 UTC; peak 40 people at 10:15; 52 people in all.';
    const at = new Date('2026-03-02T10:15:00Z');
    const alert: ListeningAlert = {
      _id: 'spike:#x:1', kind: 'spike', severity: 'warning', topic: '#x', title: 'Spike: #x', summary: 'numbers', numbers: {}, examples: [], at, webhook: { status: 'sent', attempts: 1 },
      surge: { state: 'subsided', since: at, usual: { mean: 0, stdDev: 1 }, peak: { count: 40, windowStart: at }, lastWindowStart: at, quietWindows: 2, subsidedSummary: summary },
    };
    expect((subsidedPayload(alert, 'slack') as { text: string }).text).toBe(summary);
    const card = subsidedPayload(alert, 'teams') as { attachments: Array<{ content: { body: Array<{ text: string }> } }> };
    expect(card.attachments[0]!.content.body[0]!.text).toBe(summary);
  });
});
