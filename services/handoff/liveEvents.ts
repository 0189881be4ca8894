/**
 * The console's live feed: a publish/subscribe bus the SSE route streams from. Within one process it is an
 * event emitter; instances sharing a database also pass their events to each other through a LiveRelay.
 */
import { EventEmitter } from 'node:events';
import type { LiveRelay } from './liveRelay';

export type LiveEvent =
  | { type: 'queue.changed' }
  | { type: 'ticket.changed'; ref: string; action: string }
  | { type: 'customer.message'; ref: string; text: string; at: string; name?: string }
  | { type: 'customer.typing'; ref: string }
  | { type: 'agent.message'; ref: string; text: string; at: string; agentId: string; name: string }
  // `agentId`: the agent the alert is about (the one whose chat a supervisor ended): their console marks it as theirs.
  | { type: 'alert'; ref: string; level: 'escalation' | 'takeover' | 'idle' | 'hub' | 'rating'; message: string; tier?: string; agentId?: string }
  | { type: 'listening.alert'; audience: 'supervisor'; alert: { id: string; kind: string; severity: 'warning' | 'crisis'; topic: string; title: string; summary: string; at: string } }
  // A listening alert's surge is over (its topic is back to usual): the console marks it subsided.
  | { type: 'listening.alert.subsided'; audience: 'supervisor'; alert: { id: string; topic: string; title: string; summary: string; subsidedAt: string; peak: number; people: number } }
  // An account was created or changed: the team page reloads its list. No ids or names: only "reload".
  | { type: 'accounts.changed'; audience: 'supervisor' };

/** The lowest role an event is streamed to; events without an audience go to every signed-in agent. */
export function audienceOf(event: LiveEvent): 'agent' | 'supervisor' | 'executive' {
  return 'audience' in event ? event.audience : 'agent';
}

export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor(private readonly relay?: LiveRelay) {
    // Every open console tab subscribes once; hundreds are expected, not a leak.
    this.emitter.setMaxListeners(0);
    relay?.start((event) => this.emitter.emit('event', event));
  }

  publish(event: LiveEvent): void {
    this.emitter.emit('event', event);
    this.relay?.forward(event);
  }

  async close(): Promise<void> {
    await this.relay?.stop();
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
