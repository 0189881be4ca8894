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
  /** The quoted or forwarded history around the new words. */
  quoted: string;
  /** The history is a mail the customer forwarded (its own marker): theirs to show us, not our thread. */
  forwarded: boolean;
}

/** Longest description a mail gives its ticket; beyond it the transcript still holds the mail as received. */
export const MAX_MAIL_DESCRIPTION = 12_000;

const QUOTED_LINE = /^\s*>/;
/**
 * "On Mon, 2 Mar 2026 at 10:00, Acme Support <support@acme.example> wrote:", often wrapped over two lines,
 * and the same line from German, Spanish, French, Dutch, Italian and Portuguese mail programs
 * ("Am … schrieb …:", "El … escribió:", "Le … a écrit :").
 */
const ON_WROTE_START = /^\s*(On|Am|El|Le|Op|Il|Em)\s.{4,}/;
const WROTE_END = /\b(wrote|schrieb|escribió|a écrit|schreef|ha scritto|escreveu)(\s.*)?:\s*$/;
const ORIGINAL_MESSAGE = /^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Mensaje original|Message d'origine)\s*-{2,}\s*$/i;
/** A forward's own marker: what follows is the forwarded mail, which the customer sent us to read. */
const FORWARD_MARKER = /^\s*(-{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Mensaje reenviado|Message transféré)\s*-{2,}|(Begin forwarded message|Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado|Début du message réexpédié)\s*:)\s*$/i;
/** Outlook's separator line above its "From: … Sent: …" header block. */
const UNDERSCORES = /^\s*_{10,}\s*$/;
const HEADER_FROM = /^\s*\*?(From|Von|De)\s?:\*?\s+\S/;
const HEADER_SENT = /^\s*\*?(Sent|Date|Gesendet|Datum|Enviado|Fecha|Envoyé)\s?:\*?\s+\S/;
/** The signature separator: "-- " by convention (RFC 3676), "--" where a mail program trimmed the space. */
const SIGNATURE_SEPARATOR = /^--\s?$/;
const MOBILE_FOOTER = /^\s*(Sent from (my )?(iPhone|iPad|Android|Samsung|mobile|Galaxy|phone)\b.*|Sent from (Outlook|Mail|Yahoo Mail|Gmail)\b.*|Get Outlook for (iOS|Android)\s*)$/i;

/**
 * Words written above, between or below ">" quoted lines are the customer's (top-posted, interleaved and
 * bottom-posted replies); below an unprefixed quote (Outlook's header block, a forward) everything is old.
 */
export function splitMail(text: string): MailParts {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const own: string[] = [];
  const quoted: string[] = [];
  let forwarded = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (QUOTED_LINE.test(line)) {
      quoted.push(line);
      // Answers between quoted lines stay separate paragraphs.
      if (own.length > 0 && own[own.length - 1] !== '') own.push('');
      continue;
    }
    const attribution = attributionLines(lines, index);
    // An attribution followed by ">" lines quotes that way, so words after them are new; otherwise all below is old.
    if (attribution > 0 && QUOTED_LINE.test(lines.slice(index + attribution).find((next) => next.trim() !== '') ?? '>')) {
      quoted.push(...lines.slice(index, index + attribution));
      own.push('');
      index += attribution - 1;
      continue;
    }
    if (attribution > 0 || startsUnprefixedQuote(lines, index)) {
      forwarded = FORWARD_MARKER.test(line);
      quoted.push(...lines.slice(index));
      break;
    }
    own.push(line);
  }
  const signatureAt = own.findIndex((line) => SIGNATURE_SEPARATOR.test(line));
  const bodyLines = (signatureAt === -1 ? own : own.slice(0, signatureAt)).filter((line) => !MOBILE_FOOTER.test(line));
  const signatureLines = signatureAt === -1 ? [] : own.slice(signatureAt + 1).filter((line) => !MOBILE_FOOTER.test(line));
  return { body: tidy(bodyLines), signature: tidy(signatureLines), quoted: tidy(quoted), forwarded };
}

/** "RE: FW: Parcel never arrived" → "Parcel never arrived" (English and the common German/French/Dutch/Spanish prefixes). */
export function cleanSubject(subject: string | undefined): string {
  let rest = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (;;) {
    const next = rest.replace(/^(re|fw|fwd|aw|wg|tr|sv|vs|antw|rv)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === rest) return rest;
    rest = next;
  }
}

/** The ticket's description: the subject, a blank line, the new words; cut at MAX_MAIL_DESCRIPTION. */
export function mailDescription(subject: string | undefined, body: string): string {
  const text = [cleanSubject(subject), body.trim()].filter(Boolean).join('\n\n');
  return text.length > MAX_MAIL_DESCRIPTION ? `${text.slice(0, MAX_MAIL_DESCRIPTION - 1)}…` : text;
}

/** An "On … wrote:" line is short; longer lines are not tested (WROTE_END backtracks over each "wrote" in a line: quadratic). */
const MAX_ATTRIBUTION_LINE = 1000;

/** How many lines an "On … wrote:" attribution takes here (it may wrap onto a second line); 0 = none. */
function attributionLines(lines: string[], index: number): number {
  if (lines[index].length > MAX_ATTRIBUTION_LINE || !ON_WROTE_START.test(lines[index])) return 0;
  if (WROTE_END.test(lines[index])) return 1;
  const next = lines[index + 1] ?? '';
  return next.length <= MAX_ATTRIBUTION_LINE && WROTE_END.test(next) ? 2 : 0;
}

function startsUnprefixedQuote(lines: string[], index: number): boolean {
  const line = lines[index];
  if (ORIGINAL_MESSAGE.test(line) || FORWARD_MARKER.test(line)) return true;
  // Outlook: "From: …" then "Sent: …" within the next few lines (To:, Cc: may come between), or the underscore line above it.
  if (UNDERSCORES.test(line) && HEADER_FROM.test(lines[index + 1] ?? '')) return true;
  if (HEADER_FROM.test(line)) return lines.slice(index + 1, index + 4).some((next) => HEADER_SENT.test(next));
  return false;
}

/** Lines joined, trailing spaces and runs of blank lines removed. */
function tidy(lines: string[]): string {
  return lines
    // trimEnd, not /\s+$/: that regex is quadratic on a long run of spaces followed by anything else.
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const AUTOMATED_SENDER = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|auto-?reply)([+.-][^@]*)?@/i;
/** Outlook's and Gmail's auto-reply and bounce subjects, in English, German, Spanish, French, Dutch and Italian. */
const AUTOMATED_SUBJECT =
  /^(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|abwesenheitsnotiz|automatische antwort|respuesta automática|fuera de la oficina|r[ée]ponse automatique|absence du bureau|automatisch antwoord|risposta automatica|undeliverable|unzustellbar|no se puede entregar|non remis|undelivered mail|delivery status notification|mail delivery (failed|failure)|returned mail)(?![\p{L}\p{N}])/iu;

/**
 * Out-of-office answers, bounces and no-reply senders: answering them would start a mail loop (their reply
 * to our reply to their reply…), and they tell the team nothing about the problem.
 */
export function looksAutomated(sender: string, subject: string | undefined): boolean {
  return AUTOMATED_SENDER.test(sender.trim()) || AUTOMATED_SUBJECT.test(cleanSubject(subject));
}

/** "I am currently out of the office", "I'm away until", "Ich bin bis … nicht im Büro": the present-tense away line of a responder. */
const AWAY_NOW = [
  /\b(i am|i'm|i will be|i'll be)\s+(currently\s+|now\s+)?(out of (the )?office|away|on (annual |parental |sick |maternity |paternity )?leave|on (holiday|vacation)|not in the office|travell?ing|ooo)\b/i,
  // "bis zum 14. März": a date's dot does not end the sentence.
  /\bich bin\b(?:[^.!?\n]|\d\.){0,80}\b(nicht im (büro|hause)|nicht erreichbar|abwesend|im urlaub)(?![\p{L}])/iu,
  /\bestoy (fuera de la oficina|de vacaciones|ausente)\b/i,
  /\bje suis (actuellement |en ce moment )?(absente?|en (congés?|vacances))\b/i,
  /\bik ben (momenteel |tot en met .{1,30} )?(afwezig|niet op kantoor|met vakantie)\b/i,
];
/** What only a responder adds: a return date, "limited access to e-mail", "I will reply when I'm back", "for urgent matters". */
const RESPONDER_LINE = [
  /\b(until|till|returning( on)?|back (on|in the office))\b/i,
  /\b(limited|no) access to (my )?e-?mails?\b/i,
  /\b(respond|reply|answer|get back to you|read)\b[^.!?\n]{0,60}\b(return|i'm back|i am back|get back)\b/i,
  /\b(urgent|dringend|urgente?s?)\b/i,
  /\bautomatic(ally)?\b|\bautomatische\b|\bautomática\b/i,
  /\b(bis|ab dem|ab|nach meiner rückkehr|wieder (im büro|erreichbar))\b/i,
  /\b(hasta el|a mi regreso|jusqu'au|à mon retour|tot en met|na mijn terugkeer|weer terug)\b/i,
];
/** What a customer writes and a responder never does: a real mail that mentions being away is answered. */
const CUSTOMER_MATTER = /\b(parcel|package|order|deliver(y|ed|ing)?|courier|refund|replacement|invoice|broken|damaged|missing|arrived|paket|bestellung|lieferung|pedido|commande|colis|bestelling|pakket)\b/i;

/**
 * A vacation responder that keeps the subject (Gmail, many Outlook rules): its words give it away. It says it
 * is away *now* and when it is back (or how to reach someone urgently), and names no parcel, order or delivery;
 * "I was away when the parcel came" or "I'm away until Monday, please send the replacement after" is a customer.
 */
export function looksLikeAutoReplyBody(body: string): boolean {
  const opening = body.slice(0, 400);
  if (!AWAY_NOW.some((pattern) => pattern.test(opening))) return false;
  if (CUSTOMER_MATTER.test(body)) return false;
  return RESPONDER_LINE.some((pattern) => pattern.test(body));
}
