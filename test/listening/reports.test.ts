import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../services/clock';
import { Reports } from '../../services/listening/reports';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Ticket } from '../../services/tickets/types';

const t = (iso: string) => new Date(`2026-03-${iso}:00Z`);

function ticket(ref: string, fields: Partial<Ticket> & Pick<Ticket, 'channelId' | 'createdAt' | 'sla'>): Ticket {
  return {
    _id: ref,
    ref,
    status: 'open',
    priority: 'normal',
    priorityReasons: [],
    customer: { channelId: fields.channelId, userId: `u-${ref}` },
    source: 'dm',
    updatedAt: fields.createdAt,
    reopenCount: 0,
    version: 1,
    ...fields,
  };
}

const publicPost = { platform: 'facebook' as const, postId: 'c1', text: 'x', authorId: 'a', postedAt: t('03T11:00') };

/** Five tickets in the period (hand-computed below), one after it. "Now" is 2026-03-10 00:00. */
const DATA: Ticket[] = [
  ticket('T1', { channelId: 'webchat', createdAt: t('01T10:00'), firstResponseAt: t('01T10:30'), resolvedAt: t('02T10:00'), status: 'resolved', sla: { firstResponseDueAt: t('01T14:00'), resolutionDueAt: t('04T10:00') }, followUp: { csat: { score: 5 } } } as Partial<Ticket> as Ticket),
  ticket('T2', { channelId: 'webchat', createdAt: t('02T09:00'), firstResponseAt: t('02T15:00'), resolvedAt: t('06T09:00'), status: 'resolved', reopenCount: 1, escalatedAt: t('02T14:00'), sla: { firstResponseDueAt: t('02T13:00'), resolutionDueAt: t('05T09:00') }, followUp: { csat: { score: 2 } } } as Partial<Ticket> as Ticket),
  ticket('T3', { channelId: 'facebook', source: 'public_post', publicPost, createdAt: t('03T12:00'), firstResponseAt: t('03T12:10'), resolvedAt: t('03T20:00'), status: 'resolved', sla: { firstResponseDueAt: t('03T13:00'), resolutionDueAt: t('04T12:00') }, followUp: { csat: { score: 4 } } } as Partial<Ticket> as Ticket),
  ticket('T4', { channelId: 'facebook', source: 'public_post', publicPost, createdAt: t('05T08:00'), firstResponseAt: t('05T08:50'), tier: 'supervisor', sla: { firstResponseDueAt: t('05T09:00'), resolutionDueAt: t('06T08:00') } }),
  ticket('T5', { channelId: 'webchat', createdAt: t('07T23:00'), sla: { firstResponseDueAt: t('08T03:00'), resolutionDueAt: t('10T23:00') } }),
  ticket('T6', { channelId: 'webchat', createdAt: t('09T08:00'), firstResponseAt: t('09T08:01'), sla: { firstResponseDueAt: t('09T12:00'), resolutionDueAt: t('12T08:00') } }),
];

describe('reports over a small fixed data set', async () => {
  const db = await openNedbDatabase(':memory:');
  const docs = db.collection<Ticket>('tickets');
  await docs.insertMany(DATA);
  const reports = new Reports(docs, new ManualClock('2026-03-10T00:00:00Z'));
  const report = await reports.forPeriod(t('01T00:00'), t('08T00:00'));
  // 03-07 23:00 is inside [03-01, 03-08); T6 (03-09) is not.

  it('counts volume, first-response and resolution times as computed by hand', () => {
    expect(report.overall.volume).toBe(5);
    // First responses 30, 360, 10, 50 min: median (30+50)/2, mean 450/4.
    expect(report.overall.firstResponse).toEqual({ answered: 4, medianMinutes: 40, meanMinutes: 112.5 });
    // Resolutions 24 h, 96 h, 8 h.
    expect(report.overall.resolution).toEqual({ resolved: 3, medianHours: 24, meanHours: 42.67 });
  });

  it('judges SLA timers met, missed or still running', () => {
    // First response: met T1 T3 T4, missed T2 (late) and T5 (unanswered past due). Resolution: met T1 T3, missed T2 (late) T4 (open past due), T5 still running.
    expect(report.overall.sla).toEqual({ firstResponse: { met: 3, missed: 2, rate: 0.6 }, resolution: { met: 2, missed: 2, rate: 0.5 } });
  });

  it('reports CSAT, escalations and reopen rate', () => {
    expect(report.overall.csat).toEqual({ responses: 3, average: 3.67, satisfiedRate: 0.667 });
    expect(report.overall.escalations).toEqual({ count: 2, rate: 0.4 });
    // One reopened of the three that were ever resolved.
    expect(report.overall.reopens).toEqual({ count: 1, rate: 0.333 });
  });

  it('splits the same measures by channel', () => {
    expect(Object.keys(report.byChannel)).toEqual(['facebook', 'webchat']);
    expect(report.byChannel.facebook!.volume).toBe(2);
    expect(report.byChannel.webchat!.firstResponse).toEqual({ answered: 2, medianMinutes: 195, meanMinutes: 195 });
  });

  it('shows the fairness view: customers who came through a public post beside those who did not', () => {
    const { publicPost: pub, private: dm } = report.fairness;
    expect(pub).toMatchObject({
      volume: 2,
      firstResponse: { medianMinutes: 30 },
      resolution: { medianHours: 8 },
      sla: { firstResponse: { rate: 1 }, resolution: { rate: 0.5 } },
      csat: { average: 4, satisfiedRate: 1 },
      escalations: { count: 1, rate: 0.5 },
      reopens: { count: 0, rate: 0 },
    });
    expect(dm).toMatchObject({
      volume: 3,
      firstResponse: { medianMinutes: 195 },
      resolution: { medianHours: 60 },
      sla: { firstResponse: { met: 1, missed: 2, rate: 0.333 }, resolution: { rate: 0.5 } },
      csat: { average: 3.5, satisfiedRate: 0.5 },
      escalations: { count: 1, rate: 0.333 },
      reopens: { count: 1, rate: 0.5 },
    });
  });

  it('counts tickets per day and channel for the volume chart', () => {
    expect(report.daily.map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07']);
    expect(report.daily.map((d) => `${d.byChannel.webchat}/${d.byChannel.facebook}`)).toEqual(['1/0', '1/0', '0/1', '0/0', '0/1', '0/0', '1/0']);
  });
});
