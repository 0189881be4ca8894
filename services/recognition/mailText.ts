/**
 * What a customer wrote in an e-mail, without what their mail program added: the quoted history of the
 * thread ("> …", "On … wrote:", Outlook's "From: … Sent: …" block, "-----Original Message-----"), the
 * signature after "-- ", and mobile footers ("Sent from my iPhone"). Replies in a thread quote everything
 * said before, so without this every reply would repeat the whole thread onto the ticket.
 */

export interface MailParts {
  /** The new words of this mail. */
  body: string;
  /** The signature block (names, phone numbers): not the story, but a phone number in it is still theirs. */
  signature: string;
  /** The quoted or forwarded history below the new words. */
  quoted: string;
}

/** Longest description a mail gives its ticket; beyond it the transcript still holds the mail as received. */
export const MAX_MAIL_DESCRIPTION = 12_000;

const QUOTED_LINE = /^\s*>/;
/** "On Mon, 2 Mar 2026 at 10:00, Acme Support <support@acme.example> wrote:", often wrapped over two lines. */
const ON_WROTE_START = /^\s*On\s.{4,}/;
const WROTE_END = /\bwrote:\s*$/;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(Original Message|Forwarded message)\s*-{2,}\s*$/i;
const FORWARDED = /^\s*Begin forwarded message:\s*$/i;
/** Outlook's separator line above its "From: … Sent: …" header block. */
const UNDERSCORES = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?From:\*?\s+\S/;
const HEADER_SENT = /^\s*\*?(Sent|Date):\*?\s+\S/;
/** The signature separator: "-- " by convention (RFC 3676), "--" where a mail program trimmed the space. */
const SIGNATURE_SEPARATOR = /^--\s?$/;
const MOBILE_FOOTER = /^\s*(Sent from (my )?(iPhone|iPad|Android|Samsung|mobile|Galaxy|phone)\b.*|Sent from (Outlook|Mail|Yahoo Mail|Gmail)\b.*|Get Outlook for (iOS|Android)\s*)$/i;

export function splitMail(text: string): MailParts {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const quotedAt = lines.findIndex((_line, index) => startsQuote(lines, index));
  const own = quotedAt === -1 ? lines : lines.slice(0, quotedAt);
  const quoted = quotedAt === -1 ? [] : lines.slice(quotedAt);
  const signatureAt = own.findIndex((line) => SIGNATURE_SEPARATOR.test(line));
  const bodyLines = (signatureAt === -1 ? own : own.slice(0, signatureAt)).filter((line) => !MOBILE_FOOTER.test(line));
  const signatureLines = signatureAt === -1 ? [] : own.slice(signatureAt + 1).filter((line) => !MOBILE_FOOTER.test(line));
  return { body: tidy(bodyLines), signature: tidy(signatureLines), quoted: tidy(quoted) };
}

/** "RE: FW: Parcel never arrived" → "Parcel never arrived" (English and the common German/French/Dutch prefixes). */
export function cleanSubject(subject: string | undefined): string {
  let rest = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (;;) {
    const next = rest.replace(/^(re|fw|fwd|aw|wg|tr|sv|vs|antw)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === rest) return rest;
    rest = next;
  }
}

/** The ticket's description: the subject, a blank line, the new words; cut at MAX_MAIL_DESCRIPTION. */
export function mailDescription(subject: string | undefined, body: string): string {
  const text = [cleanSubject(subject), body.trim()].filter(Boolean).join('\n\n');
  return text.length > MAX_MAIL_DESCRIPTION ? `${text.slice(0, MAX_MAIL_DESCRIPTION - 1)}…` : text;
}

function startsQuote(lines: string[], index: number): boolean {
  const line = lines[index];
  if (QUOTED_LINE.test(line) || ORIGINAL_MESSAGE.test(line) || FORWARDED.test(line)) return true;
  if (ON_WROTE_START.test(line) && (WROTE_END.test(line) || WROTE_END.test(lines[index + 1] ?? ''))) return true;
  // Outlook: "From: …" then "Sent: …" within the next few lines (To:, Cc: may come between), or the underscore line above it.
  if (UNDERSCORES.test(line) && HEADER_FROM.test(lines[index + 1] ?? '')) return true;
  if (HEADER_FROM.test(line)) return lines.slice(index + 1, index + 4).some((next) => HEADER_SENT.test(next));
  return false;
}

/** Lines joined, trailing spaces and runs of blank lines removed. */
function tidy(lines: string[]): string {
  return lines
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const AUTOMATED_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+.-][^@]*)?@/i;
const AUTOMATED_SUBJECT = /^(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|abwesenheitsnotiz|r[ée]ponse automatique|undeliverable|undelivered mail|delivery status notification|mail delivery (failed|failure)|returned mail)\b/i;

/**
 * Out-of-office answers, bounces and no-reply senders: answering them would start a mail loop (their reply
 * to our reply to their reply…), and they tell the team nothing about the problem.
 */
export function looksAutomated(sender: string, subject: string | undefined): boolean {
  return AUTOMATED_SENDER.test(sender.trim()) || AUTOMATED_SUBJECT.test(cleanSubject(subject));
}
