/**
 * Crisis mode per topic. While a topic is in crisis, one-by-one public replies on it are paced to a
 * configured number per hour (a brand replying 400 times an hour looks like a bot under siege); one
 * holding statement is suggested (or posted through the social area's publisher). Private replies, DMs
 * and tickets are never stopped: the gate only answers "public reply, yes or no".
 */
import type { Clock } from '../clock';
import { HOUR } from '../clock';
import type { Collection, Document } from '../store/types';
import type { Actor } from '../tickets/types';
import { topicLabel, topicsOfPost, type TopicVocabulary } from './topics';

export const CRISIS_MODES_COLLECTION = 'crisisModes';
export const CRISIS_REPLIES_COLLECTION = 'crisisPublicReplies';

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
}

/** The port the social area's reply path calls (issue 3); `CrisisService` implements it. */
export interface CrisisGate {
  shouldReplyPublicly(post: PostForGate): Promise<GateDecision>;
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

  constructor(
    private readonly modes: Collection<CrisisMode>,
    private readonly replies: Collection<ReplySlot>,
    private readonly clock: Clock,
    private readonly settings: CrisisSettings,
    private readonly publisher?: HoldingStatementPublisher,
  ) {}

  static indexes(replies: Collection<Document & { topic: string; at: Date }>): Promise<void>[] {
    return [replies.createIndex({ fields: { topic: 1, at: 1 } })];
  }

  holdingStatementFor(topic: string): string {
    return this.settings.holdingStatementTemplate.replaceAll('{topic}', topicLabel(topic)).replaceAll('{brand}', this.settings.brandName);
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
    const now = this.clock.now();
    const result = await this.modes.updateOne({ _id: topic, active: true }, { $set: { active: false }, $push: { history: { at: now, action: 'deactivated', by: `${actor.kind}:${actor.id}`, reason } } });
    const mode = await this.modes.findOne({ _id: topic });
    return result.matchedCount === 1 && mode ? this.changed(mode) : null;
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

  shouldReplyPublicly(post: PostForGate): Promise<GateDecision> {
    const decided = this.gateQueue.then(() => this.decide(post));
    this.gateQueue = decided.catch(() => undefined);
    return decided;
  }

  private async decide(post: PostForGate): Promise<GateDecision> {
    const active = await this.active();
    if (active.length === 0) return { reply: true, reason: 'no crisis' };
    const topics = new Set(topicsOfPost(post.text, this.settings.vocabulary, post.hashtags));
    const crisis = active.find((mode) => topics.has(mode.topic) || mode.topic === 'all complaints');
    if (!crisis) return { reply: true, reason: 'no crisis on this topic' };
    const now = this.clock.now();
    const used = await this.replies.countDocuments({ topic: crisis.topic, at: { $gt: new Date(now.getTime() - HOUR) } });
    const holding = crisis.holdingStatement.text;
    if (used >= this.settings.publicRepliesPerHour) {
      return { reply: false, reason: `crisis mode on ${crisis.topic}: ${used} public replies in the last hour (limit ${this.settings.publicRepliesPerHour}); take the customer into a DM`, topic: crisis.topic, holdingStatement: holding };
    }
    await this.replies.insertOne({ topic: crisis.topic, postKey: post.postKey, at: now });
    return { reply: true, reason: `crisis mode on ${crisis.topic}: public reply ${used + 1} of ${this.settings.publicRepliesPerHour} this hour`, topic: crisis.topic, holdingStatement: holding };
  }

  private changed(mode: CrisisMode): CrisisMode {
    this.cache = undefined;
    this.onChange?.(mode);
    return mode;
  }
}
