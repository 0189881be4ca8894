/**
 * The console's live feed: an in-process publish/subscribe bus the SSE route streams from. One process
 * only; across instances the same events would come from MongoDB change streams (see README).
 */
import { EventEmitter } from 'node:events';

export type LiveEvent =
  | { type: 'queue.changed' }
  | { type: 'ticket.changed'; ref: string; action: string }
  | { type: 'customer.message'; ref: string; text: string; at: string; name?: string }
  | { type: 'customer.typing'; ref: string }
  | { type: 'agent.message'; ref: string; text: string; at: string; agentId: string; name: string }
  | { type: 'alert'; ref: string; level: 'escalation' | 'takeover' | 'idle' | 'hub'; message: string; tier?: string }
  | { type: 'listening.alert'; audience: 'supervisor'; alert: { id: string; kind: string; severity: 'warning' | 'crisis'; topic: string; title: string; summary: string; at: string } };

/** The lowest role an event is streamed to; events without an audience go to every signed-in agent. */
export function audienceOf(event: LiveEvent): 'agent' | 'supervisor' | 'executive' {
  return 'audience' in event ? event.audience : 'agent';
}

export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open console tab subscribes once; hundreds are expected, not a leak.
    this.emitter.setMaxListeners(0);
  }

  publish(event: LiveEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: LiveEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
