/** The alert record: what the console lists and the webhook carries. */
import type { Document } from '../store/types';

export const LISTENING_ALERTS_COLLECTION = 'listeningAlerts';

export interface AlertExample {
  /** `platform:postId` in the archive. */
  postKey: string;
  platform: string;
  url?: string;
  /** Personal data (e-mails, phones, order numbers) already redacted. */
  text: string;
  authorId: string;
  authorHandle?: string;
  followers?: number;
  impressions?: number;
}

export interface ListeningAlert extends Document {
  kind: 'spike' | 'reach' | 'crisis';
  severity: 'warning' | 'crisis';
  topic: string;
  title: string;
  summary: string;
  numbers: Record<string, number | string>;
  examples: AlertExample[];
  at: Date;
  acknowledged?: { by: string; at: Date };
  webhook: { status: 'none' | 'pending' | 'sent' | 'failed'; attempts: number; lastError?: string };
}
