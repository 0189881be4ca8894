/**
 * Just enough of other languages for triage to notice a complaint it cannot answer well: the bot's
 * replies are English, so a post in another language that needs care goes to a person instead.
 * The cue lists live in services/recognition (the DM language check reads them too).
 */

/** Language tags that say nothing about the language (X: undetermined, emoji only, hashtags only, no text). */
const NEUTRAL_TAGS = new Set(['', 'en', 'und', 'qme', 'qht', 'qam', 'qct', 'qst', 'zxx', 'art']);

export function isForeignTag(tag: string | undefined): boolean {
  return !NEUTRAL_TAGS.has((tag ?? '').toLowerCase().split(/[-_]/)[0]!);
}
