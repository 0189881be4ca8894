import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L, 5/S, 8/B: a reference read aloud or copied from a screenshot stays unambiguous. */
export const REF_ALPHABET = '234679ACDEFGHJKMNPQRTUVWXYZ';
const REF_LENGTH = 6;

export function newTicketRef(prefix: string): string {
  let body = '';
  for (let i = 0; i < REF_LENGTH; i++) body += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return `${prefix}-${body}`;
}

/** Finds a reference a customer typed ("where is cs 7k3m9q?"), normalised; undefined when there is none. */
export function findTicketRef(text: string, prefix: string): string | undefined {
  const pattern = new RegExp(`\\b${prefix}[\\s-]?([${REF_ALPHABET}]{${REF_LENGTH}})\\b`, 'i');
  const match = pattern.exec(text.toUpperCase());
  return match ? `${prefix}-${match[1]}` : undefined;
}
