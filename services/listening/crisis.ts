/**
 * Crisis mode per topic. While a topic is in crisis, one-by-one public replies on it are paced to a
 * configured number per hour (a brand replying 400 times an hour looks like a bot under siege); one
 * holding statement is suggested (or posted through the social area's publisher). Private replies, DMs
 * and tickets are never stopped: the gate only answers "public reply, yes or no".
 */
import type { Clock } from '../clock';
import { HOUR } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { isDuplicateKey, type Collection, type Document } from '../store/types';
import type { Actor } from '../tickets/types';
import { kindOfTopic, topicLabel, topicsOfPost, type TopicVocabulary } from './topics';

export const CRISIS_MODES_COLLECTION = 'crisisModes';
export const CRISIS_REPLIES_COLLECTION = 'crisisPublicReplies';
/** Public replies held back by the cap, answered in order when the cap allows or the crisis ends. */
export const CRISIS_HELD_COLLECTION = 'crisisHeldReplies';

/** One held reply: ids only, no text (the post stays in the social archive). */
export interface HeldReply extends Document {
  /** `_id` is the post's `platform:postId`; the crisis topic that held it. */
  topic: string;
  heldAt: Date;
}

export interface CrisisMode extends Document {
  topic: string;
  active: boolean;
  since: Date;
  /** Automatic crisis mode ends by itself; a supervisor's stays until switched off. */
  until?: Date;
  auto: boolean;
  reason: string;
  holdingStatement: { text: string; status: 'suggested' | 'posted'; postedAt?: Date; url?: string };
  history: Array<{ at: Date; action: 'activated' | 'deactivated' | 'holding_statement_posted'; by: string; reason?: string }>;
}

interface ReplySlot extends Document {
  topic: string;
  postKey: string;
  at: Date;
}

/** What the social reply path asks before sending a public reply. */
export interface PostForGate {
  /** `platform:postId` */
  postKey: string;
  text: string;
  hashtags?: string[];
}

export interface GateDecision {
  reply: boolean;
  reason: string;
  /** The crisis topic that decided it, when one did. */
  topic?: string;
  /** The holding statement to point the customer at instead of an individual reply. */
  holdingStatement?: string;
  /** The reply was not dropped: it is held and will be released (`releaseHeld`) when the cap allows or the crisis ends. */
  held?: boolean;
}

export interface GateOptions {
  /** Over the cap, hold the reply for later instead of skipping it (X: the public reply is the only way we reach them). */
  holdIfCapped?: boolean;
}

/** Queues the public reply of a held post; registered by the social area. */
export type HeldReplyRelease = (postKey: string) => Promise<void>;

/** The port the social area's reply path calls (issue 3); `CrisisService` implements it. */
export interface CrisisGate {
  shouldReplyPublicly(post: PostForGate, options?: GateOptions): Promise<GateDecision>;
}

/** Optional: the social area's way to post one public statement; without it, the statement is only suggested. */
export interface HoldingStatementPublisher {
  publish(text: string, topic: string): Promise<{ url?: string }>;
}

export interface CrisisSettings {
  publicRepliesPerHour: number;
  holdingStatementTemplate: string;
  brandName: string;
  autoHours: number;
  vocabulary: TopicVocabulary;
}

export class CrisisService implements CrisisGate {
  private cache: { at: number; modes: CrisisMode[] } | undefined;
  /** Check-then-record of a reply slot is one step per process. */
  private gateQueue: Promise<unknown> = Promise.resolve();
  onChange?: (mode: CrisisMode) => void;
  private release?: HeldReplyRelease;
  private releasing: Promise<number> | undefined;

  constructor(
    private readonly modes: Collection<CrisisMode>,
    private readonly replies: Collection<ReplySlot>,
    private readonly clock: Clock,
    private readonly settings: CrisisSettings,
    private readonly publisher?: HoldingStatementPublisher,
    /** Held replies; without it, replies over the cap are skipped (the caller reaches the customer another way). */
    private readonly held?: Collection<HeldReply>,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** Where held replies go when released (the social area's intake). */
  releaseHeldTo(release: HeldReplyRelease): void {
    this.release = release;
  }

  static indexes(replies: Collection<Document & { topic: string; at: Date }>, held?: Collection<HeldReply>): Promise<void>[] {
    // Held replies are released oldest first.
    return [replies.createIndex({ fields: { topic: 1, at: 1 } }), ...(held ? [held.createIndex({ fields: { heldAt: 1 } })] : [])];
  }

  holdingStatementFor(topic: string): string {
    return this.settings.holdingStatementTemplate.replaceAll('{topic}', topicPhrase(topic)).replaceAll('{brand}', this.settings.brandName);
  }

  async activate(topic: string, actor: Actor | 'auto', reason: string): Promise<CrisisMode> {
    const now = this.clock.now();
    const existing = await this.modes.findOne({ _id: topic });
    const by = actor === 'auto' ? 'auto' : `${actor.kind}:${actor.id}`;
    const auto = actor === 'auto';
    if (existing?.active) {
      // A supervisor confirming an automatic crisis makes it stay; an automatic re-trigger extends it.
      const patch = auto ? { until: new Date(now.getTime() + this.settings.autoHours * HOUR) } : { auto: false };
      await this.modes.updateOne({ _id: topic }, { $set: patch, ...(auto ? {} : { $unset: { until: '' } }), $push: { history: { at: now, action: 'activated', by, reason } } });
      return this.changed((await this.modes.findOne({ _id: topic }))!);
    }
    const mode: CrisisMode = {
      _id: topic,
      topic,
      active: true,
      since: now,
      ...(auto && { until: new Date(now.getTime() + this.settings.autoHours * HOUR) }),
      auto,
      reason,
      holdingStatement: { text: this.holdingStatementFor(topic), status: 'suggested' },
      history: [...(existing?.history ?? []), { at: now, action: 'activated', by, reason }],
    };
    const { _id, ...fields } = mode;
    await this.modes.updateOne({ _id }, { $set: fields }, { upsert: true });
    return this.changed((await this.modes.findOne({ _id: topic }))!);
  }

  async deactivate(topic: string, actor: Actor, reason = 'switched off'): Promise<CrisisMode | null> {
    return this.switchOff({ _id: topic, active: true }, `${actor.kind}:${actor.id}`, reason);
  }

  /**
   * Ends automatic crisis mode when the spike that started it is over. A supervisor's crisis mode (or an
   * automatic one a supervisor confirmed, which clears `auto`) is never switched off here.
   */
  endAutomatic(topic: string, reason: string): Promise<CrisisMode | null> {
    return this.switchOff({ _id: topic, active: true, auto: true }, 'auto', reason);
  }

  private async switchOff(filter: { _id: string; active: true; auto?: true }, by: string, reason: string): Promise<CrisisMode | null> {
    const now = this.clock.now();
    const topic = filter._id;
    const result = await this.modes.updateOne(filter, { $set: { active: false }, $push: { history: { at: now, action: 'deactivated', by, reason } } });
    const mode = await this.modes.findOne({ _id: topic });
    if (result.matchedCount !== 1 || !mode) return null;
    this.changed(mode);
    // The crisis is over: everyone whose reply it held is answered now, not at the next tick.
    await this.releaseHeld();
    return mode;
  }

  /** Posts the topic's holding statement once, when the social area gave us a publisher. */
  async postHoldingStatement(topic: string, actor: Actor, text?: string): Promise<CrisisMode> {
    const mode = await this.modes.findOne({ _id: topic, active: true });
    if (!mode) throw new Error(`No active crisis on ${topic}`);
    if (!this.publisher) throw new Error('Posting statements is not available; post it by hand from the brand account');
    if (mode.holdingStatement.status === 'posted') return mode;
    const statement = text?.trim() || mode.holdingStatement.text;
    const { url } = await this.publisher.publish(statement, topic);
    const now = this.clock.now();
    await this.modes.updateOne(
      { _id: topic },
      {
        $set: { holdingStatement: { text: statement, status: 'posted', postedAt: now, ...(url && { url }) } },
        $push: { history: { at: now, action: 'holding_statement_posted', by: `${actor.kind}:${actor.id}` } },
      },
    );
    return this.changed((await this.modes.findOne({ _id: topic }))!);
  }

  async active(): Promise<CrisisMode[]> {
    const now = this.clock.now();
    if (this.cache && Math.abs(now.getTime() - this.cache.at) < 2000) return this.cache.modes;
    const modes = (await this.modes.find({ active: true })).filter((mode) => !mode.until || mode.until > now);
    this.cache = { at: now.getTime(), modes };
    return modes;
  }

  list(): Promise<CrisisMode[]> {
    return this.modes.find({}, { sort: { since: -1 }, limit: 100 });
  }

  shouldReplyPublicly(post: PostForGate, options: GateOptions = {}): Promise<GateDecision> {
    return this.serially(() => this.decide(post, options));
  }

  async isHeld(postKey: string): Promise<boolean> {
    return Boolean(await this.held?.findOne({ _id: postKey }));
  }

  /**
   * Answers held replies, oldest first, as far as each topic's cap allows (all of them once its crisis
   * has ended); returns how many were released. Called by the listening job and when a crisis ends.
   */
  releaseHeld(): Promise<number> {
    this.releasing ??= this.releaseInOrder().finally(() => (this.releasing = undefined));
    return this.releasing;
  }

  private async releaseInOrder(): Promise<number> {
    if (!this.held || !this.release) return 0;
    let released = 0;
    const capped = new Set<string>();
    for (;;) {
      const batch = (await this.held.find({}, { sort: { heldAt: 1, _id: 1 }, limit: 200 })).filter((entry) => !capped.has(entry.topic));
      if (batch.length === 0) return released;
      for (const entry of batch) {
        if (capped.has(entry.topic)) continue;
        const slot = await this.serially(() => this.takeSlot(entry.topic, entry._id));
        if (!slot) {
          capped.add(entry.topic);
          continue;
        }
        // Another instance may have released it already: only the one that removes the entry answers it.
        if ((await this.held.deleteOne({ _id: entry._id })) !== 1) continue;
        try {
          await this.release(entry._id);
          released++;
        } catch (error) {
          this.logger.warn({ err: error, postKey: entry._id }, 'held public reply not released; it stays held');
          await this.held.insertOne(entry).catch(() => undefined);
          return released;
        }
      }
    }
  }

  /** True when a reply on this topic may go now (recording its slot while the crisis lasts). */
  private async takeSlot(topic: string, postKey: string): Promise<boolean> {
    const crisis = (await this.active()).find((mode) => mode.topic === topic);
    if (!crisis) return true;
    return (await this.underCap(topic, postKey, this.clock.now())).taken;
  }

  /** The cap check: counts the topic's public replies in the last hour and, under the cap, records this one's slot. */
  private async underCap(topic: string, postKey: string, now: Date): Promise<{ taken: boolean; used: number }> {
    const used = await this.replies.countDocuments({ topic, at: { $gt: new Date(now.getTime() - HOUR) } });
    if (used >= this.settings.publicRepliesPerHour) return { taken: false, used };
    await this.replies.insertOne({ topic, postKey, at: now });
    return { taken: true, used };
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const done = this.gateQueue.then(work);
    this.gateQueue = done.catch(() => undefined);
    return done;
  }

  private async decide(post: PostForGate, options: GateOptions): Promise<GateDecision> {
    const active = await this.active();
    if (active.length === 0) return { reply: true, reason: 'no crisis' };
    const topics = new Set(topicsOfPost(post.text, this.settings.vocabulary, post.hashtags));
    const crisis = active.find((mode) => topics.has(mode.topic) || mode.topic === 'all complaints');
    if (!crisis) return { reply: true, reason: 'no crisis on this topic' };
    const now = this.clock.now();
    const { taken, used } = await this.underCap(crisis.topic, post.postKey, now);
    const holding = crisis.holdingStatement.text;
    const limit = this.settings.publicRepliesPerHour;
    if (!taken) {
      if (options.holdIfCapped && this.held) {
        try {
          await this.held.insertOne({ _id: post.postKey, topic: crisis.topic, heldAt: now });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        return { reply: false, held: true, reason: `crisis mode on ${crisis.topic}: ${used} public replies in the last hour (limit ${limit}); reply held until the cap allows or the crisis ends`, topic: crisis.topic, holdingStatement: holding };
      }
      return { reply: false, reason: `crisis mode on ${crisis.topic}: ${used} public replies in the last hour (limit ${limit}); take the customer into a DM`, topic: crisis.topic, holdingStatement: holding };
    }
    return { reply: true, reason: `crisis mode on ${crisis.topic}: public reply ${used + 1} of ${limit} this hour`, topic: crisis.topic, holdingStatement: holding };
  }

  private changed(mode: CrisisMode): CrisisMode {
    this.cache = undefined;
    this.onChange?.(mode);
    return mode;
  }
}

/**
 * A topic as the holding statement names it: hashtags and products as they are; a frequent term or the
 * overall count is no phrase for customers ("affected by stuck"), so those read "the current issue".
 */
function topicPhrase(topic: string): string {
  const kind = kindOfTopic(topic);
  if (kind === 'hashtag' || kind === 'product') return topicLabel(topic);
  if (kind === 'keyword') return `the ${topicLabel(topic)} issue`;
  return 'the current issue';
}
