/**
 * A saved export checked against the server's live audit trail. On its own an export only proves it is
 * self-consistent: whoever edits one can recompute its digest (the algorithm is printed in it). What
 * they cannot do is put that digest into the ticket's trail, where every export we issue is recorded
 * (`ticket.exported`, with the digest and who took it) under the hash chain. So the server, which has
 * the trail, says whether we issued this very document, when and to whom, and whether the trail holding
 * that record still verifies.
 */
import { verifyChain, type AuditRecord, type ChainVerdict } from '../tickets/audit';
import { EXPORTED_ACTION, verifyExport, whereBroken, type ExportVerdict } from './export';

export interface ExportIssuance {
  /** Our trail holds a `ticket.exported` event with this document's digest. */
  byUs: boolean;
  at?: string;
  to?: { kind: string; id: string; name?: string };
  /** That event's place in the trail. */
  seq?: number;
}

export interface LiveTrailVerdict extends ChainVerdict {
  ticketRef: string | null;
  headHash: string | null;
}

export interface IssuedExportVerdict extends ExportVerdict {
  /** The document is exactly one we issued, it verifies on its own, and the live trail recording it is intact. */
  authentic: boolean;
  issued: ExportIssuance;
  liveTrail: LiveTrailVerdict;
  /** One line for people: what was checked and what it means. */
  summary: string;
}

/** Checks `document` on its own (as the CLI does) and against the ticket's live audit trail read through `trailOf`. */
export async function verifyExportAgainstTrail(document: unknown, trailOf: (ref: string) => Promise<AuditRecord[]>): Promise<IssuedExportVerdict> {
  const self = verifyExport(document);
  const exported = (document ?? {}) as { ticket?: { ref?: unknown }; integrity?: { digest?: unknown } };
  const ref = typeof exported.ticket?.ref === 'string' ? exported.ticket.ref : null;
  const digest = typeof exported.integrity?.digest === 'string' ? exported.integrity.digest : null;
  const events = ref ? await trailOf(ref) : [];
  const liveTrail: LiveTrailVerdict = { ticketRef: ref, ...verifyChain(events), headHash: events.at(-1)?.hash ?? null };
  const record = digest ? events.find((event) => event.action === EXPORTED_ACTION && (event.after as { digest?: unknown } | undefined)?.digest === digest) : undefined;
  const issued: ExportIssuance = record
    ? { byUs: true, at: new Date(record.at).toISOString(), to: { kind: record.actor.kind, id: record.actor.id, ...(record.actor.name && { name: record.actor.name }) }, seq: record.seq }
    : { byUs: false };
  const authentic = self.intact && issued.byUs && liveTrail.intact && events.length > 0;
  return { ...self, authentic, issued, liveTrail, summary: summaryOf(self, issued, liveTrail, events.length) };
}

function summaryOf(self: ExportVerdict, issued: ExportIssuance, live: LiveTrailVerdict, events: number): string {
  const document = self.intact
    ? 'The document is self-consistent (chain, head and digest verify)'
    : `The document does not verify on its own (${whereBroken(self)})`;
  const origin = issued.byUs
    ? `issued by us on ${issued.at!.slice(0, 19).replace('T', ' ')} UTC to ${issued.to!.name ? `${issued.to!.name} (${issued.to!.id})` : issued.to!.id}`
    : self.documentMatches === null
      ? 'a format 1 export carries no digest, so whether we issued it cannot be told'
      : "not an export we issued: no export with this digest is in the ticket's audit trail";
  const trail = events === 0 ? 'no live audit trail for that ticket' : live.intact ? `the ticket's live audit trail verifies (${events} events)` : `the ticket's live audit trail is BROKEN at event ${live.brokenAt?.seq ?? '?'}: ${live.brokenAt?.reason ?? ''}`;
  return `${document}; ${origin}; ${trail}.`;
}
