/**
 * Evidence for disputes: one ticket's full record (ticket, the public post that started it, transcript,
 * every audit event with its chain fields) as JSON, and the same as a printable HTML document. The export
 * carries the chain's verification result, and `verifyExport` re-checks a saved export on its own.
 */
import type { Clock } from '../clock';
import type { Collection } from '../store/types';
import { postKeyOf, type SocialPostRecord } from '../social/types';
import { LANGUAGE_NAMES } from '../recognition/languageCues';
import { verifyChain, type AuditRecord, type ChainVerdict } from '../tickets/audit';
import type { Ticket, TranscriptEntry } from '../tickets/types';

export const EXPORT_FORMAT = 'social-care-ticket-export/1';

export interface TicketExport {
  format: typeof EXPORT_FORMAT;
  exportedAt: string;
  exportedBy: string;
  ticket: Ticket;
  publicPost: SocialPostRecord | Ticket['publicPost'] | null;
  transcript: TranscriptEntry[];
  auditEvents: AuditRecord[];
  chain: ChainVerdict & { algorithm: string; headHash: string | null };
}

export interface ExportSources {
  tickets: { get(ref: string): Promise<Ticket | null> };
  audit: { list(ref: string): Promise<AuditRecord[]> };
  transcripts: { forTicket(ref: string, limit?: number): Promise<TranscriptEntry[]> };
  posts?: Collection<SocialPostRecord>;
  clock: Clock;
}

export const CHAIN_ALGORITHM = 'sha256(prevHash + canonicalJson({ticketRef, seq, at, actor:{kind,id}, action, contentHash})); contentHash = sha256(canonicalJson({before, after, note}))';

export async function exportTicket(sources: ExportSources, ref: string, exportedBy: string): Promise<TicketExport | null> {
  const ticket = await sources.tickets.get(ref);
  if (!ticket) return null;
  const [auditEvents, transcript, archived] = await Promise.all([
    sources.audit.list(ref),
    sources.transcripts.forTicket(ref, 10_000),
    ticket.publicPost && sources.posts ? sources.posts.findOne({ _id: postKeyOf(ticket.publicPost.platform, ticket.publicPost.postId) }) : Promise.resolve(null),
  ]);
  return {
    format: EXPORT_FORMAT,
    exportedAt: sources.clock.now().toISOString(),
    exportedBy,
    ticket,
    publicPost: archived ?? ticket.publicPost ?? null,
    transcript,
    auditEvents,
    chain: { ...verifyChain(auditEvents), algorithm: CHAIN_ALGORITHM, headHash: auditEvents.at(-1)?.hash ?? null },
  };
}

/** Re-verifies an export read back from JSON (dates as strings): the chain, and that it ends at the stated head. */
export function verifyExport(document: unknown): ChainVerdict & { headMatches: boolean } {
  const exported = document as Partial<TicketExport> | null;
  if (!exported || exported.format !== EXPORT_FORMAT || !Array.isArray(exported.auditEvents)) {
    return { intact: false, events: 0, brokenAt: { seq: 0, reason: 'not a ticket export' }, headMatches: false };
  }
  const events = exported.auditEvents.map((event) => ({ ...event, at: new Date(event.at) }));
  const verdict = verifyChain(events);
  const headMatches = (events.at(-1)?.hash ?? null) === (exported.chain?.headHash ?? null);
  return { ...verdict, intact: verdict.intact && headMatches, headMatches };
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
<h2>Transcript (${exported.transcript.length} messages)</h2><table><tr><th>Time</th><th>From</th><th>Message</th></tr>${exported.transcript
    .map((line) => `<tr class="${line.direction === 'in' ? 'in' : ''}"><td>${escapeHtml(when(line.at))}</td><td>${escapeHtml(`${line.actor.kind}${line.actor.name ? ` ${line.actor.name}` : ''}`)}</td><td>${escapeHtml(line.text)}${(line.files ?? []).map((file) => `<br>📎 ${escapeHtml(`${file.name ?? 'file'} (${file.contentType})${file.url ? ` ${file.url}` : ''}`)}`).join('')}</td></tr>`)
    .join('')}</table>
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
<h2>How to verify</h2><p>${escapeHtml(CHAIN_ALGORITHM)}. Save the JSON export and run <code>npm run audit:verify -- export.json</code>, or POST it to <code>/api/audit/verify</code>.</p>
</body></html>`;
}
