/**
 * Service measures over a period, by channel, and the fairness view: the same measures for customers who
 * came through a public post and for those who did not, side by side. Tickets count in the period they
 * were opened; a timer still running at report time is neither met nor missed yet.
 */
import type { Clock } from '../clock';
import { DAY, HOUR, MINUTE } from '../clock';
import type { Collection } from '../store/types';
import type { Ticket } from '../tickets/types';

export interface Measures {
  volume: number;
  firstResponse: { answered: number; medianMinutes: number | null; meanMinutes: number | null };
  resolution: { resolved: number; medianHours: number | null; meanHours: number | null };
  sla: {
    firstResponse: { met: number; missed: number; rate: number | null };
    resolution: { met: number; missed: number; rate: number | null };
  };
  csat: { responses: number; average: number | null; satisfiedRate: number | null };
  escalations: { count: number; rate: number | null };
  reopens: { count: number; rate: number | null };
}

export interface Report {
  period: { from: string; to: string };
  generatedAt: string;
  overall: Measures;
  byChannel: Record<string, Measures>;
  fairness: { publicPost: Measures; private: Measures };
  /** Tickets opened per day (UTC) and channel, for the volume chart. */
  daily: Array<{ day: string; byChannel: Record<string, number> }>;
}

/** The satisfaction answer, wherever the follow-ups area records it on the ticket (1–5). */
export function csatScoreOf(ticket: Ticket): number | undefined {
  const loose = ticket as unknown as { followUp?: { csat?: { score?: unknown } }; csat?: { score?: unknown } };
  const raw = loose.followUp?.csat?.score ?? loose.csat?.score;
  return typeof raw === 'number' && raw >= 1 && raw <= 5 ? raw : undefined;
}

export function cameFromPublicPost(ticket: Ticket): boolean {
  return ticket.source === 'public_post' || Boolean(ticket.publicPost);
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const mean = (values: number[]): number | null => (values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null);
const round = (value: number | null, places = 1): number | null => (value === null ? null : Math.round(value * 10 ** places) / 10 ** places);
const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

export function measure(tickets: Ticket[], now: Date): Measures {
  const firstResponses: number[] = [];
  const resolutions: number[] = [];
  const sla = { firstResponse: { met: 0, missed: 0 }, resolution: { met: 0, missed: 0 } };
  const scores: number[] = [];
  let escalated = 0;
  let reopened = 0;
  let everResolved = 0;
  for (const ticket of tickets) {
    const opened = ticket.createdAt.getTime();
    if (ticket.firstResponseAt) firstResponses.push((ticket.firstResponseAt.getTime() - opened) / MINUTE);
    const resolvedAt = ticket.resolvedAt ?? ticket.closedAt;
    if (resolvedAt) resolutions.push((resolvedAt.getTime() - opened) / HOUR);
    judge(sla.firstResponse, ticket.firstResponseAt, ticket.sla.firstResponseDueAt, now);
    judge(sla.resolution, resolvedAt, ticket.sla.resolutionDueAt, now);
    const score = csatScoreOf(ticket);
    if (score !== undefined) scores.push(score);
    if (ticket.escalatedAt || (ticket.tier && ticket.tier !== 'agent')) escalated++;
    if (ticket.reopenCount > 0) reopened++;
    if (resolvedAt || ticket.reopenCount > 0) everResolved++;
  }
  return {
    volume: tickets.length,
    firstResponse: { answered: firstResponses.length, medianMinutes: round(median(firstResponses)), meanMinutes: round(mean(firstResponses)) },
    resolution: { resolved: resolutions.length, medianHours: round(median(resolutions), 2), meanHours: round(mean(resolutions), 2) },
    sla: {
      firstResponse: { ...sla.firstResponse, rate: rate(sla.firstResponse.met, sla.firstResponse.met + sla.firstResponse.missed) },
      resolution: { ...sla.resolution, rate: rate(sla.resolution.met, sla.resolution.met + sla.resolution.missed) },
    },
    csat: { responses: scores.length, average: round(mean(scores), 2), satisfiedRate: rate(scores.filter((score) => score >= 4).length, scores.length) },
    escalations: { count: escalated, rate: rate(escalated, tickets.length) },
    reopens: { count: reopened, rate: rate(reopened, everResolved) },
  };
}

/** Met when done by the due time; missed when done late or still not done after it; otherwise still running. */
function judge(tally: { met: number; missed: number }, doneAt: Date | undefined, dueAt: Date, now: Date): void {
  if (doneAt) {
    if (doneAt <= dueAt) tally.met++;
    else tally.missed++;
  } else if (now > dueAt) tally.missed++;
}

export function buildReport(tickets: Ticket[], from: Date, to: Date, now: Date): Report {
  const byChannel: Record<string, Ticket[]> = {};
  for (const ticket of tickets) (byChannel[ticket.channelId] ??= []).push(ticket);
  const daily: Report['daily'] = [];
  for (let day = Math.floor(from.getTime() / DAY) * DAY; day < to.getTime(); day += DAY) {
    const counts: Record<string, number> = {};
    for (const channel of Object.keys(byChannel)) counts[channel] = 0;
    daily.push({ day: new Date(day).toISOString().slice(0, 10), byChannel: counts });
  }
  for (const ticket of tickets) {
    const index = Math.floor((ticket.createdAt.getTime() - Math.floor(from.getTime() / DAY) * DAY) / DAY);
    const entry = daily[index];
    if (entry) entry.byChannel[ticket.channelId] = (entry.byChannel[ticket.channelId] ?? 0) + 1;
  }
  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    generatedAt: now.toISOString(),
    overall: measure(tickets, now),
    byChannel: Object.fromEntries(Object.entries(byChannel).sort(([a], [b]) => a.localeCompare(b)).map(([channel, list]) => [channel, measure(list, now)])),
    fairness: { publicPost: measure(tickets.filter(cameFromPublicPost), now), private: measure(tickets.filter((ticket) => !cameFromPublicPost(ticket)), now) },
    daily,
  };
}

export const MAX_REPORT_DAYS = 366;

export class Reports {
  constructor(
    private readonly tickets: Collection<Ticket>,
    private readonly clock: Clock,
  ) {}

  async forPeriod(from: Date, to: Date, channel?: string): Promise<Report> {
    const filter: Record<string, unknown> = { createdAt: { $gte: from, $lt: to } };
    if (channel) filter.channelId = channel;
    return buildReport(await this.tickets.find(filter), from, to, this.clock.now());
  }
}
