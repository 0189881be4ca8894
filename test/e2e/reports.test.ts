import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeInBrowser, launchChromium } from '../support/browser';
import type { App } from '../../index';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { SYSTEM_ACTOR } from '../../services/tickets/types';
import { startTestApp } from '../support/testApp';

const PASSWORD = 'correct horse battery staple';

describeInBrowser('the reports page in a real browser', () => {
  let app: App;
  let browser: Browser;
  const clock = new ManualClock('2026-03-02T08:00:00Z');

  beforeAll(async () => {
    app = await startTestApp({}, { clock });
    const agent = { kind: 'agent' as const, id: 'agt_demo', name: 'Asha' };
    // A week of tickets on three channels, some from public posts, answered and resolved at different speeds.
    const channels = ['webchat', 'facebook', 'x'];
    for (let day = 0; day < 6; day++) {
      for (let i = 0; i < 3 + day; i++) {
        clock.set(new Date(Date.parse('2026-03-02T08:00:00Z') + day * 24 * HOUR + i * 40 * MINUTE));
        const channelId = channels[(day + i) % 3]!;
        const fromPost = channelId !== 'webchat' && i % 2 === 0;
        const ticket = await app.tickets.open(
          {
            customer: { channelId, userId: `u-${day}-${i}` },
            source: fromPost ? 'public_post' : 'dm',
            ...(fromPost && { publicPost: { platform: channelId === 'x' ? 'x' : 'facebook', postId: `p${day}${i}`, text: 'late', authorId: `u-${day}-${i}`, postedAt: clock.now() } }),
          },
          SYSTEM_ACTOR,
        );
        clock.advance((10 + 25 * ((day + i) % 4)) * MINUTE);
        await app.tickets.recordFirstResponse(ticket.ref, agent);
        if ((day + i) % 3 !== 0) {
          clock.advance((2 + 9 * (i % 3)) * HOUR);
          await app.tickets.changeStatus(ticket.ref, 'resolved', agent);
        }
      }
    }
    clock.set('2026-03-09T12:00:00Z');
    await app.agents.accounts.create({ email: 'sam@example.com', name: 'Sam Supervisor', role: 'supervisor', password: PASSWORD });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('a signed-in supervisor sees the four charts drawn (not blank), the fairness table, and Chart.js comes from the bot itself', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
    const page = await context.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.url)) outside.push(request.url());
    });
    const login = await page.request.post(`${app.url}/api/agent/login`, { data: { email: 'sam@example.com', password: PASSWORD } });
    expect(login.status()).toBe(200);
    await page.goto(`${app.url}/agent/reports?from=2026-03-02&to=2026-03-08`);
    await page.waitForSelector('body[data-rendered="true"]');

    const charts = await page.evaluate(() => {
      const registry = (window as unknown as { reportCharts: Record<string, { data: { datasets: Array<{ data: unknown[] }> } }> }).reportCharts;
      return Object.entries(registry).map(([id, chart]) => {
        const canvas = document.getElementById(id) as HTMLCanvasElement;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return { id, datasets: chart.data.datasets.length, points: chart.data.datasets[0]!.data.length, painted, width: canvas.width };
      });
    });
    expect(charts.map((chart) => chart.id).sort()).toEqual(['fairnessChart', 'slaChart', 'timesChart', 'volumeChart']);
    for (const chart of charts) {
      expect(chart.width, chart.id).toBeGreaterThan(100);
      expect(chart.painted, `${chart.id} has drawn pixels`).toBeGreaterThan(2000);
    }
    expect(charts.find((chart) => chart.id === 'volumeChart')).toMatchObject({ datasets: 3, points: 7 });

    const status = await page.textContent('#status');
    expect(status).toMatch(/^33 tickets opened 2026-03-02 – 2026-03-08/);
    const fairness = await page.$$eval('#fairness tr', (rows) => rows.map((row) => row.textContent));
    expect(fairness[0]).toContain('Came through a public post');
    expect(outside).toEqual([]);
    await page.screenshot({ path: artifactPath('reports.png'), fullPage: true });
    await context.close();
  });

  it('the volume, response-time and SLA charts each have a "Show data" table with the same numbers /api/reports/summary returned', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
    const page = await context.newPage();
    expect((await page.request.post(`${app.url}/api/agent/login`, { data: { email: 'sam@example.com', password: PASSWORD } })).status()).toBe(200);
    const answered = page.waitForResponse((response) => response.url().includes('/api/reports/summary'));
    await page.goto(`${app.url}/agent/reports?from=2026-03-02&to=2026-03-08`);
    type Rate = { rate: number | null };
    type Measures = { firstResponse: { medianMinutes: number | null }; resolution: { medianHours: number | null }; sla: { firstResponse: Rate; resolution: Rate } };
    const report = (await (await answered).json()) as { daily: Array<{ day: string; byChannel: Record<string, number> }>; byChannel: Record<string, Measures> };
    await page.waitForSelector('body[data-rendered="true"]');
    const channels = Object.keys(report.byChannel);
    const shown = (value: number | null) => (value === null ? '—' : String(value));
    const rowsOf = (id: string) => page.$$eval(`#${id} tr`, (rows) => rows.map((row) => Array.from(row.children).map((cell) => cell.textContent?.trim() ?? '')));

    // Folded away until asked for; "Show data" opens it.
    expect(await page.isVisible('#volumeTable')).toBe(false);
    await page.locator('#volumeChart').locator('xpath=ancestor::figure').locator('summary', { hasText: 'Show data' }).click();
    expect(await page.isVisible('#volumeTable')).toBe(true);
    expect(await rowsOf('volumeTable')).toEqual([
      ['Day', ...channels, 'Total'],
      ...report.daily.map((d) => [d.day, ...channels.map((c) => String(d.byChannel[c] ?? 0)), String(channels.reduce((sum, c) => sum + (d.byChannel[c] ?? 0), 0))]),
    ]);
    expect(report.daily).toHaveLength(7);
    expect(report.daily.reduce((sum, d) => sum + Object.values(d.byChannel).reduce((a, b) => a + b, 0), 0)).toBe(33);

    await page.locator('#timesChart').locator('xpath=ancestor::figure').locator('summary', { hasText: 'Show data' }).click();
    expect(await rowsOf('timesTable')).toEqual([
      ['Channel', 'Median first response (min)', 'Median resolution (h)'],
      ...channels.map((c) => [c, shown(report.byChannel[c]!.firstResponse.medianMinutes), shown(report.byChannel[c]!.resolution.medianHours)]),
    ]);
    expect(channels.some((c) => report.byChannel[c]!.firstResponse.medianMinutes !== null)).toBe(true);

    // The SLA bars are percentages rounded to one decimal: the table shows those same figures.
    const percent = (rate: number | null) => (rate === null ? '—' : String(Math.round(rate * 1000) / 10));
    expect(await page.isVisible('#slaTable')).toBe(false);
    await page.locator('#slaChart').locator('xpath=ancestor::figure').locator('summary', { hasText: 'Show data' }).click();
    expect(await page.isVisible('#slaTable')).toBe(true);
    expect(await rowsOf('slaTable')).toEqual([
      ['Channel', 'First-response SLA met (%)', 'Resolution SLA met (%)'],
      ...channels.map((c) => [c, percent(report.byChannel[c]!.sla.firstResponse.rate), percent(report.byChannel[c]!.sla.resolution.rate)]),
    ]);
    expect(channels.some((c) => report.byChannel[c]!.sla.firstResponse.rate !== null)).toBe(true);
    // Each table's rows are named by their first cell, and the table says what it is.
    expect(await page.$$eval('#volumeTable tr + tr > :first-child', (cells) => cells.map((cell) => `${cell.tagName}:${cell.getAttribute('scope')}`))).toEqual(report.daily.map(() => 'TH:row'));
    expect(await page.textContent('#timesTable caption')).toBe('Median first response and resolution, by channel');
    expect(await page.textContent('#slaTable caption')).toBe('First-response and resolution SLA met (%), by channel');
    expect(await page.getAttribute('#slaChart', 'aria-labelledby')).toBe('slaCaption');
    await context.close();
  });

  it('sends an anonymous visitor to sign in, and gives the API nothing', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The page sends the visitor on at once, which can abort a navigation still waiting for "load": wait for commits only.
    await page.goto(`${app.url}/agent/reports`, { waitUntil: 'commit' });
    await page.waitForURL(`${app.url}/agent`, { waitUntil: 'commit' });
    expect((await fetch(`${app.url}/api/reports/summary`)).status).toBe(401);
    await context.close();
  });
});
