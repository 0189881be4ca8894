/**
 * Full DM dialog turns per second, and p50/p99 latency, over HTTP through /api/messages to a loopback
 * fake connector, with many concurrent conversations; side by side in the same run with a bare echo
 * bot on the same server and adapter. Aim: our turn ≥ 0.5× the echo bot's throughput (embedded store).
 * Three bare waterfall bots (bench/waterfallBot.ts) run beside them as references: the dialog framework
 * alone, with its state durable on the embedded store, and with the records every tracked turn writes
 * (retry key, transcript both ways, conversation directory) on top: what is left between that floor and
 * 0.5× is all a support bot's own work may cost.
 *
 *   npx tsx bench/dmTurns.ts [--conversations 100] [--seconds 8]
 *   npx tsx bench/dmTurns.ts --profile-ours 10   (only our bot, CPU profile of the measured turns to $TMPDIR)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../index';
import { loadConfig } from '../services/config';
import { silentLogger } from '../services/log';
import { BotStateStorage } from '../services/store/botStateStorage';
import { openDatabase } from '../services/store/openDatabase';
import { startEchoBot } from './echoBot';
import { startWaterfallBot } from './waterfallBot';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const CONVERSATIONS = arg('conversations', 100);
const SECONDS = arg('seconds', 8);
const WARMUP_SECONDS = 2;
/** Echo and ours alternate in this many rounds, so a busy neighbour on the machine slows both alike. */
const ROUNDS = 4;
const AIM = 0.5;

/** One customer's whole report: story with their own order number, "here only", "yes" → ticket. */
const SCRIPT = (orderNumber: string) => [`My order ${orderNumber} arrived smashed to pieces, the box was crushed`, 'here only', 'yes'];
let orders = 0;

/** The Connector the bot answers to: accepts every post, remembers nothing. */
interface Connector {
  url: string;
  replies: () => number;
  close(): Promise<void>;
}

async function startConnector(): Promise<Connector> {
  let replies = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      replies++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"r"}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    replies: () => replies,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONVERSATIONS + 10 });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Result {
  turns: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  failures: number;
  /** Process CPU (all threads: GC, file I/O) per turn; steadier than turns/s on a busy machine. */
  cpuMsPerTurn: number;
  /** Activities the bot posted to the connector per turn: each is one more outbound HTTP call. */
  postsPerTurn: number;
}

/** Where each simulated customer is in their script; kept across rounds so every step gets its share of turns. */
interface Customer {
  conversation: number;
  step: number;
  orderNumber?: string;
}
const customers = new Map<string, Customer[]>();
let sequence = 0;

/** Every conversation sends its script turn by turn (as a customer would), starting over in a new conversation at the end. */
async function drive(botUrl: string, connector: Connector, label: string, seconds: number): Promise<Result> {
  const connectorUrl = connector.url;
  const latencies: number[] = [];
  const postsBefore = connector.replies();
  let failures = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const cohort = label.replace(/\d+$/, '');
  if (!customers.has(cohort)) customers.set(cohort, Array.from({ length: CONVERSATIONS }, () => ({ conversation: 0, step: 0 })));
  const worker = async (worker: number) => {
    const customer = customers.get(cohort)![worker];
    while (performance.now() < deadline) {
      const round = customer.conversation;
      const step = customer.step;
      // Every customer reports their own order, as real ones do.
      customer.orderNumber ??= `AB-${2_000_000 + orders++}`;
      const script = SCRIPT(customer.orderNumber);
      const text = script[step];
      const conversationId = `${cohort}-${worker}-${round}`;
      const body = JSON.stringify({
        type: 'message',
        id: `${conversationId}-${step}-${sequence++}`,
        timestamp: new Date().toISOString(),
        channelId: 'emulator',
        serviceUrl: connectorUrl,
        from: { id: `user-${cohort}-${worker}-${round}`, name: 'Bench Customer' },
        recipient: { id: 'bot', name: 'Acme' },
        conversation: { id: conversationId },
        locale: 'en-US',
        text,
      });
      const sent = performance.now();
      const status = await post(`${botUrl}/api/messages`, body).catch(() => 0);
      latencies.push(performance.now() - sent);
      if (status < 200 || status >= 300) failures++;
      customer.step = (step + 1) % script.length;
      if (customer.step === 0) {
        customer.conversation++;
        customer.orderNumber = undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => worker(i)));
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { turns: latencies.length, seconds: elapsed, perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), failures, cpuMsPerTurn: (cpu.user + cpu.system) / 1000 / Math.max(1, latencies.length), postsPerTurn: (connector.replies() - postsBefore) / Math.max(1, latencies.length) };
}

const PROFILE_FILE = path.join(tmpdir(), 'dmTurns.cpuprofile');

/** Runs `work` under the V8 CPU profiler of this process. */
async function profiled<T>(work: () => Promise<T>): Promise<{ result: T; profile: unknown }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const result = await work();
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return { result, profile };
}

const row = (name: string, r: Result) =>
  `${name.padEnd(22)} ${r.perSecond.toFixed(0).padStart(7)} turns/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(7)} ms   CPU ${r.cpuMsPerTurn.toFixed(2)} ms/turn   ${r.postsPerTurn.toFixed(2)} posts/turn   (${r.turns} turns in ${r.seconds.toFixed(1)} s, ${r.failures} failed)`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-dm-'));
  const referenceDirs = ['bench-waterfall-', 'bench-waterfall-records-'].map((prefix) => mkdtempSync(path.join(tmpdir(), prefix)));
  const config = loadConfig({ PORT: '0', LOCAL_TRY_IT: 'false', DATA_DIR: process.argv.includes('--memory') ? ':memory:' : dataDir, LOG_LEVEL: 'silent', FOLLOW_UP_SWEEP_MS: '0' });
  const connector = await startConnector();
  const echo = await startEchoBot(config);
  const referenceDb = await openDatabase({ dataDir: referenceDirs[0] });
  const waterfallInMemory = await startWaterfallBot(config);
  const waterfallOnFiles = await startWaterfallBot(config, new BotStateStorage(referenceDb.collection('botState')));
  const recordsDb = await openDatabase({ dataDir: referenceDirs[1] });
  const waterfallWithRecords = await startWaterfallBot(config, new BotStateStorage(recordsDb.collection('botState')), recordsDb);
  const app = await startApp(config, { logger: silentLogger });
  try {
    const profileSeconds = arg('profile-ours', 0);
    if (profileSeconds > 0) {
      await drive(app.url, connector, 'warm-ours', WARMUP_SECONDS);
      const profile = await profiled(() => drive(app.url, connector, 'profile', profileSeconds));
      console.log(row('full DM dialog turn', profile.result));
      writeFileSync(PROFILE_FILE, JSON.stringify(profile.profile));
      console.log(`CPU profile of the measured turns (warm-up and start-up excluded): ${PROFILE_FILE}`);
      return;
    }
    console.log(`${CONVERSATIONS} concurrent conversations, ${SECONDS} s per bot after ${WARMUP_SECONDS} s warm-up, store: ${app.db.engine} (${config.dataDir === ':memory:' ? 'in memory' : 'files'})`);
    // Echo and ours as the issue asks; two bare waterfalls beside them show what the dialog framework and
    // durable state cost before a bot does any work of its own.
    const bots = [
      { name: 'echo bot (baseline)', url: echo.url, runs: [] as Result[] },
      { name: 'waterfall, state in RAM', url: waterfallInMemory.url, runs: [] as Result[] },
      { name: 'waterfall, state on disk', url: waterfallOnFiles.url, runs: [] as Result[] },
      { name: 'waterfall + records', url: waterfallWithRecords.url, runs: [] as Result[] },
      { name: 'full DM dialog turn', url: app.url, runs: [] as Result[] },
    ];
    for (const bot of bots) await drive(bot.url, connector, `warm-${bot.name}`, WARMUP_SECONDS);
    // Alternate short rounds so every bot sees the same machine conditions.
    for (let round = 0; round < ROUNDS; round++) {
      for (const bot of bots) bot.runs.push(await drive(bot.url, connector, `${bot.name}${round}`, SECONDS / ROUNDS));
    }
    const merge = (runs: Result[]): Result => {
      const total = (pick: (r: Result) => number) => runs.reduce((sum, r) => sum + pick(r), 0);
      const turns = total((r) => r.turns);
      const seconds = total((r) => r.seconds);
      return {
        turns,
        seconds,
        perSecond: turns / seconds,
        p50: Math.max(...runs.map((r) => r.p50)),
        p99: Math.max(...runs.map((r) => r.p99)),
        failures: total((r) => r.failures),
        cpuMsPerTurn: total((r) => r.cpuMsPerTurn * r.turns) / Math.max(1, turns),
        postsPerTurn: total((r) => r.postsPerTurn * r.turns) / Math.max(1, turns),
      };
    };
    const results = bots.map((bot) => ({ name: bot.name, result: merge(bot.runs) }));
    const echoRate = results[0].result.perSecond;
    for (const { name, result } of results) console.log(`${row(name, result)}   ${(result.perSecond / echoRate).toFixed(2)}×`);
    const ratio = results.at(-1)!.result.perSecond / echoRate;
    console.log(`ratio ${ratio.toFixed(2)}× the echo bot (aim ≥ ${AIM}×): ${ratio >= AIM ? 'MET' : 'MISSED'}`);
    const tickets = await app.db.collection('tickets').countDocuments({});
    console.log(`tickets opened: ${tickets}; connector received ${connector.replies()} bot posts`);
    if (results.some(({ result }) => result.failures > 0)) process.exitCode = 1;
  } finally {
    await app.close();
    await echo.close();
    await waterfallInMemory.close();
    await waterfallOnFiles.close();
    await waterfallWithRecords.close();
    await referenceDb.close();
    await recordsDb.close();
    await connector.close();
    agent.destroy();
    for (const dir of [dataDir, ...referenceDirs]) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
