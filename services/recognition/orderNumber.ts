/**
 * Finds the customer's order number inside free text ("it's order #AB-2024117, arrived broken").
 *
 * What counts as an order number comes from config (ORDER_NUMBER_PATTERN): a regex source for the
 * number itself, without ^/$ anchors, matched case-insensitively. The recognizer wraps it in guards
 * so that a match is a whole token of its own and not a slice of something else:
 * - inside links and e-mail addresses: those are blanked out before scanning;
 * - glued to letters or digits ("ORDER20241170", "7K3M9Q"), or after "+", "$", "€", "£", "₹", "¥";
 * - next to another group of digits ("07700 900123", "3.1415926", "12345678.00"), since such a run is
 *   a phone, a card or an amount, not an order number;
 * - digits alone whose nearest cue word in the 40 characters before them is about phones ("call me on
 *   9876543210", "my number is ...") rather than orders ("order", "ref", "#", "tracking"). English cues only;
 *   with no cue at all, bare digits of the right length are taken as an order number.
 * Spacing: besides what the pattern itself accepts, letters and digits separated by a dash-like mark ("AB- 2024117",
 * "AB–2024117", "AB — 2024117") or by spaces when the letters are capitals ("AB 2024117") are read as one number, if the
 * joined form fits the pattern. Lower- or mixed-case letters and spaces ("ab 2024117") are joined only right after an
 * order cue, at most a few words before them on the same line ("my order number is ab 2024117", "order no. ab 2024117",
 * "# ab 2024117", "ref ab 2024117", also the typo "oder"); without one they are NOT joined, nor is a common word in any
 * case ("IS 2024117", "no – 2024117", "order placed on 20241117"), because ordinary words would become prefixes; the
 * digits alone may still match. The join follows the pattern (the joined form must fit it), but only for patterns
 * whose numbers are letters followed by digits; other shapes get no spaced variant.
 */

/** 2–4 letters, an optional dash and 6–10 digits (AB-2024117, ACME-12345678), or 6–12 digits alone. */
export const DEFAULT_ORDER_NUMBER_PATTERN = '[A-Z]{2,4}-?\\d{6,10}|\\d{6,12}';

export interface OrderNumberMatch {
  /** Normalised: upper case, no spaces, letters and digits joined by one dash (AB-2024117) when the pattern allows it. */
  value: string;
  /** As the customer typed it. */
  raw: string;
  /** Where `raw` starts in the text. */
  index: number;
}

export interface OrderNumberRecognizer {
  /** The first order number in the text, normalised. */
  find(text: string): string | undefined;
  /** Every distinct order number in the text, normalised, in order of appearance. */
  findAll(text: string): string[];
  /** Every occurrence with its position; what redaction and other recognizers build on. */
  locate(text: string): OrderNumberMatch[];
  /** Whether the whole candidate (surrounding spaces ignored) is an order number. */
  isValid(candidate: string): boolean;
  /** A number the pattern accepts, for prompts such as "e.g. AB-2024117". */
  example: string;
}

export interface OrderNumberRecognizerOptions {
  /** Needed only when the pattern accepts none of the built-in examples. */
  example?: string;
}

export type OrderNumberPatternErrorCode =
  | 'ORDER_NUMBER_PATTERN_INVALID'
  | 'ORDER_NUMBER_PATTERN_ANCHORED'
  | 'ORDER_NUMBER_PATTERN_MATCHES_EMPTY'
  | 'ORDER_NUMBER_EXAMPLE_MISSING';

export class OrderNumberPatternError extends Error {
  override readonly name = 'OrderNumberPatternError';
  constructor(
    readonly code: OrderNumberPatternErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const BUILT_IN_EXAMPLES = ['AB-2024117', 'AB2024117', 'ACME-12345678', '20241170', '2024117'];

// Blanked (same length, so indexes stay true) because an order-shaped piece of a link or address belongs to it.
// Each branch starts only where a token starts, so a long unbroken token is scanned once, not once per character.
const LINKS_AND_EMAILS =
  /(?<!\S)(?:https?:\/\/|www\.)\S+|(?<![\w.-])[\w-]+(?:\.[\w-]+)+\/\S*|(?<![^\s@<>()[\]"',;:])[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+/gi;

// Latin letters with accents count as letters; other scripts (CJK, emoji) act as separators.
const WORD_CHAR = '[A-Za-z0-9_\\u00C0-\\u024F]';
const CURRENCY_SYMBOL = '[$€£¥₹]';
// What an order number may not come straight after: a word, a "+" or "@", a currency sign, or a digit group
// ("07700 900123", "(415) 5550132", "3.1415926").
const MUST_NOT_FOLLOW = [
  WORD_CHAR,
  '[+@=&]',
  `${WORD_CHAR}[-/]`,
  `${CURRENCY_SYMBOL}\\s?`,
  '\\d(?:[\\s\\-/.,]|\\)\\s?)',
].join('|');
// What may not come straight after it: a word, "@", a currency, decimals ("12345678.00"), or another digit group
// of two or more ("098765 43210"); one lone digit ("order 20241170 2 items") is left alone.
const MUST_NOT_PRECEDE = [
  WORD_CHAR,
  '@',
  `\\s?${CURRENCY_SYMBOL}`,
  '[.,]\\d',
  '(?:[\\s\\-/]|\\s?\\()\\d{2}',
  '\\s?(?:usd|eur|gbp|inr|dollars?|euros?|pounds?|rupees?)\\b',
].join('|');

// Letter prefixes that make "USD2024117" an amount rather than an order.
const CURRENCY_CODES = new Set(['USD', 'EUR', 'GBP', 'INR', 'JPY', 'CNY', 'AUD', 'CAD', 'CHF', 'RS']);

// A letter group, then a dash-like mark (-, –, —) with optional spaces or else spaces alone, then a group of digits;
// spaces on one line only, since letters ending one line (a signature, "JB") do not belong to digits on the next.
const SAME_LINE_SPACE = '[^\\S\\r\\n]';
const LETTERS_THEN_DIGITS = `(?<letters>[A-Za-z]+)(?<separator>${SAME_LINE_SPACE}*[-\u2013\u2014]${SAME_LINE_SPACE}*|${SAME_LINE_SPACE}+)(?<digits>\\d+)`;
// Capitalised words customers write before a number that are not a prefix: shouted words and cues ("MY ORDER IS 2024117").
const NOT_A_PREFIX = new Set(
  (
    'A I AM AN AS AT BE BY DO GO HE HI IF IN IS IT ME MY NO OF OH OK ON OR SO TO UP US WE YA YO ' +
    'ALL AND ANY ARE BUT CAN DID FOR GOT HAD HAS HER HEY HIM HIS HOW ITS NEW NOT NOW OUR OUT PLS SEE SHE THE THX TOO ' +
    'TWO WAS WAY WHO WHY YES YET YOU ALSO BEEN CODE DEAR FROM GAVE GOOD HAVE HERE JUST KEEP LIKE MINE ONLY OVER ' +
    'SAID SENT SOME THAT THEM THEN THIS WHAT WHEN WITH YOUR ASAP HELP ' +
    'ID NR NUM NUMB REF PO INV ORD ' +
    'PH TEL MOB CELL CALL RING FAX SMS TEXT'
  ).split(' '),
);

// Lower-case words that come before digits in order talk without being a prefix ("order to pin 560001", "order placed
// dec 20241117", "order number 2024117" under a wider pattern); capitals skip this list, so "PIN 560001" reads as before.
const NOT_A_LOWER_CASE_PREFIX = new Set(
  (
    'ABT ACC AMT BILL BOX CAME CARD COST DATE DAY DAYS DUE ETA FEE FLAT LATE LEFT OTP PAID PIN POST QTY ROOM SUM TAX ' +
    'TOOK TOT UNIT VAT ZIP JAN FEB MAR APR MAY JUN JUL AUG SEP SEPT OCT NOV DEC ORDER ODER NUMBER REFERENCE'
  ).split(' '),
);
// An order cue ("order", "order number", "order no.", "order #", "#", "ref", "reference", the typo "oder") and then at
// most three words, on the same line and without a full stop, right before spaced lower-case letters and digits.
const CUE_THEN_FEW_WORDS = new RegExp(
  `(?:\\b(?:order|oder|purchase|invoice|tracking|ref(?:erence)?|po)\\b(?:${SAME_LINE_SPACE}*(?:no\\.?|nr\\.?|num(?:ber)?|id|#))?|#)` +
    `(?:(?:${SAME_LINE_SPACE}|[:#=,-])+[\\p{L}'\u2019]+){0,3}(?:${SAME_LINE_SPACE}|[:#=,-])*$`,
  'iu',
);
const CUE_LOOKBACK = 60;

const CUE_WINDOW = 40;
// One regex so that "order number is" is read as one order cue and "number is" inside it is not seen apart.
const CUES =
  /(?<order>\b(?:order|purchase|invoice|tracking|ref(?:erence)?|po)\b(?:\s*(?:no\.?|nr\.?|num(?:ber)?|id|#))?|#)|(?<phone>\b(?:phone|mobile|mob|cell|tel|telephone|call|ring|whats\s?app|sms|text\s+me|reach\s+me|(?:my\s+)?number\s+is|my\s+number)\b)/gi;

export function createOrderNumberRecognizer(
  patternSource: string,
  options: OrderNumberRecognizerOptions = {},
): OrderNumberRecognizer {
  const { whole, inText, joined } = compilePattern(patternSource);
  const isValid = (candidate: string) => whole.test(candidate.trim());
  const normalize = (raw: string) => normalizeOrderNumber(raw, isValid);
  const example = normalize(chooseExample(patternSource, isValid, options.example));

  const locate = (text: string): OrderNumberMatch[] => {
    const scannable = text.replace(LINKS_AND_EMAILS, (link) => ' '.repeat(link.length));
    const found: OrderNumberMatch[] = [];
    for (const match of scannable.matchAll(inText)) {
      const raw = match[0];
      const index = match.index ?? 0;
      if (raw.length === 0) continue;
      const value = normalize(raw);
      if (CURRENCY_CODES.has(letterPrefix(value))) continue;
      if (/^\d+$/.test(value) && nearestCue(text, index) === 'phone') continue;
      found.push({ value, raw, index });
    }
    return withJoinedPrefixes(found, joinedMatches(scannable, joined, normalize, isValid));
  };

  return {
    locate,
    find: (text) => locate(text)[0]?.value,
    findAll: (text) => [...new Set(locate(text).map((match) => match.value))],
    isValid,
    example,
  };
}

/** Replaces every order number with "[order]"; run it before redactPersonalData, which would call digits-only ones "[phone]". */
export function redactOrderNumbers(text: string, recognizer: OrderNumberRecognizer): string {
  let redacted = '';
  let from = 0;
  for (const match of recognizer.locate(text)) {
    redacted += text.slice(from, match.index) + '[order]';
    from = match.index + match.raw.length;
  }
  return redacted + text.slice(from);
}

/** Letters and digits kept apart by a dash-like mark or by spaces (capitals, or any case after an order cue), whose joined form the pattern accepts. */
function joinedMatches(
  scannable: string,
  joined: RegExp,
  normalize: (raw: string) => string,
  isValid: (candidate: string) => boolean,
): OrderNumberMatch[] {
  const found: OrderNumberMatch[] = [];
  for (const match of scannable.matchAll(joined)) {
    const { letters, separator, digits } = match.groups as Record<'letters' | 'separator' | 'digits', string>;
    // Dash: any case, except a common word unless it is the plain hyphen the pattern may itself accept;
    // space: capitals, or any case right after an order cue.
    const dashed = /[-\u2013\u2014]/.test(separator);
    const commonWord = NOT_A_PREFIX.has(letters.toUpperCase());
    const spacedTaken = letters === letters.toUpperCase() || cuedLowerCasePrefix(scannable, match.index ?? 0, letters);
    if (dashed ? commonWord && separator !== '-' : commonWord || !spacedTaken) continue;
    const value = normalize(`${letters} ${digits}`);
    if (!isValid(value) || CURRENCY_CODES.has(letterPrefix(value))) continue;
    found.push({ value, raw: match[0], index: match.index ?? 0 });
  }
  return found;
}

/** Spaced lower-case letters are a prefix only after an order cue a few words before them, and only if not a common word. */
function cuedLowerCasePrefix(scannable: string, index: number, letters: string): boolean {
  if (NOT_A_LOWER_CASE_PREFIX.has(letters.toUpperCase())) return false;
  return CUE_THEN_FEW_WORDS.test(scannable.slice(Math.max(0, index - CUE_LOOKBACK), index));
}

/** The pattern's own matches, except that a joined match replaces those lying inside it (its digits alone). */
function withJoinedPrefixes(plain: OrderNumberMatch[], joined: OrderNumberMatch[]): OrderNumberMatch[] {
  if (joined.length === 0) return plain;
  const inside = (match: OrderNumberMatch, outer: OrderNumberMatch) =>
    match.index >= outer.index && match.index + match.raw.length <= outer.index + outer.raw.length;
  const kept = plain.filter((match) => !joined.some((outer) => inside(match, outer)));
  return [...kept, ...joined].sort((a, b) => a.index - b.index);
}

/** Upper case; "ab2024117" and "AB 2024117" become "AB-2024117", as far as the pattern accepts the result. */
function normalizeOrderNumber(raw: string, isValid: (candidate: string) => boolean): string {
  const asTyped = raw.trim().toUpperCase();
  const compact = asTyped.replace(/\s+/g, '');
  const dashed = compact.replace(/^([A-Z]+)-?(\d+)$/, '$1-$2');
  return [dashed, compact].find(isValid) ?? asTyped;
}

function compilePattern(patternSource: string): { whole: RegExp; inText: RegExp; joined: RegExp } {
  if (patternSource.trim() === '') {
    throw new OrderNumberPatternError('ORDER_NUMBER_PATTERN_MATCHES_EMPTY', 'ORDER_NUMBER_PATTERN is empty.');
  }
  if (/^\^|(?<!\\)\$$/.test(patternSource)) {
    throw new OrderNumberPatternError(
      'ORDER_NUMBER_PATTERN_ANCHORED',
      `ORDER_NUMBER_PATTERN must describe the number alone, without ^ or $ (it is searched for inside messages): ${patternSource}`,
    );
  }
  let whole: RegExp;
  let inText: RegExp;
  try {
    whole = new RegExp(`^(?:${patternSource})$`, 'i');
    inText = new RegExp(`(?<!${MUST_NOT_FOLLOW})(?:${patternSource})(?!${MUST_NOT_PRECEDE})`, 'gi');
  } catch (cause) {
    throw new OrderNumberPatternError(
      'ORDER_NUMBER_PATTERN_INVALID',
      `ORDER_NUMBER_PATTERN is not a valid regular expression: ${patternSource}`,
      { cause },
    );
  }
  if (whole.test('')) {
    throw new OrderNumberPatternError(
      'ORDER_NUMBER_PATTERN_MATCHES_EMPTY',
      `ORDER_NUMBER_PATTERN matches an empty string, so it would find an order number everywhere: ${patternSource}`,
    );
  }
  const joined = new RegExp(`(?<!${MUST_NOT_FOLLOW})${LETTERS_THEN_DIGITS}(?!${MUST_NOT_PRECEDE})`, 'gi');
  return { whole, inText, joined };
}

function chooseExample(patternSource: string, isValid: (candidate: string) => boolean, configured?: string): string {
  if (configured !== undefined) {
    if (!isValid(configured)) {
      throw new OrderNumberPatternError(
        'ORDER_NUMBER_EXAMPLE_MISSING',
        `The order number example "${configured}" does not match ORDER_NUMBER_PATTERN: ${patternSource}`,
      );
    }
    return configured;
  }
  const builtIn = BUILT_IN_EXAMPLES.find(isValid);
  if (builtIn === undefined) {
    throw new OrderNumberPatternError(
      'ORDER_NUMBER_EXAMPLE_MISSING',
      `ORDER_NUMBER_PATTERN accepts none of ${BUILT_IN_EXAMPLES.join(', ')}; give an example the customer can follow: ${patternSource}`,
    );
  }
  return builtIn;
}

function letterPrefix(value: string): string {
  return /^[A-Z]+(?=-)/.exec(value)?.[0] ?? '';
}

/** Which kind of cue word stands closest before `index`, within a short window. */
function nearestCue(text: string, index: number): 'order' | 'phone' | undefined {
  const window = text.slice(Math.max(0, index - CUE_WINDOW), index);
  let nearest: 'order' | 'phone' | undefined;
  for (const cue of window.matchAll(CUES)) {
    nearest = cue.groups?.order !== undefined ? 'order' : 'phone';
  }
  return nearest;
}
