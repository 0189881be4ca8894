/**
 * Ingest benchmark: signed X webhook events per second through verify + dedupe + triage + archive +
 * enqueue, on the embedded NeDB store, and memory over a 100,000-event burst (a post going viral).
 * Run: `npx tsx bench/ingest.ts [events=100000] [httpEvents=20000]`. Replies are paced by the worker
 * separately and are not part of the figure.
 *  - in-process: the door's pipeline without HTTP (what the store and triage cost);
 *  - http: the real app on port 0, signed POSTs to /api/social/x/webhook, 32 in flight.
 */
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
import type { ReplyJob, SocialPostRecord } from '../services/social/types';
import { isAccountActivityBody, parseAccountActivity } from '../services/social/x/accountActivity';
import { signXBody, verifyXSignature } from '../services/social/x/signature';
import { openDatabase } from '../services/store/openDatabase';

const SECRET = 'bench-consumer-secret';
const BRAND = '2244994945';
const TEXTS = [
  '@AcmeSupport SMS says my parcel was delivered and collected by me personally. It wasn\'t. Still nothing.',
  'RT @someone: @AcmeSupport this is going viral',
  'Thanks @AcmeSupport, parcel arrived early, love it!',
  '@AcmeSupport my refund never arrived, order AB-2024117',
  '@AcmeSupport where is my order? #LateAgain',
];

/** Event i; every 20th is a redelivery of an earlier one (exercises dedupe). */
function event(i: number): string {
  const id = i % 20 === 19 ? i - 7 : i;
  return JSON.stringify({
    for_user_id: BRAND,
    tweet_create_events: [{
      id_str: String(1_500_000_000_000_000_000n + BigInt(id)),
      text: TEXTS[id % TEXTS.length],
      user: { id_str: String(10_000 + (id % 5000)), name: 'Sam Lee', screen_name: `fan${id % 5000}`, followers_count: id % 10_000 },
      in_reply_to_user_id_str: BRAND,
      entities: { hashtags: [], user_mentions: [{ id_str: BRAND }] },
      lang: 'en',
      timestamp_ms: String(Date.now()),
    }],
  });
}

const mb = (bytes: number) => Math.round(bytes / 1_048_576);
function memory(label: string): void {
  global.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`  ${label.padEnd(18)} rss ${String(mb(rss)).padStart(4)} MB   heap ${String(mb(heapUsed)).padStart(4)} MB`);
}

async function inProcess(total: number): Promise<void> {
  const db = await openDatabase({ dataDir: mkdtempSync(path.join(tmpdir(), 'bench-ingest-')) });
  const posts = db.collection<SocialPostRecord>('socialPosts');
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
  });
  const handle = async (raw: Buffer, signature: string) => {
    if (!verifyXSignature(SECRET, raw, signature)) throw new Error('signature');
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (!isAccountActivityBody(body)) throw new Error('body');
    for (const post of parseAccountActivity(body, BRAND).posts) await intake.ingest(post, 'x_webhook');
  };
  console.log(`in-process: ${total} signed events, 32 in flight`);
  memory('before');
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
        memory(`${i + 1} (${rate}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`  => ${Math.round(total / seconds)} events/s overall (${seconds.toFixed(1)} s); archived ${await posts.countDocuments({})}, replies queued ${await jobs.countDocuments({})}`);
  await db.close();
}

async function overHttp(total: number): Promise<void> {
  const config = loadConfig({
    PORT: '0', LOCAL_TRY_IT: 'false', LOG_LEVEL: 'silent', DATA_DIR: mkdtempSync(path.join(tmpdir(), 'bench-http-')),
    X_CONSUMER_SECRET: SECRET, X_BRAND_USER_ID: BRAND, X_BRAND_HANDLE: 'AcmeSupport', X_BEARER_TOKEN: 'bench',
    // Replies are paced separately; the bench only measures ingest, so the worker sends nowhere fast.
    X_API_BASE_URL: 'http://127.0.0.1:9', SOCIAL_REPLY_INTERVAL_MS: '600000', DM_LINK_SECRET: 'bench-dm-link-secret-0123456789',
  });
  const app = await startApp(config, { logger: silentLogger });
  console.log(`http: ${total} signed POSTs to /api/social/x/webhook, 32 in flight`);
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const raw = event(1_000_000 + next++);
      const response = await fetch(`${app.url}/api/social/x/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-twitter-webhooks-signature': signXBody(SECRET, raw) }, body: raw });
      await response.arrayBuffer();
      if (response.status !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`  => ${Math.round(total / seconds)} events/s (${seconds.toFixed(1)} s), ${failures} non-200`);
  memory('after http');
  await app.close();
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 100_000);
  const httpTotal = Number(process.argv[3] ?? 20_000);
  await inProcess(total);
  if (httpTotal > 0) await overHttp(httpTotal);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
