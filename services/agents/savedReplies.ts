/**
 * Saved replies (macros): short texts agents insert into the reply box and edit before sending. Supervisors keep the
 * list; everyone signed in reads it. Placeholders such as `{customer_first_name}` stay as typed here: the console
 * fills them from the open ticket, so this store never holds a customer's data.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Collection, Document } from '../store/types';
import type { AgentProfile } from './accounts';

export const SAVED_REPLIES_COLLECTION = 'savedReplies';
export const SAVED_REPLY_LIMITS = { title: 80, text: 2000 } as const;

export interface SavedReply extends Document {
  title: string;
  text: string;
  createdBy: { id: string; name: string };
  createdAt: Date;
  updatedAt: Date;
  updatedBy?: { id: string; name: string };
}

export type SavedReplyInput = Pick<SavedReply, 'title' | 'text'>;

export class SavedReplies {
  constructor(
    private readonly replies: Collection<SavedReply>,
    private readonly clock: Clock,
  ) {}

  static indexes(replies: Collection<SavedReply>): Promise<void>[] {
    return [replies.createIndex({ fields: { title: 1 } })];
  }

  /** Alphabetical by title, as the picker shows them. */
  list(): Promise<SavedReply[]> {
    return this.replies.find({}, { sort: { title: 1 } });
  }

  create(input: SavedReplyInput, by: Pick<AgentProfile, '_id' | 'name'>): Promise<SavedReply> {
    const now = this.clock.now();
    return this.replies.insertOne({ _id: `sr_${randomUUID().replace(/-/g, '')}`, ...input, createdBy: { id: by._id, name: by.name }, createdAt: now, updatedAt: now });
  }

  /** Null when there is no such reply. */
  update(id: string, input: Partial<SavedReplyInput>, by: Pick<AgentProfile, '_id' | 'name'>): Promise<SavedReply | null> {
    return this.replies.findOneAndUpdate({ _id: id }, { $set: { ...input, updatedAt: this.clock.now(), updatedBy: { id: by._id, name: by.name } } });
  }

  /** False when there was no such reply. */
  async remove(id: string): Promise<boolean> {
    return (await this.replies.deleteOne({ _id: id })) > 0;
  }
}
