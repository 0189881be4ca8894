/**
 * How quick the console feels with a long queue: N conversations waiting, the console's queue request
 * (GET /api/agent/queue, one store query for holds and one for their tickets) and a takeover + reply
 * round trip through the real app and ProactiveSender to a loopback connector, on the embedded store.
 * Aim: queue p95 ≤ 250 ms with 1,000 waiting; takeover + reply p95 ≤ 250 ms.
 *
 *   npx tsx bench/agentConsole.ts [--waiting 1000]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../index';
import { loadConfig } from '../services/config';
import { silentLogger } from '../services/log';
import { AgentClient, PASSWORD } from '../test/agents/agentClient';

const at = process.argv.indexOf('--waiting');
const WAITING = at > 0 ? Number(process.argv[at + 1]) : 1000;
const AIM_MS = 250;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

async function main(): Promise<void> {
  const connector = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"x"}');
    });
  });
  await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
  const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-console-'));
  const app = await startApp(loadConfig({ PORT: '0', LOCAL_TRY_IT: 'false', DATA_DIR: dataDir, HANDOFF_SWEEP_SECONDS: '3600' }), { logger: silentLogger });
  try {
    const seeding = Date.now();
    const refs: string[] = [];
    for (let i = 0; i < WAITING; i++) {
      const ticket = await app.tickets.open(
        {
          customer: { channelId: 'emulator', userId: `u${i}`, name: `Customer ${i}` },
          source: 'dm',
          description: 'parcel never arrived',
          conversation: { channelId: 'emulator', serviceUrl, conversationId: `c${i}`, userId: `u${i}`, botId: 'bot' },
          humanRequestedReason: 'the customer asked for a person',
        },
        { kind: 'customer', id: `u${i}` },
      );
      await app.agents.queue.enqueue(ticket, 'the customer asked for a person');
      refs.push(ticket.ref);
    }
    console.log(`seeded ${WAITING} waiting conversations in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);

    await app.agents.accounts.create({ email: 'bench@example.com', name: 'Bench Agent', role: 'supervisor', password: PASSWORD });
    const agent = new AgentClient(app.url);
    await agent.login('bench@example.com');

    const queueTimes: number[] = [];
    for (let i = 0; i < 30; i++) {
      const start = performance.now();
      const queue = await agent.json<{ waiting: unknown[] }>('GET', '/api/agent/queue');
      queueTimes.push(performance.now() - start);
      if (queue.waiting.length !== WAITING) throw new Error(`queue shows ${queue.waiting.length}, expected ${WAITING}`);
    }
    const replyTimes: number[] = [];
    for (const ref of refs.slice(0, 30)) {
      const start = performance.now();
      await agent.json('POST', `/api/agent/tickets/${ref}/takeover`, {});
      await agent.json('POST', `/api/agent/tickets/${ref}/messages`, { text: 'Hi, I am looking into this now.', clientMessageId: `b-${ref}` });
      replyTimes.push(performance.now() - start);
    }
    const report = (label: string, times: number[]) => {
      const p95 = percentile(times, 95);
      console.log(`${label}: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (aim ≤ ${AIM_MS} ms) ${p95 <= AIM_MS ? 'OK' : 'SLOWER THAN AIM'}`);
    };
    report(`GET /api/agent/queue with ${WAITING} waiting`, queueTimes);
    report('takeover + first reply (2 requests)', replyTimes);
  } finally {
    await app.close();
    connector.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
