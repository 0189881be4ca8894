/**
 * Follow-up SMS: the brand first, the ticket reference, within two segments. The first SMS about a ticket also
 * says how to opt out (US carriers, CTIA). Too long, a team note is shortened at a word boundary first, then
 * less important lines are left out; a word is never cut.
 */
import type { Wording } from './messages';
import { fitsSms, toGsmPunctuation } from './smsSegments';

export const SMS_OPT_OUT = 'Reply STOP to opt out.';

export interface SmsTexts {
  smsText: string;
  smsFirstText: string;
}

/** A candidate SMS from the richest (index 0) to the leanest; each is given the (possibly shortened) team note. */
type Variant = (note: string | undefined) => Array<string | false | undefined>;

/** The note with words taken off its end ("…" as three dots), longest first, down to `minWords`. */
function shortenedNotes(note: string, minWords = 4): string[] {
  const words = note.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let count = words.length - 1; count >= minWords; count--) out.push(`${words.slice(0, count).join(' ').replace(/[\s.,;:!?-]+$/, '')}...`);
  return out;
}

/** The first variant (with the note whole, then shortened) that fits; the last variant, without a note, is the fallback. */
function fitSms(variants: Variant[], note: string | undefined, optOut: boolean): string {
  const render = (variant: Variant, n: string | undefined) =>
    toGsmPunctuation([...variant(n), optOut && SMS_OPT_OUT].filter((part): part is string => Boolean(part)).join(' ').replace(/\s+/g, ' ').trim());
  // A note keeps at least a dozen words while a less important line can make room; only then is it cut further.
  for (const minWords of [12, 4]) {
    const notes = note ? [note, ...shortenedNotes(note, minWords)] : [undefined];
    for (const variant of variants) {
      for (const candidate of notes) {
        const text = render(variant, candidate);
        if (fitsSms(text)) return text;
      }
    }
  }
  return render(variants[variants.length - 1], undefined);
}

function both(variants: Variant[], note?: string): SmsTexts {
  return { smsText: fitSms(variants, note, false), smsFirstText: fitSms(variants, note, true) };
}

const joinNotes = (notes: string[]) => (notes.length ? notes.map((note) => note.trim()).join(' / ') : undefined);

function replyHint(w: Wording): string {
  return w.hasChat ? `reply in the chat where you contacted ${w.brand}` : `send ${w.brand} a message where you first contacted us and quote ${w.ref}`;
}

const next = (w: Wording) => w.nextUpdateShort && `Next update by ${w.nextUpdateShort}.`;

export const smsWords = {
  update(w: Wording, change: { statusLine?: string; extra?: string; notes: string[]; waiting: boolean }): SmsTexts {
    const head = `${w.brand}: Update on your ticket ${w.ref}:${change.statusLine ? ` ${change.statusLine}.` : ''}`;
    const waiting = change.waiting && `When you have a moment, ${replyHint(w)}.`;
    const said = (note?: string) => note && `Our team says: "${note}"`;
    return both(
      [
        (note) => [head, change.extra, said(note), waiting, next(w)],
        (note) => [head, said(note), waiting, next(w)],
        (note) => [head, said(note), waiting],
        () => [head, waiting || `Our team sent you a message: ${replyHint(w)} to read it.`],
        () => [`${w.brand}: Update on your ticket ${w.ref}.`],
      ],
      joinNotes(change.notes),
    );
  },

  checkIn(w: Wording, still: string, late: boolean): SmsTexts {
    const head = `${w.brand}: Checking in on your ticket ${w.ref}: ${still}. No news yet, but we have not forgotten you.`;
    return both([() => [head, late && 'Sorry it is taking longer than we aimed for.', next(w)], () => [head, next(w)], () => [`${w.brand}: Still on your ticket ${w.ref}.`, next(w)], () => [`${w.brand}: Still on your ticket ${w.ref}.`]]);
  },

  resolution(w: Wording, notes: string[], reopenDays: number): SmsTexts {
    const head = `${w.brand}: Good news: your ticket ${w.ref} is resolved.`;
    const reopen = !w.hasChat ? `If anything is still not right, ${replyHint(w)}.` : reopenDays > 0 ? `If anything is still not right, ${replyHint(w)} within ${reopenDays} days and we will reopen it.` : '';
    const did = (note?: string) => note && `What we did: "${note}"`;
    return both([(note) => [head, did(note), reopen], () => [head, reopen], () => [head]], joinNotes(notes));
  },

  csat(w: Wording): SmsTexts {
    const text = w.hasChat
      ? `${w.brand}: One quick question about ${w.ref}: how did we do? Reply in the chat where you contacted ${w.brand} with a number from 1 (poor) to 5 (great).`
      : `${w.brand}: Thank you for your patience with ${w.ref}. If there is anything more we can do, ${replyHint(w)}.`;
    return both([() => [text], () => [`${w.brand}: Thank you for your patience with ${w.ref}.`]]);
  },

  closed(w: Wording, notes: string[]): SmsTexts {
    const head = `${w.brand}: We have closed your ticket ${w.ref}.`;
    const help = `If you still need help, ${replyHint(w)} and we will pick it up again.`;
    const said = (note?: string) => note && `Message from our team: "${note}"`;
    return both([(note) => [head, said(note), help], () => [head, help], () => [head]], joinNotes(notes));
  },
};
