/** A real TicketService over an in-memory NeDB store and a hand-moved clock. */
import { ManualClock } from '../../services/clock';
import { openNedbDatabase } from '../../services/store/nedb/nedbDatabase';
import type { Collection, Database } from '../../services/store/types';
import { AuditTrail, type AuditRecord } from '../../services/tickets/audit';
import type { PriorityPolicy } from '../../services/tickets/priority';
import type { SlaClock } from '../../services/tickets/sla';
import { type OpenTicketInput, TicketService } from '../../services/tickets/ticketService';
import type { Actor, Ticket } from '../../services/tickets/types';

export const PRIYA: Actor = { kind: 'customer', id: 'user-priya', name: 'Priya Raman' };
export const ASHA: Actor = { kind: 'agent', id: 'agent-asha', name: 'Asha' };

export interface TicketBench {
  db: Database;
  clock: ManualClock;
  tickets: TicketService;
  ticketDocs: Collection<Ticket>;
  auditDocs: Collection<AuditRecord>;
  open(fields?: Partial<OpenTicketInput>, actor?: Actor): Promise<Ticket>;
}

export async function startTicketBench(options: { priorityPolicy?: PriorityPolicy; slaClock?: SlaClock; start?: string } = {}): Promise<TicketBench> {
  const db = await openNedbDatabase(':memory:');
  const clock = new ManualClock(options.start ?? '2026-03-02T10:00:00Z');
  const ticketDocs = db.collection<Ticket>('tickets');
  const auditDocs = db.collection<AuditRecord>('auditEvents');
  await TicketService.createIndexes(ticketDocs, auditDocs);
  const tickets = new TicketService(ticketDocs, new AuditTrail(auditDocs, clock), {
    prefix: 'CS',
    clock,
    ...(options.priorityPolicy && { priorityPolicy: options.priorityPolicy }),
    ...(options.slaClock && { slaClock: options.slaClock }),
  });
  return {
    db,
    clock,
    tickets,
    ticketDocs,
    auditDocs,
    open: (fields = {}, actor = PRIYA) =>
      tickets.open({ customer: { channelId: 'emulator', userId: actor.id }, source: 'dm', description: 'the lid is loose', ...fields }, actor),
  };
}
