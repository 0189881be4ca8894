import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../index';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import { startTestApp } from '../support/testApp';
import { api, staffToken } from '../privacy/support';

/** An open /api/agent/events stream read event by event. */
async function openStream(app: App, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${app.url}/api/agent/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** Events up to and including the first of `type`. */
    async until(type: string): Promise<Array<{ event: string; data: Record<string, unknown> }>> {
      const seen: Array<{ event: string; data: Record<string, unknown> }> = [];
      for (;;) {
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (!event || !data) continue;
          seen.push({ event, data: JSON.parse(data) as Record<string, unknown> });
          if (event === type) return seen;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${type}`);
        buffer += decoder.decode(value, { stream: true });
      }
    },
    close: () => controller.abort(),
  };
}

describe('listening alerts on the console live feed', () => {
  let app: App;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("when a spike alert is raised, a supervisor's and an executive's event streams receive it without example posts, and an agent's does not", async () => {
    const streams = {
      supervisor: await openStream(app, await staffToken(app, 'supervisor')),
      executive: await openStream(app, await staffToken(app, 'executive')),
      agent: await openStream(app, await staffToken(app, 'agent')),
    };
    await app.insight.alerts.raise({
      _id: 'spike:#lostparcel:test',
      kind: 'spike',
      severity: 'crisis',
      topic: '#lostparcel',
      title: 'Complaints about #lostparcel are spiking',
      summary: '48 complaints in 15 minutes against a usual 3',
      numbers: { count: 48, baseline: 3 },
      examples: [{ postKey: 'x:1', platform: 'x', text: 'where is my parcel', authorId: '777000111', authorHandle: 'priya_r_travels' }],
    });
    // A later ordinary event marks the point by which the agent would have had the alert, had it been sent.
    app.agents.events.publish({ type: 'queue.changed' });

    for (const role of ['supervisor', 'executive'] as const) {
      const seen = await streams[role].until('listening.alert');
      expect(seen.at(-1)!.data, role).toMatchObject({
        type: 'listening.alert',
        alert: { id: 'spike:#lostparcel:test', kind: 'spike', severity: 'crisis', topic: '#lostparcel', title: 'Complaints about #lostparcel are spiking' },
      });
      expect(JSON.stringify(seen.at(-1)!.data)).not.toContain('priya_r_travels');
    }
    const agentSaw = await streams.agent.until('queue.changed');
    expect(agentSaw.map((item) => item.event)).not.toContain('listening.alert');
    for (const stream of Object.values(streams)) stream.close();
  });

  it("when an alert's surge subsides, a supervisor's event stream is told once, with the one-line summary, and the alerts API shows it subsided", async () => {
    const supervisor = await openStream(app, await staffToken(app, 'supervisor'));
    const windowStart = new Date('2026-03-02T10:15:00Z');
    const raised = await app.insight.alerts.raise({
      _id: 'spike:#parcelgate:test',
      kind: 'spike',
      severity: 'warning',
      topic: '#parcelgate',
      title: 'Spike: #parcelgate — 40 complaints in 15 min',
      summary: '40 people posted complaints on #parcelgate',
      numbers: { count: 40, baseline: 1 },
      examples: [],
      surge: { state: 'active', since: windowStart, usual: { mean: 1, stdDev: 1 }, peak: { count: 40, windowStart }, lastWindowStart: windowStart, quietWindows: 0 },
    });
    const summary = 'Subsided: #parcelgate — back to usual levels since 11:15 UTC; peak 40 people at 10:15; 52 people in all.';
    const subsided = { ...raised!.surge!, state: 'subsided' as const, lastWindowStart: new Date('2026-03-02T11:30:00Z'), quietWindows: 2, quietSince: new Date('2026-03-02T11:15:00Z'), subsidedAt: new Date('2026-03-02T11:45:00Z'), people: 52, subsidedSummary: summary };
    expect(await app.insight.alerts.markSubsided(raised!, subsided)).toBe(true);
    // The same evaluation landing twice (a replay, a second instance) announces nothing more.
    expect(await app.insight.alerts.markSubsided(raised!, subsided)).toBe(false);

    const seen = await supervisor.until('listening.alert.subsided');
    expect(seen.at(-1)!.data).toMatchObject({ type: 'listening.alert.subsided', alert: { id: 'spike:#parcelgate:test', summary, peak: 40, people: 52, subsidedAt: '2026-03-02T11:45:00.000Z' } });
    supervisor.close();
    const { body } = await api(app, await staffToken(app, 'supervisor'))<{ alerts: ListeningAlert[] }>('GET', '/api/listening/alerts');
    expect(body.alerts.find((alert) => alert._id === 'spike:#parcelgate:test')?.surge).toMatchObject({ state: 'subsided', people: 52, subsidedSummary: summary });
  });

  it('the retention settings and the last sweep are reported to supervisors, not to agents', async () => {
    const supervisor = api(app, await staffToken(app, 'supervisor'));
    await app.insight.sweepRetention();
    const { status, body } = await supervisor<{ days: number; enabled: boolean; sweepMinutes: number; lastRun: { erasedTickets: number } }>('GET', '/api/privacy/retention');
    expect(status).toBe(200);
    expect(body).toMatchObject({ days: 365, enabled: true, sweepMinutes: 60, lastRun: { erasedTickets: 0 } });
    expect((await api(app, await staffToken(app, 'agent'))('GET', '/api/privacy/retention')).status).toBe(403);
  });
});
