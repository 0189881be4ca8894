/** The listening job (monitor, spike detector, alerts, crisis) over an in-memory store, with a manual clock and a fake alert webhook. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { AlertService } from '../../services/listening/alerts';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import { CrisisService, type CrisisMode, type HeldReply } from '../../services/listening/crisis';
import { ListeningMonitor } from '../../services/listening/monitor';
import { SpikeDetector } from '../../services/listening/spikes';
import { AlertWebhook } from '../../services/listening/webhook';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Document } from '../../services/store/types';
import type { SocialPostRecord } from '../../services/social/types';
import { FakeWebhook } from './support/fakeWebhook';

export const BUCKET = 15 * MINUTE;

export interface ListeningBenchOptions {
  publicRepliesPerHour: number;
  holdingStatementTemplate: string;
  /** Reach (impressions) above which one post alone raises an alert; 0 turns it off. */
  reachThreshold: number;
  /** How example post texts are cleaned before they go into an alert. */
  redact: (text: string) => string;
  /** Keep the store in a temporary directory, so `restart()` reopens it as a new process would. */
  onDisk?: boolean;
}

export interface ListeningBench {
  posts: Collection<SocialPostRecord>;
  alertDocs: Collection<ListeningAlert>;
  clock: ManualClock;
  hook: FakeWebhook;
  alerts: AlertService;
  crisis: CrisisService;
  monitor: ListeningMonitor;
  /** Post keys of public replies the crisis cap held and then released. */
  released: string[];
  close(): Promise<void>;
  /** Stops everything and starts it again over the same store (needs `onDisk`): nothing kept in memory survives. */
  restart(): Promise<void>;
  /** Six complaints per window for `windows` windows, starting at the clock, each window then ticked: a quiet baseline. */
  steady(windows: number): Promise<void>;
}

/** A fresh bench for every test of the calling `describe`; read its fields inside the tests. */
export function useListeningBench(options: ListeningBenchOptions): ListeningBench {
  const bench = {} as ListeningBench;
  beforeEach(async () => {
    await startListeningBench(options, bench);
  });
  afterEach(() => bench.close());
  return bench;
}

/** Fills `bench` (kept by the caller across restarts: `restart()` swaps its services in place). */
async function startListeningBench(options: ListeningBenchOptions, bench: ListeningBench): Promise<ListeningBench> {
  const dataDir = options.onDisk ? mkdtempSync(path.join(tmpdir(), 'listening-')) : ':memory:';
  const clock = new ManualClock('2026-03-02T00:00:00Z');
  const hook = await new FakeWebhook().start();
  const released: string[] = [];
  Object.assign(bench, { clock, hook, released });

  const open = async () => {
    const db = await openNedbDatabase(dataDir);
    const posts = db.collection<SocialPostRecord>('socialPosts');
    const alertDocs = db.collection<ListeningAlert>('listeningAlerts');
    const alerts = new AlertService(alertDocs, clock, new AlertWebhook({ url: hook.url, format: 'slack', timeoutMs: 2000, initialBackoffMs: 10 }));
    const crisis = new CrisisService(
      db.collection<CrisisMode>('crisisModes'),
      db.collection<Document & { topic: string; postKey: string; at: Date }>('crisisPublicReplies'),
      clock,
      { publicRepliesPerHour: options.publicRepliesPerHour, holdingStatementTemplate: options.holdingStatementTemplate, brandName: 'Acme', autoHours: 24, vocabulary: { products: [], keywords: [] } },
      undefined,
      db.collection<HeldReply>('crisisHeldReplies'),
    );
    crisis.releaseHeldTo(async (postKey) => void released.push(postKey));
    const monitor = new ListeningMonitor(
      posts,
      new SpikeDetector({ bucketMs: BUCKET, alpha: 0.1, zThreshold: 4, minCount: 10, minRatio: 2, warmupBuckets: 8, cooldownMs: HOUR }),
      alerts,
      crisis,
      clock,
      { bucketMs: BUCKET, historyBuckets: 16, reachThreshold: options.reachThreshold, reachWindowMs: 6 * HOUR, crisisAutoZ: 8, crisisAutoMinCount: 50, subsideWindows: 2, spikeMinCount: 10, vocabulary: { products: [], keywords: [] } },
      options.redact,
    );
    const stop = async () => {
      await alerts.drain();
      await db.close();
    };
    Object.assign(bench, { posts, alertDocs, alerts, crisis, monitor, stop });
  };
  await open();

  return Object.assign(bench, {
    close: async () => {
      await (bench as unknown as { stop(): Promise<void> }).stop();
      await hook.stop();
      if (options.onDisk) rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      if (!options.onDisk) throw new Error('restart() needs a bench with onDisk: true');
      await (bench as unknown as { stop(): Promise<void> }).stop();
      await open();
    },
    steady: async (windows: number) => {
      for (let w = 0; w < windows; w++) {
        const start = clock.now().getTime();
        await bench.posts.insertMany(Array.from({ length: 6 }, (_, i) => archivedPost(new Date(start + i * MINUTE), 'my parcel is late again')));
        clock.advance(BUCKET);
        await bench.monitor.tick();
      }
    },
  });
}

let n = 0;

/** An archived X complaint at `at`; `hashtags` fills its topics, `extra` overrides any field. */
export function archivedPost(at: Date, text: string, extra: Partial<SocialPostRecord> & { hashtags?: string[] } = {}): SocialPostRecord {
  const id = String(++n);
  const { hashtags = [], ...fields } = extra;
  return {
    _id: `x:${id}`,
    platform: 'x',
    postId: id,
    url: `https://x.com/u${id}/status/${id}`,
    text,
    author: { id: `u${id}`, handle: `user${id}`, followers: 150 },
    sentiment: { score: -3, comparative: -0.5 },
    triage: { decision: 'needs_care', reason: 'complaint', rulesVersion: '1' },
    topics: { hashtags, products: [], subjects: [] },
    receivedAt: at,
    postedAt: at,
    source: 'x_webhook',
    ...fields,
  };
}
