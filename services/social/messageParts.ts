/** The bot's replies mark words **bold** (Web Chat renders it); channels that show plain text get the words alone. */
export function withoutBold(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1');
}

/**
 * Splits a text for a platform with a per-message limit: at paragraph breaks first, then sentence ends,
 * then spaces, and only inside a word when a word alone is longer than the limit. Nothing is lost.
 */
export function splitForLimit(text: string, limit: number): string[] {
  const trimmed = text.trim();
  if ([...trimmed].length <= limit) return trimmed ? [trimmed] : [];
  const parts: string[] = [];
  let rest = trimmed;
  while ([...rest].length > limit) {
    const head = [...rest].slice(0, limit).join('');
    const cut = lastBreak(head, /\n\s*\n/g) ?? lastBreak(head, /[.!?…](?=\s)/g, 1) ?? lastBreak(head, /\n/g) ?? lastBreak(head, /\s/g) ?? head.length;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts.filter(Boolean);
}

/** End of the last match (plus `keep` characters of it) past the first third: earlier cuts make tiny messages. */
function lastBreak(head: string, pattern: RegExp, keep?: number): number | undefined {
  let best: number | undefined;
  for (const match of head.matchAll(pattern)) {
    const at = keep === undefined ? match.index : match.index + keep;
    if (at > head.length / 3) best = at;
  }
  return best;
}

/** "@AcmeSupport @AcmeHelp my parcel…" → "my parcel…": mentions that only address a post are not what it says (one mid-text stays). */
export function withoutLeadingMentions(text: string): string {
  return text.replace(/^\s*(?:@[A-Za-z0-9_.]+[\s,:;-]*)+/, '').trim();
}
