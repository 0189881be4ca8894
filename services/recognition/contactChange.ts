/**
 * "Please use my work address instead: jane@work.example" — a customer asking us to write to another address.
 * Only the customer's own new words are read (the caller passes the mail's body, never its quoted or forwarded
 * part or signature), and only a sentence that both names one address and asks for the change counts.
 */
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** "instead", "from now on", "my new address", "changed my e-mail", "no longer use": the sentence asks for a change. */
const CHANGE = /\b(instead|from now on|going forward|in future|new (e-?mail|mail|address)|(changed?|updated?) my (e-?mail|mail|address|contact)|no longer (use|using|check|have)|(use|is) now|please use|bitte (verwenden|nutzen)|neue (e-?mail|adresse))\b/i;
/** How the change is asked for: "use", "contact/reach/write to/email me", "send … to", "address is". */
const ASK = /\b(use|contact|reach|write|e-?mail|send|reply|address|mail)\b/i;
/** "don't use x@y", "not x@y": a refusal, not a request. */
const REFUSAL = /\b(don'?t|do not|never|not)\s+(use|contact|write|e-?mail|send)\b/i;

/** The address the customer asks us to use from now on, lower-cased; undefined when no clear request. */
export function requestedEmailChange(words: string): string | undefined {
  const sentences = words.split(/(?<=[.!?])\s+|\n+/);
  for (const [index, sentence] of sentences.entries()) {
    // "My new address is:" on one line and the address on the next is still one request.
    const joined = sentence.match(ADDRESS) ? sentence : `${sentence} ${sentences[index + 1] ?? ''}`;
    const addresses = [...new Set(joined.match(ADDRESS) ?? [])];
    if (addresses.length !== 1) continue;
    if (CHANGE.test(joined) && ASK.test(joined) && !REFUSAL.test(joined)) return addresses[0].toLowerCase();
  }
  return undefined;
}
