/** A message as plain lower-case words: punctuation and emoji become spaces, hyphens stay ("e-mail"). */
export function normaliseWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
