/**
 * One incident, one alert: the spikes of a window whose posts largely overlap (#AcmeDown, "parcel",
 * "stuck", "tracking" and the overall count, all from the same outage) are grouped under the most
 * specific meaningful topic, and the others are named as rising with it.
 */
import type { Spike } from './spikes';
import type { TopicKind } from './topics';

export interface Incident {
  lead: Spike;
  related: Spike[];
}

/** Hashtags name an incident best, then products, configured keywords, frequent terms, and last the overall count. */
const SPECIFICITY: Record<TopicKind, number> = { hashtag: 0, product: 1, keyword: 2, term: 3, overall: 4 };

/** Share of posts two spiking topics must have in common (of the larger of the two) to be one incident. */
const MIN_OVERLAP = 0.5;

/**
 * Groups spikes into incidents; `shared(a, b)` is how many of the window's complaint posts carry both topics.
 * Strongest incident first.
 */
export function groupIntoIncidents(spikes: Spike[], shared: (a: string, b: string) => number): Incident[] {
  const bySpecificity = [...spikes].sort((a, b) => SPECIFICITY[a.kind] - SPECIFICITY[b.kind] || b.count - a.count || b.z - a.z);
  const incidents: Incident[] = [];
  for (const spike of bySpecificity) {
    const home = incidents.find(({ lead }) => shared(lead.topic, spike.topic) >= MIN_OVERLAP * Math.max(lead.count, spike.count));
    if (home) home.related.push(spike);
    else incidents.push({ lead: spike, related: [] });
  }
  return incidents.sort((a, b) => b.lead.z - a.lead.z);
}

/**
 * Counts, per pair of the watched topics, the people who posted on both (spike counts are people too);
 * fed post by post like a WindowTally.
 */
export class OverlapTally {
  private readonly pairs = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly watched: Set<string>) {}

  add(topics: string[], author: string): void {
    const mine = [...new Set(topics.filter((topic) => this.watched.has(topic)))].sort();
    for (let i = 0; i < mine.length; i++) {
      for (let j = i + 1; j < mine.length; j++) {
        const pair = `${mine[i]}\u0000${mine[j]}`;
        if (this.seen.has(`${pair}\u0000${author}`)) continue;
        this.seen.add(`${pair}\u0000${author}`);
        this.pairs.set(pair, (this.pairs.get(pair) ?? 0) + 1);
      }
    }
  }

  shared(a: string, b: string): number {
    const [first, second] = [a, b].sort();
    return this.pairs.get(`${first}\u0000${second}`) ?? 0;
  }
}
