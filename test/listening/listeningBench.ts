/** The listening job (monitor, spike detector, alerts, crisis) over an in-memory store, with a manual clock and a fake alert webhook. */
import { afterEach, beforeEach } from 'vitest';
import { HOUR, ManualClock, MINUTE } from '../../services/clock';
import { AlertService } from '../../services/listening/alerts';
import type { ListeningAlert } from '../../services/listening/alertTypes';
import { CrisisService, type CrisisMode } from '../../services/listening/crisis';
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
}

export interface ListeningBench {
  posts: Collection<SocialPostRecord>;
  alertDocs: Collection<ListeningAlert>;
  clock: ManualClock;
  hook: FakeWebhook;
  alerts: AlertService;
  crisis: CrisisService;
  monitor: ListeningMonitor;
  close(): Promise<void>;
  /** Six complaints per window for `windows` windows, starting at the clock, each window then ticked: a quiet baseline. */
  steady(windows: number): Promise<void>;
}

/** A fresh bench for every test of the calling `describe`; read its fields inside the tests. */
export function useListeningBench(options: ListeningBenchOptions): ListeningBench {
  const bench = {} as ListeningBench;
  beforeEach(async () => {
    Object.assign(bench, await startListeningBench(options));
  });
  afterEach(() => bench.close());
  return bench;
}

async function startListeningBench(options: ListeningBenchOptions): Promise<ListeningBench> {
  const db = await openNedbDatabase(':memory:');
  const posts = db.collection<SocialPostRecord>('socialPosts');
  const alertDocs = db.collection<ListeningAlert>('listeningAlerts');
  const clock = new ManualClock('2026-03-02T00:00:00Z');
  const hook = await new FakeWebhook().start();
  const alerts = new AlertService(alertDocs, clock, new AlertWebhook({ url: hook.url, format: 'slack', timeoutMs: 2000, initialBackoffMs: 10 }));
  const crisis = new CrisisService(db.collection<CrisisMode>('crisisModes'), db.collection<Document & { topic: string; postKey: string; at: Date }>('crisisPublicReplies'), clock, {
    publicRepliesPerHour: options.publicRepliesPerHour,
    holdingStatementTemplate: options.holdingStatementTemplate,
    brandName: 'Acme',
    autoHours: 24,
    vocabulary: { products: [], keywords: [] },
  });
  const monitor = new ListeningMonitor(
    posts,
    new SpikeDetector({ bucketMs: BUCKET, alpha: 0.1, zThreshold: 4, minCount: 10, minRatio: 2, warmupBuckets: 8, cooldownMs: HOUR }),
    alerts,
    crisis,
    clock,
    { bucketMs: BUCKET, historyBuckets: 16, reachThreshold: options.reachThreshold, reachWindowMs: 6 * HOUR, crisisAutoZ: 8, crisisAutoMinCount: 50, vocabulary: { products: [], keywords: [] } },
    options.redact,
  );
  return {
    posts, alertDocs, clock, hook, alerts, crisis, monitor,
    close: async () => {
      await alerts.drain();
      await hook.stop();
      await db.close();
    },
    steady: async (windows) => {
      for (let w = 0; w < windows; w++) {
        const start = clock.now().getTime();
        await posts.insertMany(Array.from({ length: 6 }, (_, i) => archivedPost(new Date(start + i * MINUTE), 'my parcel is late again')));
        clock.advance(BUCKET);
        await monitor.tick();
      }
    },
  };
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
