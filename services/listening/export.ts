/**
 * Evidence for disputes: one ticket's full record (ticket, the public post that started it and the bot's
 * public replies to it, the whole transcript, the follow-ups sent by chat, e-mail or SMS, every audit event
 * with its chain fields) as JSON, and the same as a printable HTML document. The audit chain proves the
 * trail; a digest over the whole document proves the rest (transcript, post, follow-ups) was not edited
 * afterwards, and the digest is itself written into the ticket's audit trail when the export is made.
 * `verifyExport` re-checks a saved export on its own.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock';
import type { Collection } from '../store/types';
import type { OutboxRow } from '../followUps/types';
import { postKeyOf, type ReplyJob, type SocialPostRecord } from '../social/types';
import { LANGUAGE_NAMES } from '../recognition/languageCues';
import { canonicalJson, verifyChain, type AuditRecord, type ChainVerdict, type NewAuditEvent } from '../tickets/audit';
import type { Actor, Ticket, TranscriptEntry } from '../tickets/types';

export const EXPORT_FORMAT = 'social-care-ticket-export/2' as const;
/** Exports made before the document digest existed: their chain is still checked. */
const LEGACY_FORMATS = ['social-care-ticket-export/1'];

/** An export holds the whole transcript; this bound only keeps one request from reading without end. */
const MAX_TRANSCRIPT_LINES = 1_000_000;

export interface TicketExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  exportedBy: string;
  ticket: Ticket;
  publicPost: SocialPostRecord | Ticket['publicPost'] | null;
  /** The bot's public replies (and Private Replies) to that post, with their status and the platform's id. */
  publicReplies: ReplyJob[];
  transcript: TranscriptEntry[];
  /** Follow-ups as composed for every route (chat, e-mail, SMS), with the route used and the delivery reports. */
  followUps: OutboxRow[];
  auditEvents: AuditRecord[];
  chain: ChainVerdict & { algorithm: string; headHash: string | null };
  /** sha256 over every other field of the document; the same digest is in the ticket's `ticket.exported` audit event. */
  integrity: { algorithm: string; digest: string };
}

export interface ExportSources {
  tickets: { get(ref: string): Promise<Ticket | null> };
  audit: { list(ref: string): Promise<AuditRecord[]>; append?(ref: string, event: NewAuditEvent): Promise<unknown> };
  transcripts: { forTicket(ref: string, limit?: number): Promise<TranscriptEntry[]> };
  posts?: Collection<SocialPostRecord>;
  replies?: Collection<ReplyJob>;
  followUps?: Collection<OutboxRow>;
  clock: Clock;
}

export const CHAIN_ALGORITHM = 'sha256(prevHash + canonicalJson({ticketRef, seq, at, actor:{kind,id}, action, contentHash})); contentHash = sha256(canonicalJson({before, after, note}))';
export const DIGEST_ALGORITHM = 'sha256(canonicalJson(the export without its "integrity" field)); canonicalJson sorts keys and writes dates as ISO 8601';

export const EXPORTED_ACTION = 'ticket.exported';

function digestOf(exported: Record<string, unknown>): string {
  const { integrity: _integrity, ...rest } = exported;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/** The ticket's record, or null for an unknown ref; the export is written into the ticket's audit trail. */
export async function exportTicket(sources: ExportSources, ref: string, exportedBy: Actor): Promise<TicketExport | null> {
  const ticket = await sources.tickets.get(ref);
  if (!ticket) return null;
  const postKey = ticket.publicPost && postKeyOf(ticket.publicPost.platform, ticket.publicPost.postId);
  const [auditEvents, transcript, archived, publicReplies, followUps] = await Promise.all([
    sources.audit.list(ref),
    sources.transcripts.forTicket(ref, MAX_TRANSCRIPT_LINES),
    postKey && sources.posts ? sources.posts.findOne({ _id: postKey }) : Promise.resolve(null),
    postKey && sources.replies ? sources.replies.find({ postKey }, { sort: { createdAt: 1 } }) : Promise.resolve([]),
    sources.followUps ? sources.followUps.find({ ticketRef: ref }, { sort: { seq: 1 } }) : Promise.resolve([]),
  ]);
  const body = {
    format: EXPORT_FORMAT,
    exportedAt: sources.clock.now().toISOString(),
    exportedBy: exportedBy.id,
    ticket,
    publicPost: archived ?? ticket.publicPost ?? null,
    publicReplies,
    transcript,
    followUps,
    auditEvents,
    chain: { ...verifyChain(auditEvents), algorithm: CHAIN_ALGORITHM, headHash: auditEvents.at(-1)?.hash ?? null },
  };
  const exported: TicketExport = { ...body, integrity: { algorithm: DIGEST_ALGORITHM, digest: digestOf(body) } };
  // Who took the customer's record out, and which document it was: a later copy can be matched to this event.
  await sources.audit.append?.(ref, {
    actor: exportedBy,
    action: EXPORTED_ACTION,
    after: { format: EXPORT_FORMAT, digest: exported.integrity.digest, auditEvents: auditEvents.length, transcriptLines: transcript.length },
  });
  return exported;
}

export interface ExportVerdict extends ChainVerdict {
  headMatches: boolean;
  /** The document digest matches (null: a legacy export without one). */
  documentMatches: boolean | null;
}

/** Re-verifies an export read back from JSON (dates as strings): the chain, its head, and the digest of the whole document. */
export function verifyExport(document: unknown): ExportVerdict {
  const exported = document as (Partial<TicketExport> & { format?: string }) | null;
  const known = exported && (exported.format === EXPORT_FORMAT || LEGACY_FORMATS.includes(exported.format ?? ''));
  if (!exported || !known || !Array.isArray(exported.auditEvents)) {
    return { intact: false, events: 0, brokenAt: { seq: 0, reason: 'not a ticket export' }, headMatches: false, documentMatches: false };
  }
  const events = exported.auditEvents.map((event) => ({ ...event, at: new Date(event.at) }));
  const verdict = verifyChain(events);
  const headMatches = (events.at(-1)?.hash ?? null) === (exported.chain?.headHash ?? null);
  const documentMatches = exported.format === EXPORT_FORMAT ? typeof exported.integrity?.digest === 'string' && digestOf(exported as Record<string, unknown>) === exported.integrity.digest : null;
  // Another ticket's intact chain pasted in would verify on its own: every event must be this ticket's.
  const foreign = events.find((event) => event.ticketRef !== exported.ticket?.ref);
  if (verdict.intact && foreign) return { ...verdict, intact: false, brokenAt: { seq: foreign.seq, reason: "belongs to another ticket's trail" }, headMatches, documentMatches };
  if (verdict.intact && documentMatches === false) {
    return { ...verdict, intact: false, brokenAt: { seq: 0, reason: 'the document was changed after it was exported (its digest does not match)' }, headMatches, documentMatches };
  }
  return { ...verdict, intact: verdict.intact && headMatches, headMatches, documentMatches };
}

/** Where and why a verdict fails, for people: "event 3: content was changed after it was recorded". */
export function whereBroken(verdict: ChainVerdict): string {
  return `event ${verdict.brokenAt?.seq ?? '?'}: ${verdict.brokenAt?.reason ?? 'head hash does not match the last event'}`;
}

const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
const when = (value: Date | string | undefined): string => (value ? new Date(value).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');
const describe = (value: unknown): string => (value === undefined ? '' : escapeHtml(typeof value === 'string' ? value : JSON.stringify(value)));

/** A self-contained printable document (no scripts, no external assets). */
export function exportHtml(exported: TicketExport): string {
  const { ticket, chain } = exported;
  const post = exported.publicPost as (Partial<SocialPostRecord> & Partial<NonNullable<Ticket['publicPost']>>) | null;
  const rows = (pairs: Array<[string, unknown]>) => pairs.map(([key, value]) => `<tr><th>${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ticket ${escapeHtml(ticket.ref)} — audit export</title>
<style>
body{font:12px/1.45 system-ui,sans-serif;color:#111;margin:24px;max-width:1000px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:22px 0 6px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2;width:1%;white-space:nowrap}.hash{font:10px/1.2 ui-monospace,monospace;word-break:break-all}
.ok{color:#0a6b2d;font-weight:600}.bad{color:#b00020;font-weight:600}.in{background:#f7fbff}
@media print{body{margin:0}h2{break-after:avoid}tr{break-inside:avoid}a{color:inherit;text-decoration:none}}
</style></head><body>
<h1>Ticket ${escapeHtml(ticket.ref)}</h1>
<p>Exported ${escapeHtml(when(exported.exportedAt))} by ${escapeHtml(exported.exportedBy)} · format ${escapeHtml(exported.format)}</p>
<p class="${chain.intact ? 'ok' : 'bad'}">Audit chain: ${chain.intact ? `intact (${chain.events} events)` : `BROKEN at event ${escapeHtml(chain.brokenAt?.seq)}: ${escapeHtml(chain.brokenAt?.reason)}`}. Head hash <span class="hash">${escapeHtml(chain.headHash ?? '—')}</span></p>
<h2>Ticket</h2><table>${rows([
    ['Status', ticket.status],
    ['Priority', `${ticket.priority} (${ticket.priorityReasons.join('; ')})`],
    ['Channel', ticket.channelId],
    ['Source', ticket.source],
    ['Customer', `${ticket.customer.name ?? ''} (${ticket.customer.channelId} user ${ticket.customer.userId})`],
    ['Order number', ticket.orderNumber ?? '—'],
    ...(ticket.otherOrderNumbers?.length ? [['Other order numbers named', ticket.otherOrderNumbers.join(', ')] as [string, string]] : []),
    ['Contact', ticket.contact ? [ticket.contact.email, ticket.contact.phone].filter(Boolean).join(', ') + ` · consent ${ticket.contact.consent ? 'yes' : 'no'}` : '—'],
    ...(ticket.subject ? [['Subject', ticket.subject] as [string, string]] : []),
    ...(ticket.language ? [['Language', `${LANGUAGE_NAMES[ticket.language] ?? ticket.language} (${ticket.language})`] as [string, string]] : []),
    ['Description', ticket.description ?? '—'],
    ['Opened', when(ticket.createdAt)],
    ['First response', when(ticket.firstResponseAt)],
    ['Resolved', when(ticket.resolvedAt)],
    ['Closed', when(ticket.closedAt)],
    ['SLA first response due', when(ticket.sla.firstResponseDueAt)],
    ['SLA resolution due', when(ticket.sla.resolutionDueAt)],
  ])}</table>
<h2>Public post that started it</h2>${
    post
      ? `<table>${rows([
          ['Platform', post.platform],
          ['Post', post.url ?? post.postId],
          ['Author', post.author ? `${post.author.name ?? ''} @${post.author.handle ?? post.author.id}` : `${post.authorName ?? ''} @${post.authorHandle ?? post.authorId}`],
          ['Reach', `${post.author?.followers ?? post.followers ?? '—'} followers · ${post.impressions ?? '—'} impressions`],
          ['Posted', when(post.postedAt)],
          ['Text', post.text],
        ])}</table>`
      : '<p>None: the customer did not come through a public post.</p>'
  }
<h2>Public replies by the bot (${exported.publicReplies.length})</h2>${
    exported.publicReplies.length
      ? `<table><tr><th>Queued</th><th>Kind</th><th>Status</th><th>Sent</th><th>Text</th></tr>${exported.publicReplies
          .map((reply) => `<tr><td>${escapeHtml(when(reply.createdAt))}</td><td>${escapeHtml(reply.kind)}</td><td>${escapeHtml(`${reply.status}${reply.remoteId ? ` (id ${reply.remoteId})` : ''}`)}</td><td>${escapeHtml(when(reply.sentAt))}</td><td>${escapeHtml(reply.text)}</td></tr>`)
          .join('')}</table>`
      : '<p>None.</p>'
  }
<h2>Transcript (${exported.transcript.length} messages)</h2><table><tr><th>Time</th><th>From</th><th>Message</th></tr>${exported.transcript
    .map((line) => `<tr class="${line.direction === 'in' ? 'in' : ''}"><td>${escapeHtml(when(line.at))}</td><td>${escapeHtml(`${line.actor.kind}${line.actor.name ? ` ${line.actor.name}` : ''}`)}</td><td>${escapeHtml(line.text)}${(line.files ?? []).map((file) => `<br>📎 ${escapeHtml(`${file.name ?? 'file'} (${file.contentType})${file.url ? ` ${file.url}` : ''}`)}`).join('')}</td></tr>`)
    .join('')}</table>
<h2>Follow-ups (${exported.followUps.length})</h2>${
    exported.followUps.length
      ? `<table><tr><th>#</th><th>Composed</th><th>State</th><th>Route</th><th>Sent</th><th>What was sent</th></tr>${exported.followUps
          .map((row) => {
            const sent = row.route === 'email' ? `Subject: ${row.subject}\n${row.emailText}` : row.route === 'sms' ? (row.smsFirstText ?? row.smsText) : row.text;
            const delivery = row.delivery ? ` · SMS ${row.delivery.status}${row.delivery.errorCode ? ` (${row.delivery.errorCode})` : ''}` : '';
            return `<tr><td>${row.seq}</td><td>${escapeHtml(when(row.createdAt))}</td><td>${escapeHtml(`${row.state}${delivery}`)}</td><td>${escapeHtml(row.route ?? '—')}</td><td>${escapeHtml(when(row.sentAt))}</td><td>${escapeHtml(sent).replace(/\n/g, '<br>')}</td></tr>`;
          })
          .join('')}</table>`
      : '<p>None.</p>'
  }
<h2>Audit trail (${exported.auditEvents.length} events)</h2><table><tr><th>#</th><th>Time</th><th>Actor</th><th>Action</th><th>Change</th><th>Hash / previous</th></tr>${exported.auditEvents
    .map(
      (event) =>
        `<tr><td>${event.seq}</td><td>${escapeHtml(when(event.at))}</td><td>${escapeHtml(`${event.actor.kind}:${event.actor.id}${event.actor.name ? ` (${event.actor.name})` : ''}`)}</td><td>${escapeHtml(event.action)}${event.erased ? ' <em>(personal data erased)</em>' : ''}</td><td>${[
          event.before !== undefined ? `before ${describe(event.before)}` : '',
          event.after !== undefined ? `after ${describe(event.after)}` : '',
          event.note !== undefined ? `note ${describe(event.note)}` : '',
        ]
          .filter(Boolean)
          .join('<br>')}</td><td class="hash">${escapeHtml(event.hash)}<br>${escapeHtml(event.prevHash)}</td></tr>`,
    )
    .join('')}</table>
<h2>How to verify</h2><p>Audit chain: ${escapeHtml(CHAIN_ALGORITHM)}.</p><p>Document digest <span class="hash">${escapeHtml(exported.integrity.digest)}</span>: ${escapeHtml(DIGEST_ALGORITHM)}; the ticket's audit trail records it in a <code>${EXPORTED_ACTION}</code> event. Save the JSON export and run <code>npm run audit:verify -- export.json</code>, or POST it to <code>/api/audit/verify</code>.</p>
</body></html>`;
}
