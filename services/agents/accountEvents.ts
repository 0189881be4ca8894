/**
 * The account audit (`agentAccountEvents`): who created, disabled, re-enabled an account, reset its password
 * or changed its role, and when. Append-only (this class only inserts and reads), and it never holds password
 * material or e-mail addresses: ids, names as shown on the team page, and roles before → after.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Collection, Document } from '../store/types';
import type { AgentProfile, Role } from './accounts';

export const ACCOUNT_EVENTS_COLLECTION = 'agentAccountEvents';

export type AccountAction = 'agent.created' | 'agent.disabled' | 'agent.enabled' | 'agent.password_reset' | 'agent.password_changed' | 'agent.role_changed';

export interface AccountEvent extends Document {
  at: Date;
  action: AccountAction;
  /** Whose account changed. */
  agentId: string;
  /** Who changed it (the agent themself for their own password). */
  by: { id: string; name: string };
  before?: { role: Role };
  after?: { role: Role };
}

export class AccountEvents {
  constructor(
    private readonly events: Collection<AccountEvent>,
    private readonly clock: Clock,
    /** Told after each recorded change (the team pages open elsewhere reload); every account change passes here. */
    private readonly onRecorded: () => void,
  ) {}

  static indexes(events: Collection<AccountEvent>): Promise<void>[] {
    return [events.createIndex({ fields: { agentId: 1, at: 1 } })];
  }

  async record(action: AccountAction, agentId: string, by: Pick<AgentProfile, '_id' | 'name'>, roles?: { before?: Role; after: Role }): Promise<AccountEvent> {
    const event: AccountEvent = {
      _id: `acev_${randomUUID().replace(/-/g, '')}`,
      at: this.clock.now(),
      action,
      agentId,
      by: { id: by._id, name: by.name },
      ...(roles?.before && { before: { role: roles.before } }),
      ...(roles && { after: { role: roles.after } }),
    };
    await this.events.insertOne(event);
    this.onRecorded();
    return event;
  }

  /** One account's history, oldest first. */
  forAgent(agentId: string): Promise<AccountEvent[]> {
    return this.events.find({ agentId }, { sort: { at: 1 } });
  }
}
