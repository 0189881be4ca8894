/**
 * The handoff used until an agent queue is wired: the request is on the ticket (done by the caller);
 * this tells the customer honestly when a person will answer.
 */
import type { Clock } from '../clock';
import { describeStaffedHours, isStaffed, type StaffedHours } from './staffedHours';
import type { HumanHandoff } from './types';

export class BasicHandoff implements HumanHandoff {
  constructor(
    private readonly hours: StaffedHours,
    private readonly clock: Clock,
  ) {}

  async request(ticket: { ref: string }): Promise<string> {
    const when = isStaffed(this.clock.now(), this.hours)
      ? 'A member of our support team will join this chat shortly.'
      : `Our team is available ${describeStaffedHours(this.hours)}; a person will reply here as soon as they are in.`;
    return `I've asked a person to take over ticket **${ticket.ref}**. ${when} You don't need to repeat anything: they will see this conversation.`;
  }
}
