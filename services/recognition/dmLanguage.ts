/**
 * Whether a DM is clearly written in a language the bot does not speak. Wrongly leaving English is worse
 * than missing a foreign message (the English dialog still runs), so the evidence must be strong: several
 * distinct words of one language that outnumber the English ones, or a message mostly in CJK script.
 * A matching channel locale ("es-ES") lowers the bar by one word; many channels say "en-US" whatever
 * the customer writes, so a locale alone never decides.
 */
import { CJK_CUES, cjkLanguageOf, foldAccents, LATIN_CUES } from './languageCues';

/** Everyday words of each language that are not English words and rarely name a person or a place. */
const COMMON_WORDS: Record<string, string[]> = {
  es: ['hola', 'mi', 'mis', 'necesito', 'ayuda', 'llego', 'tengo', 'quiero', 'por favor', 'pero', 'muy', 'buenos dias', 'buenas tardes', 'todavia', 'nunca', 'esta', 'estoy', 'porque', 'para', 'con', 'una', 'el', 'ya', 'que', 'hace', 'dias', 'semanas'],
  de: ['hallo', 'mein', 'meine', 'meinen', 'ist', 'nie', 'nicht', 'ich', 'und', 'bitte', 'habe', 'noch', 'kein', 'keine', 'ein', 'eine', 'wurde', 'bestellt', 'angekommen', 'hilfe', 'guten tag', 'seit', 'tagen', 'wochen', 'aber', 'leider'],
  fr: ['bonjour', 'je', 'mon', 'ma', 'mes', 'est', 'pas', 'jamais', 'pour', 'avec', 'une', 'que', 'qui', 'ai', 'vous', 'votre', 'aide', 'aider', 'besoin', 's il vous plait', 'toujours', 'recu', 'arrive', 'depuis', 'jours', 'semaines', 'mais'],
  pt: ['ola', 'meu', 'minha', 'preciso', 'ajuda', 'chegou', 'nao', 'voce', 'um', 'uma', 'com', 'para', 'ainda', 'por favor', 'bom dia', 'boa tarde', 'veio', 'estou', 'tenho', 'quero', 'mas', 'dias', 'semanas'],
  it: ['ciao', 'buongiorno', 'il', 'mio', 'mia', 'non', 'ho', 'sono', 'ancora', 'aiuto', 'bisogno', 'per favore', 'ma', 'arrivato', 'arrivata', 'mai', 'della', 'giorni', 'settimane', 'perche', 'grazie'],
};

/** Everyday English (not "in", "me", "was", "i": words of other languages too): a message with more of these than foreign words is English with a foreign word in it. */
const ENGLISH_WORDS = [
  'the', 'my', 'is', 'and', 'to', 'it', 'im', 'ive', 'have', 'has', 'not', 'please', 'help', 'order', 'parcel', 'package', 'arrived',
  'never', 'with', 'for', 'this', 'that', 'you', 'your', 'can', 'hi', 'hello', 'thanks', 'thank', 'of', 'still', 'broken', 'where',
  'what', 'speak', 'english', 'we', 'need', 'want', 'would', 'could', 'got', 'but', 'just', 'are', 'did',
];

/** Fewest distinct words of one language that make a message clearly that language. */
const WORDS_NEEDED = 3;
/** Fewest CJK characters (an order number or a name in English text has fewer). */
const CJK_NEEDED = 3;

export interface LanguageReading {
  /** The customer's language ('es', 'de', 'fr', 'pt', 'it', 'zh', 'ja', 'ko'); absent when not clearly foreign. */
  language?: string;
  /** The message reads as English (several everyday English words, more than any other language's). */
  english: boolean;
}

/** Words separated by single spaces, accents folded, apostrophes split ("j'ai" → "j ai"); words with digits (order numbers) dropped. */
function wordsOf(text: string): string {
  return foldAccents(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word && !/\p{N}/u.test(word))
    .join(' ');
}

/** Phrases read the same way as messages, once, without duplicates (a cue in two lists counts once). */
function phrasesOf(phrases: string[]): string[] {
  return [...new Set(phrases.map(wordsOf))].filter(Boolean);
}

function distinctHits(words: string, phrases: string[]): number {
  const padded = ` ${words} `;
  return phrases.filter((phrase) => padded.includes(` ${phrase} `)).length;
}

const ENGLISH_PHRASES = phrasesOf(ENGLISH_WORDS);
const LATIN_PHRASES: Record<string, string[]> = Object.fromEntries(
  Object.entries(LATIN_CUES).map(([language, cues]) => [
    language,
    phrasesOf([...cues.complaint, ...Object.values(cues.subjects).flat(), ...cues.praise, ...(COMMON_WORDS[language] ?? [])]),
  ]),
);
/** The opening of a message tells its language; a pasted log need not be read whole. */
const READ_AT_MOST = 4000;

/** "es-ES" → "es"; absent, empty or malformed → undefined. */
function languageOfLocale(locale: string | undefined): string | undefined {
  const tag = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return tag && /^[a-z]{2,3}$/.test(tag) ? tag : undefined;
}

export function readLanguage(text: string | undefined, locale?: string): LanguageReading {
  const raw = (text ?? '').slice(0, READ_AT_MOST);
  const words = wordsOf(raw);
  const english = distinctHits(words, ENGLISH_PHRASES);
  const fromLocale = languageOfLocale(locale);

  const cjk = (raw.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu) ?? []).length;
  const latinLetters = (words.match(/\p{Script=Latin}/gu) ?? []).length;
  // Mostly CJK script: at least a few characters, and more of them than a third of the Latin letters around them.
  if (cjk >= CJK_NEEDED && cjk * 3 >= latinLetters) {
    const language = cjkLanguageOf(raw);
    if (language && CJK_CUES[language]) return { language, english: false };
  }

  const scores = Object.entries(LATIN_PHRASES)
    .map(([language, phrases]) => ({ language, score: distinctHits(words, phrases) }))
    .sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  const needed = best && best.language === fromLocale ? WORDS_NEEDED - 1 : WORDS_NEEDED;
  // A tie between two languages (Spanish and Portuguese share words) is not clear enough to answer in either.
  if (best && best.score >= needed && best.score > english && best.score > (second?.score ?? 0)) {
    return { language: best.language, english: false };
  }
  return { english: english >= 2 && english > (best?.score ?? 0) };
}
