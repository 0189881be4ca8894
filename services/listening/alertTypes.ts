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
  /** Set when retention took the examples out (RETENTION_DAYS after `at`); counts and topic stay. */
  examplesAgedOutAt?: Date;
  at: Date;
  acknowledged?: { by: string; at: Date };
  webhook: { status: 'none' | 'pending' | 'sent' | 'failed'; attempts: number; lastError?: string };
  /** Spike alerts only: whether the surge is still on, and once it is over, how it went. */
  surge?: SurgeLifecycle;
}

/** A spike alert's surge, advanced window by window by the listening job (see surges.ts). */
export interface SurgeLifecycle {
  state: 'active' | 'subsided';
  /** Start of the window the alert was raised for. */
  since: Date;
  /** The usual level the alert reported: "back to usual" is measured against it, not a baseline the surge moved. */
  usual: { mean: number; stdDev: number };
  peak: { count: number; windowStart: Date };
  /** The last window counted in: an evaluation of it (or an earlier one) again changes nothing. */
  lastWindowStart: Date;
  /** Consecutive windows back near the usual level, and where that run began. */
  quietWindows: number;
  quietSince?: Date;
  /** Set on subsiding: distinct people from `since` to `quietSince`, and the end of the window that confirmed it. */
  people?: number;
  subsidedAt?: Date;
  /** One short line: what the webhook follow-up and the console say. */
  subsidedSummary?: string;
  /** The webhook follow-up; `sending` is a lease, so two instances never both send it. */
  followUp?: { status: 'none' | 'pending' | 'sending' | 'sent' | 'failed'; attempts: number; leaseUntil?: Date; lastError?: string };
}
