/**
 * Follow-up sweep cost against the number of open tickets: N open tickets of which D are due (a check-in
 * whose promised time has passed), one `sweepOnce()` of the real app dispatching every due follow-up
 * through the real ProactiveSender/CloudAdapter to a loopback fake connector, on the embedded store.
 * Shows that a sweep's cost follows the number due, not the number open. Aim: 10,000 due in ≤ 30 s.
 *
 *   npx tsx bench/followUps.ts                       (10k, 100k and 1M open, 10k due; each in its own process)
 *   npx tsx bench/followUps.ts --open 100000 --due 1000
 *
 * Seeding writes the NeDB datafiles directly (one JSON line per document, as NeDB stores them): a million
 * inserts through the port would take far longer than the sweep being measured. Loading is timed apart.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../index';
import { loadConfig } from '../services/config';
import { silentLogger } from '../services/log';

const AIM_SECONDS = 30;
const arg = (name: string): number | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : undefined;
};

async function startConnector(): Promise<{ url: string; posts: () => number; close(): Promise<void> }> {
  let posts = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') posts++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"a${posts}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts: () => posts,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const date = (ms: number) => ({ $$date: ms });

async function writeLines(file: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(line(i));
    if (chunk.length === 5000 || i === count - 1) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = [];
    }
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

async function seed(dir: string, open: number, due: number, now: number, serviceUrl: string): Promise<void> {
  // Due tickets are spread evenly through the collection, not bunched at the start.
  const every = Math.floor(open / due);
  const isDue = (i: number) => i % every === 0 && i / every < due;
  const ref = (i: number) => `CS-B${String(i).padStart(7, '0')}`;
  await writeLines(path.join(dir, 'tickets.db'), open, (i) => {
    // Within SLA and already answered, so no other worker (SLA escalation) touches them during the sweep.
    // Tickets are opened and fall due at different moments, as in real traffic (a millisecond apart at least).
    const created = now - 2 * 3_600_000 - i;
    const nextAt = isDue(i) ? now - 60_000 - i : now + 3_600_000 + (i % 86_400) * 1000 + i;
    return JSON.stringify({
      _id: ref(i), ref: ref(i), status: i % 3 === 0 ? 'in_progress' : 'open', priority: 'normal', priorityReasons: [], channelId: 'emulator',
      customer: { channelId: 'emulator', userId: `u${i}` }, source: 'dm', description: 'parcel never arrived',
      conversation: { channelId: 'emulator', serviceUrl, conversationId: `c${i}`, userId: `u${i}`, botId: 'bot', lastCustomerMessageAt: date(created) },
      sla: { firstResponseDueAt: date(created + 4 * 3_600_000), resolutionDueAt: date(created + 72 * 3_600_000) },
      createdAt: date(created), updatedAt: date(created), firstResponseAt: date(created + 60_000), reopenCount: 0, version: 1,
      followUp: { seq: 0, auditSeq: 1, toldStatus: i % 3 === 0 ? 'in_progress' : 'open', promisedBy: date(nextAt), nextAt: date(nextAt) },
    });
  });
  await writeLines(path.join(dir, 'auditEvents.db'), open, (i) =>
    JSON.stringify({ _id: `${ref(i)}:1`, ticketRef: ref(i), seq: 1, at: date(now - 2 * 3_600_000 - i), actor: { kind: 'customer', id: `u${i}` }, action: 'ticket.opened', contentHash: 'x', prevHash: '0'.repeat(64), hash: `h${i}` }),
  );
}

async function measure(open: number, due: number): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-followups-'));
  const connector = await startConnector();
  try {
    const now = Date.now();
    let t = performance.now();
    await seed(dir, open, due, now, connector.url);
    const seedS = (performance.now() - t) / 1000;
    t = performance.now();
    const tuning = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('FOLLOW_UP_')));
    const config = loadConfig({ PORT: '0', LOCAL_TRY_IT: 'false', DATA_DIR: dir, QUIET_HOURS: '00:00-00:00', LOG_LEVEL: 'silent', ...tuning, FOLLOW_UP_SWEEP_MS: '0' });
    const app = await startApp(config, { logger: silentLogger });
    await app.db.collection('tickets').countDocuments({ _id: 'warm-up' });
    const loadS = (performance.now() - t) / 1000;
    t = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await app.followUps.sweepOnce();
    const sweepS = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const posted = connector.posts();
    t = performance.now();
    const idle = await app.followUps.sweepOnce();
    const idleMs = performance.now() - t;
    await app.close();
    const verdict = due >= 10_000 ? (sweepS <= AIM_SECONDS ? 'meets' : 'MISSES') + ` the ${AIM_SECONDS} s aim` : '';
    console.log(
      `open ${open.toLocaleString('en')} | due ${due.toLocaleString('en')} | seed ${seedS.toFixed(1)} s, load ${loadS.toFixed(1)} s | ` +
        `sweep ${sweepS.toFixed(2)} s wall (${cpuS.toFixed(2)} s CPU) = ${(due / sweepS).toFixed(0)} follow-ups/s (sent ${report.sent}, connector got ${posted}) | ` +
        `next sweep with nothing due ${idleMs.toFixed(0)} ms (claimed ${idle.claimed}) ${verdict}`,
    );
    if (report.sent !== due || posted !== due) process.exitCode = 1;
  } finally {
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const open = arg('open');
  if (open !== undefined) return measure(open, arg('due') ?? 10_000);
  console.log(`follow-up sweep on the embedded store, ${process.platform}/${process.arch}, node ${process.version}`);
  const runs: Array<[number, number]> = [[10_000, 10_000], [100_000, 10_000], [100_000, 1_000], [1_000_000, 10_000]];
  for (const [runOpen, runDue] of runs) {
    const result = spawnSync(process.execPath, ['--max-old-space-size=12000', '--max-semi-space-size=64', '--import', 'tsx', __filename, '--open', String(runOpen), '--due', String(runDue)], { stdio: 'inherit' });
    if (result.status !== 0) process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
