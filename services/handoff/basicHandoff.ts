/**
 * Superseded in the app by QueueHandoff (queueHandoff.ts). Kept only because test/dialogs/dialogHarness.ts
 * still uses it as a stand-in; delete it once that harness uses a stub HumanHandoff.
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
