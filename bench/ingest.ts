/**
 * Ingest benchmark: signed X webhook events per second through verify + dedupe + triage + archive +
 * enqueue, on the embedded NeDB store, and memory over a 100,000-event burst (a post going viral).
 * Run: `node --expose-gc --import tsx bench/ingest.ts [events=100000] [httpEvents=100000] [both]`.
 * Memory is the live heap after a full GC: every 20,000 events in-process, every 5 s over HTTP. Flat means
 * it does not grow with the burst: archived posts live in segment files (an archive collection), and
 * replies are one per customer, not one per post.
 * Replies are paced by the worker separately and are not part of the figure.
 *  - in-process: the door's pipeline without HTTP (what the store and triage cost);
 *  - http: the real app on port 0, signed POSTs to /api/social/x/webhook, 32 in flight, sent by a
 *    separate load process (bench/ingestLoad.ts) so the client's CPU is not counted against the server;
 *    with `both`, also from inside this process (the old, pessimistic figure) for comparison.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from '../index';
import { systemClock } from '../services/clock';
import { loadConfig } from '../services/config';
import { silentLogger } from '../services/log';
import { SocialIntake } from '../services/social/intake';
import { ReplyComposer } from '../services/social/publicReply';
import { RefTokens } from '../services/social/refToken';
import { ReplyQueue } from '../services/social/replyQueue';
import { DEFAULT_TRIAGE_RULES, Triage } from '../services/social/triage';
import { ReplyAuthorClaims } from '../services/social/replyAuthors';
import { socialPostsOf, type ReplyAuthorClaim, type ReplyJob } from '../services/social/types';
import { isAccountActivityBody, parseAccountActivity } from '../services/social/x/accountActivity';
import { signXBody, verifyXSignature } from '../services/social/x/signature';
import { openDatabase } from '../services/store/openDatabase';
import { BRAND, event, SECRET } from './ingestEvents';

const mb = (bytes: number) => Math.round(bytes / 1_048_576);
/** Live memory: GC thrice, letting weak refs and finalizers (fetch's) settle in between; one gc() counts garbage too. */
async function memory(label: string): Promise<void> {
  for (let round = 0; round < 3; round++) {
    global.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`  ${label.padEnd(18)} rss ${String(mb(rss)).padStart(4)} MB   heap ${String(mb(heapUsed)).padStart(4)} MB`);
}

async function inProcess(total: number): Promise<void> {
  const db = await openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'bench-ingest-')) });
  const posts = socialPostsOf(db);
  const jobs = db.collection<ReplyJob>('socialReplies');
  await Promise.all([...SocialIntake.indexes(posts), ...ReplyQueue.indexes(jobs)]);
  const redact = (text: string) => text;
  const intake = new SocialIntake({
    posts,
    queue: new ReplyQueue(jobs, systemClock),
    triage: new Triage(DEFAULT_TRIAGE_RULES, { brandIds: [BRAND], brandHandles: ['acmesupport'] }),
    composer: new ReplyComposer({ brandName: 'Acme', redact }),
    tokens: new RefTokens('bench-dm-link-secret-0123456789', 7 * 86_400_000),
    channels: { x: { brandUserId: BRAND } },
    clock: systemClock,
    logger: silentLogger,
    redact,
    // As the app wires it (SOCIAL_REPLY_ONCE_PER_AUTHOR_HOURS, default 24): one reply per customer, not per post.
    replyAuthors: new ReplyAuthorClaims(db.collection<ReplyAuthorClaim>('socialReplyAuthors'), 24 * 3_600_000, systemClock),
  });
  const handle = async (raw: Buffer, signature: string) => {
    if (!verifyXSignature(SECRET, raw, signature)) throw new Error('signature');
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (!isAccountActivityBody(body)) throw new Error('body');
    for (const post of parseAccountActivity(body, BRAND).posts) await intake.ingest(post, 'x_webhook');
  };
  console.log(`in-process: ${total} signed events, 32 in flight`);
  await memory('before');
  const started = process.hrtime.bigint();
  let next = 0;
  let windowStart = started;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const raw = Buffer.from(event(i));
      await handle(raw, signXBody(SECRET, raw));
      if ((i + 1) % 20_000 === 0) {
        const now = process.hrtime.bigint();
        const rate = Math.round(20_000 / (Number(now - windowStart) / 1e9));
        windowStart = now;
        await memory(`${i + 1} (${rate}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`  => ${Math.round(total / seconds)} events/s overall (${seconds.toFixed(1)} s); archived ${await posts.countDocuments({})}, replies queued ${await jobs.countDocuments({})}`);
  await db.close();
}

/** Runs bench/ingestLoad.ts in its own process; resolves with its JSON summary. */
function loadFromChild(url: string, total: number, first: number): Promise<{ perSecond: number; seconds: number; non200: number }> {
  const script = path.join(__dirname, 'ingestLoad.ts');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, url, String(total), '32', String(first)], { cwd: path.join(__dirname, '..') }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
    });
  });
}

async function loadInProcess(url: string, total: number, first: number): Promise<{ perSecond: number; seconds: number; non200: number }> {
  let next = 0;
  let non200 = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const raw = event(first + next++);
      const response = await fetch(`${url}/api/social/x/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signXBody(SECRET, raw) }, body: raw });
      await response.arrayBuffer();
      if (response.status !== 200) non200++;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { perSecond: Math.round(total / seconds), seconds, non200 };
}

async function overHttp(total: number, alsoInProcess: boolean): Promise<void> {
  const config = loadConfig({
    PORT: '0', LOCAL_TRY_IT: 'false', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-http-')),
    X_CONSUMER_SECRET: SECRET, X_BRAND_USER_ID: BRAND, X_BRAND_HANDLE: 'AcmeSupport', X_BEARER_TOKEN: 'bench',
    // Replies are paced separately; the bench only measures ingest, so the worker sends nowhere fast.
    X_API_BASE_URL: 'http://127.0.0.1:9', SOCIAL_REPLY_INTERVAL_MS: '600000', DM_LINK_SECRET: 'bench-dm-link-secret-0123456789',
  });
  const app = await startApp(config, { logger: silentLogger });
  const runs: Array<[string, (url: string, total: number, first: number) => Promise<{ perSecond: number; seconds: number; non200: number }>]> = [
    ['load process', loadFromChild],
    ...(alsoInProcess ? [['same process', loadInProcess] as [string, typeof loadInProcess]] : []),
  ];
  let first = 1_000_000;
  for (const [label, run] of runs) {
    console.log(`http (${label}): ${total} signed POSTs to /api/social/x/webhook, 32 in flight`);
    await memory('before');
    // The server's live memory over the burst: after a full GC, every 5 s (a pause of a few ms each time).
    const sampler = setInterval(() => {
      global.gc?.();
      console.log(`  during            rss ${String(mb(process.memoryUsage().rss)).padStart(4)} MB   heap ${String(mb(process.memoryUsage().heapUsed)).padStart(4)} MB`);
    }, 5000);
    const result = await run(app.url, total, first).finally(() => clearInterval(sampler));
    first += total;
    console.log(`  => ${result.perSecond} events/s (${result.seconds.toFixed(1)} s), ${result.non200} non-200`);
    await memory('after');
  }
  console.log(`  archived ${await socialPostsOf(app.db).countDocuments({})}`);
  await app.close();
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const httpTotal = Number(process.argv[3] ?? 100_000);
  if (total > 0) await inProcess(total);
  if (httpTotal > 0) await overHttp(httpTotal, process.argv[4] === 'both');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
